// Checks of bench:page's seeded rows against the rules the services keep (seed.check.ts
// runs them on a small seed): every foreign key holds (the seed loads with their
// triggers off), contacts' stored type is customer_derived_type's, and each projection
// equals what its owner holds — orders' kept figures and contacts' order figures
// (publishSummaries' definition), tiers and consents, orders' phone directory,
// followers' links, marketing's kept summary (the aggregate of its messages) and every
// subgraph's customer_access. Returns the failures, each with a few examples; none is a
// pass.
import type { Client } from 'pg';
import { SUMMARY_AGGREGATE, SUMMARY_COLUMNS } from '@customer-graph/marketing';

export type Databases = Record<'contacts' | 'followers' | 'orders_loyalty' | 'marketing', Client>;

/** Rows of a query as `a|b|c` strings (a set of facts to compare). */
async function facts(db: Client, sql: string, workspaceIds: string[]): Promise<Set<string>> {
  const { rows } = await db.query<Record<string, unknown>>(sql, [workspaceIds]);
  const text = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
  return new Set(rows.map((r) => Object.values(r).map(text).join('|')));
}

function differ(label: string, a: Set<string>, b: Set<string>): string[] {
  const onlyA = [...a].filter((x) => !b.has(x));
  const onlyB = [...b].filter((x) => !a.has(x));
  if (onlyA.length === 0 && onlyB.length === 0 && a.size > 0) return [];
  return [
    `${label}: ${a.size} vs ${b.size} rows; ${onlyA.length} only on the left (${onlyA.slice(0, 2).join(', ')}), ` +
      `${onlyB.length} only on the right (${onlyB.slice(0, 2).join(', ')})`,
  ];
}

