// The channels a customer is opted out of, as marketing announces them
// (marketing.consent.changed, projected by consent/): `optedOutChannels` with the
// operators tags have — containsAny, containsAll, isEmpty, isNotEmpty — over the six
// channel names. "Opted out of ZNS" is `{ optedOutChannels: { containsAny: ["ZNS"] } }`;
// "may get SMS" is `{ not: { optedOutChannels: { containsAny: ["SMS"] } } }`. Served by
// the (workspace_id, opted_out_channels) GIN index.
import type { SystemField } from './filter.fields';
import { emptyOps } from './filter.ops';
import { readList, readOneOf } from './filter.values';
import { MARKETING_CHANNELS } from '../consent/consent.channels';

const readChannels = readList(
  readOneOf(MARKETING_CHANNELS, `one of ${MARKETING_CHANNELS.join(', ')}`),
);

const optedOutChannels: SystemField = {
  kind: 'channels',
  operators: ({ a }) => ({
    containsAny: (v, at, s) => `${a}.opted_out_channels && ${s.param(readChannels(v, at))}::text[]`,
    containsAll: (v, at, s) => `${a}.opted_out_channels @> ${s.param(readChannels(v, at))}::text[]`,
    ...emptyOps(
      `cardinality(${a}.opted_out_channels) = 0`,
      `cardinality(${a}.opted_out_channels) > 0`,
    ),
  }),
};

export const CONSENT_FIELDS: ReadonlyMap<string, SystemField> = new Map([
  ['optedOutChannels', optedOutChannels],
]);
