// bench:page's data: one big workspace and many small ones, written straight into the
// four subgraphs' databases of a running stack (bench-stack.ts), every row as the
// services themselves would have left it — the facts each subgraph owns and the
// projections the others keep of them (customer_access, the phone directory, contacts'
// order figures, tier and consent). Set-based: INSERT … SELECT over generate_series in
// each database, nothing but statements and a few projections crossing the wire.
//
//   page-seed.profile.ts      who the customers are (the same in every database)
//   page-seed.followers.ts    workspaces and customer_access; Zalo followers
//   page-seed.orders.ts       phone directory, orders and their history, versions
//   page-seed.loyalty.ts      the program, the ledger, balances
//   page-seed.reviews.ts      reviews, voucher campaigns and vouchers
//   page-seed.marketing.ts    campaigns, messages and timelines, consent
//   page-seed.projections.ts  what contacts keeps of orders' and marketing's facts
//   page-seed.contacts.ts     customers, phones, ids, notes, tasks, opportunities, calls
//
// Sizes are the big workspace's; each small one gets the same per customer (orders,
// messages, followers × smallCustomers / customers). The first pages of each list (its
// newest customers, up to 200) have something in every tab. Environment: BENCH_PAGE_CUSTOMERS,
// BENCH_PAGE_SMALL_WORKSPACES, BENCH_PAGE_SMALL_CUSTOMERS, BENCH_PAGE_ORDERS,
// BENCH_PAGE_MESSAGES, BENCH_PAGE_FOLLOWERS.
import { Client } from 'pg';
import { postgresUrl } from '../../src/postgres';
import { seedContacts } from './page-seed.contacts';
import { seedFollowers } from './page-seed.followers';
import { seedLoyalty } from './page-seed.loyalty';
import { seedMarketing } from './page-seed.marketing';
import { seedOrders } from './page-seed.orders';
import { createProfile } from './page-seed.profile';
import type { WorkspacePlan } from './page-seed.profile';
import { copyProjections } from './page-seed.projections';
import { seedReviews, seedVouchers } from './page-seed.reviews';

export interface PageSeedSize {
  customers: number;
  smallWorkspaces: number;
  smallCustomers: number;
  orders: number;
  messages: number;
  followers: number;
}

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export const DEFAULT_PAGE_SEED: PageSeedSize = {
  customers: env('BENCH_PAGE_CUSTOMERS', 100_000),
  smallWorkspaces: env('BENCH_PAGE_SMALL_WORKSPACES', 50),
  smallCustomers: env('BENCH_PAGE_SMALL_CUSTOMERS', 200),
  orders: env('BENCH_PAGE_ORDERS', 1_000_000),
  messages: env('BENCH_PAGE_MESSAGES', 1_000_000),
  followers: env('BENCH_PAGE_FOLLOWERS', 50_000),
};

export interface SeededWorkspace {
  workspaceId: string;
  /** Ordered as the list shows them: created_at DESC, id DESC. */
  customerIds: string[];
}

export interface PageSeed {
  big: SeededWorkspace;
  small: SeededWorkspace[];
  seconds: number;
  /** Rows written, by `<database>.<table>`. */
  counts: Record<string, number>;
}

/** The newest customers of a workspace that get every tab (ten pages of 20). */
const FULL_PAGES_CUSTOMERS = 200;

const DATABASES = ['contacts', 'followers', 'orders_loyalty', 'marketing'] as const;
type Database = (typeof DATABASES)[number];
/** Each subgraph's database URL, when not the stack's `cg_<name>` on one server. */
export type SeedDatabases = Record<Database, string>;

/** The tables each database gets rows in (all have a workspace_id). */
const TABLES: Record<Database, string[]> = {
  contacts: [
    'customer',
    'customer_phone',
    'phone_owner',
    'customer_external_id',
    'custom_field',
    'customer_note',
    'customer_task',
    'opportunity',
    'opportunity_stage_change',
    'customer_call',
    'customer_channel_consent',
  ],
  followers: ['customer_access', 'zalo_follower'],
  orders_loyalty: [
    'customer_access',
    'phone_directory',
    'phone_directory_customer',
    'customer_order',
    'customer_order_status',
    'customer_order_version',
    'loyalty_program',
    'loyalty_entry',
    'loyalty_balance',
    'order_review',
    'voucher_campaign',
    'voucher',
  ],
  marketing: [
    'customer_access',
    'campaign',
    'campaign_audience_batch',
    'marketing_message',
    'message_event',
    'channel_consent',
  ],
};

export function workspacePlans(size: PageSeedSize): WorkspacePlan[] {
  const plan = (workspaceId: string, customers: number, staff: number): WorkspacePlan => {
    const share = customers / size.customers;
    const followers = Math.round(size.followers * share);
    const linked = Math.round(followers * 0.8);
    return {
      workspaceId,
      customers,
      full: Math.min(FULL_PAGES_CUSTOMERS, customers, linked),
      followers,
      linked,
      staff,
      orders: Math.round(size.orders * share),
      messages: Math.round(size.messages * share),
    };
  };
  return [
    plan('page-big', size.customers, 20),
    ...Array.from({ length: size.smallWorkspaces }, (_, i) =>
      plan(`page-small-${String(i + 1).padStart(2, '0')}`, size.smallCustomers, 5),
    ),
  ];
}