/** Rows breaking a foreign key of the database (any table), by constraint. */
async function brokenForeignKeys(db: Client, name: string): Promise<string[]> {
  const { rows: keys } = await db.query<{
    name: string;
    child: string;
    parent: string;
    cols: string[];
    refs: string[];
  }>(
    `SELECT c.conname AS name, c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
            (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS cols,
            (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS refs
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE c.contype = 'f' AND NOT t.relispartition`,
  );
  const broken: string[] = [];
  for (const k of keys) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${k.child} c
        WHERE ${k.cols.map((col) => `c.${col} IS NOT NULL`).join(' AND ')}
          AND NOT EXISTS (SELECT 1 FROM ${k.parent} p
                           WHERE ${k.cols.map((col, i) => `p.${k.refs[i]} = c.${col}`).join(' AND ')})`,
    );
    if (rows[0].n > 0) broken.push(`${name}: ${rows[0].n} rows of ${k.child} break ${k.name}`);
  }
  return broken;
}

/** Violations of one SQL count (0 expected). */
async function none(db: Client, label: string, sql: string, ws: string[]): Promise<string[]> {
  const { rows } = await db.query<{ n: number }>(sql, [ws]);
  return rows[0].n === 0 ? [] : [`${label}: ${rows[0].n} rows`];
}

export async function checkConsistency(db: Databases, ws: string[]): Promise<string[]> {
  const failures: string[] = [];
  for (const [name, client] of Object.entries(db)) {
    failures.push(...(await brokenForeignKeys(client, name)));
  }
  failures.push(
    ...(await none(
      db.contacts,
      'contacts has_phone not whether it has a phone',
      `SELECT count(*)::int AS n FROM customer c WHERE c.workspace_id = ANY($1)
          AND c.has_phone <> EXISTS (SELECT 1 FROM customer_phone p
                                      WHERE p.workspace_id = c.workspace_id AND p.customer_id = c.id)`,
      ws,
    )),
    ...(await none(
      db.contacts,
      'contacts customer_count not count(*)',
      `SELECT count(*)::int AS n FROM (
         SELECT c.workspace_id, count(*) AS n FROM customer c WHERE c.workspace_id = ANY($1)
          GROUP BY c.workspace_id) c
         LEFT JOIN (SELECT workspace_id, sum(n) AS n FROM customer_count GROUP BY workspace_id) k
           ON k.workspace_id = c.workspace_id
        WHERE k.n IS DISTINCT FROM c.n`,
      ws,
    )),
    ...(await none(
      db.contacts,
      'contacts type not customer_derived_type',
      `SELECT count(*)::int AS n FROM customer WHERE workspace_id = ANY($1)
          AND type <> customer_derived_type(workspace_id, id, email, has_live_order)`,
      ws,
    )),
    ...(await none(
      db.contacts,
      'contacts opted_out_channels not its consent rows',
      `SELECT count(*)::int AS n FROM customer c WHERE c.workspace_id = ANY($1)
          AND c.opted_out_channels <> COALESCE((SELECT array_agg(k.channel COLLATE "C" ORDER BY k.channel COLLATE "C")
                FROM customer_channel_consent k WHERE k.workspace_id = c.workspace_id
                 AND k.customer_id = c.id AND k.opted_out), '{}')`,
      ws,
    )),
  );
  const summaryInOrders = `SELECT v.workspace_id, v.customer_id, v.version,
      count(*) FILTER (WHERE o.status NOT IN ('CANCELLED', 'RETURNED')) AS orders,
      COALESCE(sum(o.total) FILTER (WHERE o.status NOT IN ('CANCELLED', 'RETURNED')), 0) AS spent,
      min(o.ordered_at) FILTER (WHERE o.status NOT IN ('CANCELLED', 'RETURNED')) AS first_at,
      max(o.ordered_at) FILTER (WHERE o.status NOT IN ('CANCELLED', 'RETURNED')) AS last_at,
      COALESCE(bool_or(o.status <> 'CANCELLED'), false) AS live
    FROM customer_order_version v LEFT JOIN customer_order o
      ON o.workspace_id = v.workspace_id AND o.customer_id = v.customer_id
   WHERE v.workspace_id = ANY($1) GROUP BY 1, 2, 3`;
  const pairs: [string, keyof Databases, string, keyof Databases, string][] = [
    [
      'kept order figures (customer_order_version vs its orders)',
      'orders_loyalty',
      `SELECT workspace_id, customer_id, order_count, completed_count, total_spent, first_order_at,
              last_order_at FROM customer_order_version WHERE workspace_id = ANY($1)`,
      'orders_loyalty',
      `SELECT v.workspace_id, v.customer_id,
              count(o.id) FILTER (WHERE o.status NOT IN ('CANCELLED', 'RETURNED')) AS orders,
              count(o.id) FILTER (WHERE o.status = 'COMPLETED') AS completed,
              COALESCE(sum(o.total) FILTER (WHERE o.status NOT IN ('CANCELLED', 'RETURNED')), 0)
                AS spent,
              min(o.ordered_at) FILTER (WHERE o.status NOT IN ('CANCELLED', 'RETURNED')) AS first_at,
              max(o.ordered_at) FILTER (WHERE o.status NOT IN ('CANCELLED', 'RETURNED')) AS last_at
         FROM customer_order_version v LEFT JOIN customer_order o
           ON o.workspace_id = v.workspace_id AND o.customer_id = v.customer_id
        WHERE v.workspace_id = ANY($1) GROUP BY 1, 2`,
    ],
    [
      'order figures (orders-loyalty vs contacts)',
      'orders_loyalty',
      summaryInOrders,
      'contacts',
      `SELECT workspace_id, id, order_summary_version, order_count, total_spent, first_order_at,
              last_order_at, has_live_order FROM customer
        WHERE workspace_id = ANY($1) AND order_summary_version > 0`,
    ],
    [
      'tiers (loyalty_balance vs contacts)',
      'orders_loyalty',
      `SELECT workspace_id, customer_id, tier_rank, tier_name, version FROM loyalty_balance
        WHERE workspace_id = ANY($1) AND version > 0`,
      'contacts',
      `SELECT workspace_id, id, loyalty_tier_rank, loyalty_tier_name, loyalty_tier_version
         FROM customer WHERE workspace_id = ANY($1) AND loyalty_tier_version > 0`,
    ],
    [
      'balances (loyalty_balance vs the sums of its entries)',
      'orders_loyalty',
      `SELECT workspace_id, customer_id, qualifying, redeemable FROM loyalty_balance
        WHERE workspace_id = ANY($1) AND (qualifying, redeemable) <> (0, 0)`,
      'orders_loyalty',
      `SELECT workspace_id, customer_id, sum(qualifying_delta) AS q, sum(redeemable_delta) AS r
         FROM loyalty_entry WHERE workspace_id = ANY($1) GROUP BY 1, 2`,
    ],
    [
      'consent (marketing vs contacts)',
      'marketing',
      `SELECT workspace_id, customer_id, channel, opted_out, version FROM channel_consent
        WHERE workspace_id = ANY($1)`,
      'contacts',
      `SELECT workspace_id, customer_id, channel, opted_out, version FROM customer_channel_consent
        WHERE workspace_id = ANY($1)`,
    ],
    [
      'marketing summary (kept vs the aggregate of the messages)',
      'marketing',
      `SELECT ${SUMMARY_COLUMNS} FROM marketing_customer_summary WHERE workspace_id = ANY($1)`,
      'marketing',
      `SELECT ${SUMMARY_AGGREGATE} FROM marketing_message WHERE workspace_id = ANY($1)
        GROUP BY workspace_id, customer_id, channel`,
    ],
    [
      'phone directory (orders-loyalty vs contacts)',
      'orders_loyalty',
      `SELECT workspace_id, e164, customer_id FROM phone_directory WHERE workspace_id = ANY($1)`,
      'contacts',
      `SELECT workspace_id, e164, customer_id FROM customer_phone WHERE workspace_id = ANY($1)`,
    ],
    [
      'Zalo links (followers vs contacts)',
      'followers',
      `SELECT workspace_id, zalo_user_id, customer_id, linked_at FROM zalo_follower
        WHERE workspace_id = ANY($1) AND customer_id IS NOT NULL`,
      'contacts',
      `SELECT workspace_id, external_id, customer_id, created_at FROM customer_external_id
        WHERE workspace_id = ANY($1) AND source = 'ZALO'`,
    ],
  ];
  const assigned = `SELECT workspace_id, id, assigned_staff FROM customer
    WHERE workspace_id = ANY($1) AND assigned_staff IS NOT NULL`;
  for (const sub of ['followers', 'orders_loyalty', 'marketing'] as const) {
    pairs.push([
      `customer_access (${sub} vs contacts)`,
      sub,
      `SELECT workspace_id, customer_id, assigned_staff FROM customer_access
        WHERE workspace_id = ANY($1) AND NOT deleted`,
      'contacts',
      assigned,
    ]);
  }
  for (const [label, left, leftSql, right, rightSql] of pairs) {
    failures.push(
      ...differ(label, await facts(db[left], leftSql, ws), await facts(db[right], rightSql, ws)),
    );
  }
  return failures;
}

/** A few figures of the seeded data's shape, for the report. */
export async function shape(db: Databases, workspaceId: string): Promise<Record<string, unknown>> {
  const one = async (client: Client, sql: string) =>
    (await client.query(sql, [workspaceId])).rows[0] as Record<string, unknown>;
  return {
    orders: await one(
      db.orders_loyalty,
      `SELECT count(*)::int AS customers, max(n)::int AS most,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY n) AS median,
              sum(n) FILTER (WHERE n >= 100)::int AS "ordersOfCustomersWith100+"
         FROM (SELECT count(*) AS n FROM customer_order WHERE workspace_id = $1
                GROUP BY customer_id) x`,
    ),
    messages: await one(
      db.marketing,
      `SELECT count(*)::int AS customers, max(n)::int AS most,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY n) AS median
         FROM (SELECT count(*) AS n FROM marketing_message WHERE workspace_id = $1
                GROUP BY customer_id) x`,
    ),
    customers: await one(
      db.contacts,
      `SELECT count(*)::int AS all, count(*) FILTER (WHERE type = 'CUSTOMER')::int AS "typeCustomer",
              count(*) FILTER (WHERE loyalty_tier_rank > 0)::int AS "withTier",
              count(*) FILTER (WHERE assigned_staff IS NOT NULL)::int AS assigned
         FROM customer WHERE workspace_id = $1`,
    ),
  };
}
