// Step 0 of a Query request: the form-encoded body as parameters. Kept apart from decoding so
// the HTTP layer may also hand in a GET's query string (Query services accept both).

const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/** The media type without parameters, lower case: "application/x-www-form-urlencoded; charset=utf-8" -> the first part. */
function mediaType(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * The body's parameters. botocore and the JS SDK send
 * "application/x-www-form-urlencoded; charset=utf-8"; a body of any other declared type is not
 * read as a form (it then carries no Action, and the decoder answers MissingAction). A missing
 * Content-Type is read as a form, as the Query protocol has no other body encoding.
 * URLSearchParams decodes "+" as a space and percent escapes as UTF-8, as HTML forms do.
 */
export function parseQueryForm(body: Buffer, contentType: string | undefined): URLSearchParams {
  if (contentType !== undefined && mediaType(contentType) !== FORM_MEDIA_TYPE) return new URLSearchParams();
  return new URLSearchParams(body.toString('utf8'));
}
