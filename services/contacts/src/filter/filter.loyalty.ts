// The customer's loyalty tier, as orders-loyalty announces it
// (orders.customer.tier-changed, projected by loyalty-tier/tier-changed.handler.ts):
// `tier` by name (eq, neq, in, notIn, isEmpty, isNotEmpty) and `tierRank` with number
// operators, 1 for the program's lowest tier: "Gold and above" is
// `tierRank: { gte: <Gold's rank> }`.
//
// A customer without a tier has rank 0 (never missing, so tierRank has no isEmpty)
// and no tier name: they fail `tier: { eq }` and `in`, pass neq and notIn, and are
// exactly the ones `tier: { isEmpty: true }` selects — written over the rank, as the
// (workspace_id, loyalty_tier_rank, id) index holds it.
import type { SystemField } from './filter.fields';
import type { ValueType } from './filter.ops';
import { TEXT, emptyOps, equalityOps, orderOps } from './filter.ops';
import { readString, readWholeNumber } from './filter.values';

/** Tier names are compared exactly, after NFC normalisation (the projection stores them NFC). */
const NAME: ValueType<string> = { ...TEXT, read: (v, at) => readString(v, at).normalize('NFC') };

const RANK: ValueType<number> = {
  read: readWholeNumber,
  cast: '::bigint',
  arrayCast: '::bigint[]',
};

const tier: SystemField = {
  kind: 'tier',
  operators: ({ a }) => ({
    ...equalityOps(`${a}.loyalty_tier_name`, NAME),
    ...emptyOps(`${a}.loyalty_tier_rank = 0`, `${a}.loyalty_tier_rank > 0`),
  }),
};

const tierRank: SystemField = {
  kind: 'tier rank',
  operators: ({ a }) => ({
    ...equalityOps(`${a}.loyalty_tier_rank`, RANK),
    ...orderOps(`${a}.loyalty_tier_rank`, RANK, (x, y) => x - y),
  }),
};

export const LOYALTY_FIELDS: ReadonlyMap<string, SystemField> = new Map([
  ['tier', tier],
  ['tierRank', tierRank],
]);