/** Seeds a stack's databases: its Postgres port (`cg_<name>`), or each one's URL. */
export async function seedPageData(
  target: number | SeedDatabases,
  size: PageSeedSize = DEFAULT_PAGE_SEED,
): Promise<PageSeed> {
  const started = process.hrtime.bigint();
  const plans = workspacePlans(size);
  const base = new Date(Math.floor(Date.now() / 1000) * 1000);
  const connect = async (name: Database) => {
    const client = new Client({
      connectionString:
        typeof target === 'number' ? postgresUrl(target, `cg_${name}`) : target[name],
    });
    await client.connect();
    // A bulk load: the foreign keys' per-row triggers off for these sessions (the rows are
    // written parent first; seed.check.ts checks every foreign key after).
    await client.query(`SET session_replication_role = replica`);
    return client;
  };
  const db = {} as Record<Database, Client>;
  for (const name of DATABASES) db[name] = await connect(name);
  // A second session writes half of the orders, the largest table.
  const ordersHelper = await connect('orders_loyalty');
  try {
    const { rows } = await db.contacts.query('SELECT id FROM workspace WHERE id = ANY($1)', [
      plans.map((p) => p.workspaceId),
    ]);
    if (rows.length > 0) throw new Error(`workspace ${rows[0].id} is already there`);
    await Promise.all(
      [...DATABASES.map((name) => db[name]), ordersHelper].map((c) =>
        createProfile(c, base, plans),
      ),
    );
    const step = (label: string, work: () => Promise<unknown>) => async () => {
      const t = Date.now();
      await work();
      console.log(`  ${label}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    };
    // Orders and marketing, the large ones, side by side (a core each); contacts waits
    // for their projections.
    await Promise.all([
      step('followers', () => seedFollowers(db.followers))(),
      (async () => {
        await step('orders', () => seedOrders(db.orders_loyalty, plans, ordersHelper))();
        await step('loyalty', () => seedLoyalty(db.orders_loyalty))();
        // Reviews beside vouchers: a session each.
        await step('reviews and vouchers', () =>
          Promise.all([seedReviews(db.orders_loyalty), seedVouchers(ordersHelper)]),
        )();
      })(),
      step('marketing', () => seedMarketing(db.marketing, plans, base))(),
    ]);
    await step('projections', () =>
      copyProjections(db.contacts, db.orders_loyalty, db.marketing),
    )();
    // Contacts written while the others are vacuumed.
    const others = DATABASES.filter((name) => name !== 'contacts');
    await Promise.all([
      step('contacts', async () => {
        await seedContacts(db.contacts);
        // Kept by statement triggers, which the load's replica role skips.
        await db.contacts.query(
          `INSERT INTO customer_count (workspace_id, n)
           SELECT workspace_id, count(*) FROM customer WHERE workspace_id = ANY($1)
            GROUP BY workspace_id`,
          [plans.map((p) => p.workspaceId)],
        );
        await vacuumAnalyze(db.contacts, TABLES.contacts);
      })(),
      step('vacuum analyze', () =>
        Promise.all(others.map((name) => vacuumAnalyze(db[name], TABLES[name]))),
      )(),
    ]);
    const counts = await countRows(db);
    const ids = async (workspaceId: string): Promise<SeededWorkspace> => {
      const { rows } = await db.contacts.query<{ id: string }>(
        'SELECT id FROM customer WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC',
        [workspaceId],
      );
      return { workspaceId, customerIds: rows.map((r) => r.id) };
    };
    const seeded: SeededWorkspace[] = [];
    for (const p of plans) seeded.push(await ids(p.workspaceId));
    const [big, ...small] = seeded;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { big, small, seconds: Math.round(seconds * 10) / 10, counts };
  } finally {
    await Promise.all([...DATABASES.map((name) => db[name]), ordersHelper].map((c) => c.end()));
  }
}

/** Every filled table vacuumed (visibility map: index-only scans) and analysed. */
async function vacuumAnalyze(db: Client, tables: readonly string[]): Promise<void> {
  for (const table of tables) await db.query(`VACUUM (ANALYZE) ${table}`);
}

async function countRows(db: Record<Database, Client>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of DATABASES) {
    const { rows } = await db[name].query<{ t: string; n: number }>(
      TABLES[name]
        .map(
          (t) =>
            `SELECT '${t}' AS t, count(*)::int AS n FROM ${t} WHERE workspace_id IN (SELECT ws FROM seed_ws)`,
        )
        .join(' UNION ALL '),
    );
    for (const r of rows) counts[`${name}.${r.t}`] = r.n;
  }
  return counts;
}
