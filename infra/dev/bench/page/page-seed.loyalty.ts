// bench:page's loyalty ledger, as per-customer reconciliation (loyalty.reconcile.ts)
// leaves it under one program: four tiers from 1 point, 1 point per 10,000 ₫ of a
// COMPLETED order from any source, LIFETIME tiers, points that never expire (so no
// balance is ever due to the sweep). One live EARN per completed order at the time it
// completed (its window_at the order's date), the balances after each entry; a fifth of
// the customers redeemed half their points since; one balance row per customer with
// orders, its tier and its tier version (how many times the tier changed).
import type { Client } from 'pg';

const PROGRAM = {
  tiers: [
    { name: 'Thành viên', threshold: 1, benefits: 'Tích điểm mọi đơn hàng' },
    { name: 'Bạc', threshold: 300, benefits: 'Giảm 3% mọi đơn hàng' },
    { name: 'Vàng', threshold: 1000, benefits: 'Giảm 5%, quà sinh nhật' },
    { name: 'Kim cương', threshold: 3000, benefits: 'Giảm 10%, miễn phí vận chuyển' },
  ].map((t) => ({ ...t, cardUrl: null, multiplier: null })),
  earn: {
    points: 1,
    perAmount: 10_000,
    sources: ['SHOPEE', 'LAZADA', 'TIKTOK_SHOP', 'WEBSITE', 'FACEBOOK', 'ZALO', 'POS', 'OTHER'],
  },
  tierPeriod: 'LIFETIME',
  expiryMonths: null,
};

/** The tier rank of a number of qualifying points, in SQL (loyalty.program.ts's tierFor). */
const rankOf = (points: string) =>
  `CASE ${PROGRAM.tiers
    .map((t, i) => ({ ...t, rank: i + 1 }))
    .reverse()
    .map((t) => `WHEN ${points} >= ${t.threshold} THEN ${t.rank}`)
    .join(' ')} ELSE 0 END`;
const TIER_NAMES = `ARRAY[${PROGRAM.tiers.map((t) => `'${t.name}'`).join(', ')}]::text[]`;

export async function seedLoyalty(db: Client): Promise<void> {
  await db.query(
    `INSERT INTO loyalty_program (workspace_id, program, revision, updated_by, updated_at)
     SELECT ws, $1::jsonb, 1, 'admin-1', base - interval '1100 days' FROM seed_ws`,
    [JSON.stringify(PROGRAM)],
  );
  const { perAmount, points } = PROGRAM.earn;
  await db.query(
    `INSERT INTO loyalty_entry (workspace_id, customer_id, kind, order_id, qualifying_delta,
       redeemable_delta, qualifying_after, redeemable_after, live, window_at, created_at)
     SELECT workspace_id, customer_id, 'EARN', id, pts, pts, sum(pts) OVER w, sum(pts) OVER w,
            true, ordered_at, source_updated_at
       FROM (SELECT o.*, floor(o.total / ${perAmount})::bigint * ${points} AS pts FROM customer_order o
              WHERE o.workspace_id IN (SELECT ws FROM seed_ws) AND o.status = 'COMPLETED'
                AND o.customer_id IS NOT NULL) e
      WHERE pts > 0
     WINDOW w AS (PARTITION BY workspace_id, customer_id ORDER BY source_updated_at, id
                  ROWS UNBOUNDED PRECEDING)`,
  );
  await db.query('ANALYZE loyalty_entry');
  await db.query(
    `INSERT INTO loyalty_entry (workspace_id, customer_id, kind, person, reason, qualifying_delta,
       redeemable_delta, qualifying_after, redeemable_after, live, window_at, created_at)
     SELECT e.workspace_id, e.customer_id, 'REDEEM', COALESCE(c.staff, 'admin-1'), 'Đổi quà tặng', 0,
            -x.amount, e.earned, e.earned - x.amount, false, x.at, x.at
       FROM (SELECT workspace_id, customer_id, sum(redeemable_delta) AS earned, max(created_at) AS last
               FROM loyalty_entry WHERE workspace_id IN (SELECT ws FROM seed_ws) AND kind = 'EARN'
              GROUP BY workspace_id, customer_id) e
       JOIN seed_customer c ON c.ws = e.workspace_id AND c.id = e.customer_id
      CROSS JOIN LATERAL (SELECT e.earned / 20 * 10 AS amount, e.last + (c.base - e.last) / 2 AS at) x
      WHERE (c.h >> 33) % 5 = 0 AND x.amount > 0`,
  );
  await db.query(
    `INSERT INTO loyalty_balance (workspace_id, customer_id, qualifying, redeemable, tier_rank,
       tier_name, version, revision)
     SELECT v.workspace_id, v.customer_id, COALESCE(e.q, 0), COALESCE(e.r, 0),
            ${rankOf('COALESCE(e.q, 0)')}, (${TIER_NAMES})[${rankOf('COALESCE(e.q, 0)')}],
            COALESCE(e.tiers, 0), 1
       FROM customer_order_version v
       LEFT JOIN (SELECT workspace_id, customer_id, sum(qualifying_delta) AS q,
                         sum(redeemable_delta) AS r,
                         count(DISTINCT ${rankOf('qualifying_after')})
                           FILTER (WHERE kind = 'EARN' AND ${rankOf('qualifying_after')} > 0) AS tiers
                    FROM loyalty_entry WHERE workspace_id IN (SELECT ws FROM seed_ws)
                   GROUP BY workspace_id, customer_id) e
         ON e.workspace_id = v.workspace_id AND e.customer_id = v.customer_id
      WHERE v.workspace_id IN (SELECT ws FROM seed_ws)`,
  );
}
