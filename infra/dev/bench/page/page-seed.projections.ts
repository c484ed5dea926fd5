// What contacts keeps of other subgraphs' facts, as their events leave it: each
// customer's order figures and has_live_order (orders.customer.summary-changed, with the
// version of customer_order_version), its tier (orders.customer.tier-changed, only for
// customers whose tier ever changed) and its consents (marketing.consent.changed).
// Read from orders-loyalty's and marketing's rows once they are written, into temp
// tables of the contacts session (seed_summary, seed_tier, seed_consent), so contacts'
// customers are inserted once with them (page-seed.contacts.ts): no second version of
// 100,000 rows.
import type { Client } from 'pg';

/** Rows per round trip. */
const BATCH = 50_000;

async function copyRows(
  from: Client,
  to: Client,
  select: string,
  table: string,
  columns: Record<string, string>,
): Promise<void> {
  const names = Object.keys(columns);
  await to.query(`DROP TABLE IF EXISTS ${table}`);
  await to.query(
    `CREATE TEMP TABLE ${table} (${names.map((n) => `${n} ${columns[n]}`).join(', ')})`,
  );
  const { rows } = await from.query<Record<string, unknown>>(select);
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    await to.query(
      `INSERT INTO ${table} SELECT * FROM unnest(${names
        .map((n, k) => `$${k + 1}::${columns[n]}[]`)
        .join(', ')})`,
      names.map((n) => batch.map((r) => r[n])),
    );
  }
  await to.query(`CREATE INDEX ON ${table} (ws, id)`);
  await to.query(`ANALYZE ${table}`);
}

export async function copyProjections(
  contacts: Client,
  orders: Client,
  marketing: Client,
): Promise<void> {
  await copyRows(
    orders,
    contacts,
    `SELECT v.workspace_id AS ws, v.customer_id AS id, v.version,
            count(*) FILTER (WHERE o.status NOT IN ('CANCELLED', 'RETURNED'))::int AS orders,
            COALESCE(sum(o.total) FILTER (WHERE o.status NOT IN ('CANCELLED', 'RETURNED')), 0)::text AS spent,
            min(o.ordered_at) FILTER (WHERE o.status NOT IN ('CANCELLED', 'RETURNED')) AS first_at,
            max(o.ordered_at) FILTER (WHERE o.status NOT IN ('CANCELLED', 'RETURNED')) AS last_at,
            bool_or(o.status <> 'CANCELLED') AS live
       FROM customer_order_version v
       JOIN customer_order o ON o.workspace_id = v.workspace_id AND o.customer_id = v.customer_id
      WHERE v.workspace_id IN (SELECT ws FROM seed_ws)
      GROUP BY v.workspace_id, v.customer_id, v.version`,
    'seed_summary',
    {
      ws: 'text',
      id: 'uuid',
      version: 'bigint',
      orders: 'int',
      spent: 'bigint',
      first_at: 'timestamptz',
      last_at: 'timestamptz',
      live: 'boolean',
    },
  );
  await copyRows(
    orders,
    contacts,
    `SELECT workspace_id AS ws, customer_id AS id, tier_rank AS rank, tier_name AS name, version
       FROM loyalty_balance WHERE workspace_id IN (SELECT ws FROM seed_ws) AND version > 0`,
    'seed_tier',
    { ws: 'text', id: 'uuid', rank: 'int', name: 'text', version: 'bigint' },
  );
  await copyRows(
    marketing,
    contacts,
    `SELECT workspace_id AS ws, customer_id AS id, channel, opted_out, version
       FROM channel_consent WHERE workspace_id IN (SELECT ws FROM seed_ws)`,
    'seed_consent',
    { ws: 'text', id: 'uuid', channel: 'text', opted_out: 'boolean', version: 'bigint' },
  );
}
