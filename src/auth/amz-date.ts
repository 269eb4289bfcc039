// SigV4 timestamps: ISO 8601 basic format in UTC (20150830T123600Z). The legacy `Date` header may
// instead carry an HTTP date (Sun, 30 Aug 2015 12:36:00 GMT), which we accept and convert.

const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

export function parseAmzDate(value: string): Date | undefined {
  const m = BASIC.exec(value);
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    // Date.UTC silently rolls 20151332 over into the next year; reject instead.
    return formatAmzDate(date) === value ? date : undefined;
  }
  if (IMF_FIXDATE.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : new Date(ms);
  }
  return undefined;
}

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** Whole seconds, so the bounds quoted in skew messages line up with the compared values. */
export function truncateToSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
