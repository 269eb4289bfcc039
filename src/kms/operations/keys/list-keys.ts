// ListKeys: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html

import { InvalidMarkerException } from '../../../errors/aws-errors.js';
import { InvalidMarkerError } from '../../../store/store.js';
import { defineOperation } from '../../pipeline/pipeline.js';

export const ListKeys = defineOperation({
  name: 'ListKeys',
  readOnly: true,
  dryRun: false,
  keys: [],
  async run({ input, caller, services }) {
    const limit = (input.Limit as number | undefined) ?? 100;
    try {
      const page = await services.store.listKeys(caller.scope, { limit, marker: input.Marker as string | undefined });
      return {
        Keys: page.items.map((key) => ({ KeyId: key.keyId, KeyArn: key.arn })),
        ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
        Truncated: page.nextMarker !== undefined,
      };
    } catch (err) {
      // Unconfirmed wording: no recorded AWS response found.
      if (err instanceof InvalidMarkerError) throw new InvalidMarkerException('Invalid marker');
      throw err;
    }
  },
});
