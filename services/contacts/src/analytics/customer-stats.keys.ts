// What customerStats groups by: each key as SQL over `customer c`, read so that a
// group is exactly what the list's filter with that value selects (filter.fields.ts,
// filter.loyalty.ts), the null group included:
//   TYPE, GENDER, GROUP     the column                    `type: { eq }`, `group: { isEmpty }`
//   CITY, ASSIGNED_STAFF    '' counts as no value         `city: { eq }`, `city: { isEmpty }`
//   TIER                    the name while the rank is > 0 `tier: { eq }`, `tier: { isEmpty }`
//   TAG, LABEL              once per value, null if none  `tags: { containsAny: [v] }`, `isEmpty`
//   CREATED_DAY / _MONTH    Vietnam time                  `createdAt: { gte, lt }`
//   SOURCE                  each platform of its external ids (ZALO, SHOP), null if none
import { hashedManyValuedKey, keptDayKey } from '@customer-graph/runtime';
import type { StatsKey } from '@customer-graph/runtime';
import type { CustomerStatsKey } from '../generated/graphql';

export const CUSTOMER_STATS_KEYS: Readonly<Record<CustomerStatsKey, StatsKey>> = {
  TYPE: { group: 'c.type' },
  CITY: { group: `NULLIF(c.city, '')` },
  GENDER: { group: 'c.gender' },
  // Grouped by the values' hashes (migration 1767100000100), shown from a customer of
  // the group (customer-stats.ts, representative).
  TAG: hashedManyValuedKey('c.tag_hashes', 'r.tags'),
  LABEL: hashedManyValuedKey('c.label_hashes', 'r.labels'),
  GROUP: { group: 'c.customer_group' },
  TIER: { group: 'CASE WHEN c.loyalty_tier_rank > 0 THEN c.loyalty_tier_name END' },
  ASSIGNED_STAFF: { group: `NULLIF(c.assigned_staff, '')` },
  // Kept per row (migration 1767100000100): c.created_at's Vietnam day and month.
  CREATED_DAY: keptDayKey('c.created_day', 'day'),
  CREATED_MONTH: keptDayKey('c.created_month', 'month'),
  // A customer may hold several ids of one platform (two Zalo users on one number):
  // each platform once (customer_external_id_customer_idx finds a customer's ids).
  SOURCE: {
    group: 'src.v',
    join: `LEFT JOIN LATERAL (SELECT DISTINCT x.source FROM customer_external_id x
      WHERE x.workspace_id = c.workspace_id AND x.customer_id = c.id) AS src(v) ON TRUE`,
  },
};
