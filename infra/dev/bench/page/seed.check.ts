// Checks bench:page's data generator end to end, small:
//   node --conditions=source --import tsx infra/dev/bench/page/seed.check.ts
// Starts a bench stack, seeds it (2,000 customers, 20,000 orders and messages, 1,000
// followers, 3 small workspaces of 200; BENCH_PAGE_* apply; `--full`: the bench's own
// size, to time it — run that with nothing else measuring), checks the rows
// against the services' rules (seed.consistency.ts), then sends the two page operations
// (schema/operations/frontend/) through the gateway with an admin token, for the big
// workspace and a small one: no errors, the list in the seed's order, every row of its
// first pages with orders, messages, a Zalo follower, a tier and both summaries, and
// every tab of the detail page filled for first-page customers. Exits 1 on a failure.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { signDevToken } from '@customer-graph/gateway';
import { repoRoot } from '@customer-graph/runtime';
import { startBenchStack } from '../bench-stack';
import { postgresUrl } from '../../src/postgres';
import { DEFAULT_PAGE_SEED, seedPageData } from './page-seed';
import type { PageSeedSize, SeededWorkspace } from './page-seed';
import { checkConsistency, shape } from './seed.consistency';
import type { Databases } from './seed.consistency';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
/** `--full`: the bench's own size (DEFAULT_PAGE_SEED). */
const SIZE: PageSeedSize = process.argv.includes('--full')
  ? DEFAULT_PAGE_SEED
  : {
      customers: env('BENCH_PAGE_CUSTOMERS', 2_000),
      smallWorkspaces: env('BENCH_PAGE_SMALL_WORKSPACES', 3),
      smallCustomers: env('BENCH_PAGE_SMALL_CUSTOMERS', 200),
      orders: env('BENCH_PAGE_ORDERS', 20_000),
      messages: env('BENCH_PAGE_MESSAGES', 20_000),
      followers: env('BENCH_PAGE_FOLLOWERS', 1_000),
    };
const operation = (name: string) =>
  readFileSync(path.join(repoRoot(), 'schema/operations/frontend', name), 'utf8');
const LIST = operation('customer-list.graphql');
const DETAIL = operation('customer-detail.graphql');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const failures: string[] = [];
const expect = (ok: unknown, what: string) => {
  if (!ok) failures.push(what);
};
const edges = (connection: Json | null | undefined) => connection?.edges ?? [];

/** The list's first `pages` pages: in the seed's order, every row's tabs filled. */
async function checkList(post: Post, seeded: SeededWorkspace, pages: number): Promise<void> {
  let after: string | null = null;
  for (let page = 0; page < pages; page++) {
    const data = await post('CustomerListPage', LIST, { first: 20, after });
    const rows: Json[] = edges(data.customers).map((e: Json) => e.node);
    const at = `${seeded.workspaceId} list page ${page + 1}`;
    expect(data.customers.totalCount === seeded.customerIds.length, `${at}: totalCount`);
    expect(
      rows.map((r) => r.id).join() === seeded.customerIds.slice(page * 20, page * 20 + 20).join(),
      `${at}: not the seed's order`,
    );
    for (const r of rows) {
      const row = `${at}, ${r.name} (${r.id})`;
      expect(edges(r.orders).length > 0, `${row}: no orders`);
      expect(r.orderSummary?.orderCount > 0, `${row}: no order summary`);
      expect(edges(r.marketing).length > 0, `${row}: no messages`);
      expect(r.marketingSummary?.length > 0, `${row}: no marketing summary`);
      expect(r.zaloFollower?.id, `${row}: no Zalo follower`);
      expect(r.loyalty?.tier?.name, `${row}: no loyalty tier`);
    }
    after = data.customers.pageInfo.endCursor;
  }
}

/** Every tab of the detail page of one customer. */
async function checkDetail(post: Post, workspaceId: string, id: string): Promise<void> {
  const { customer: c } = await post('CustomerDetailPage', DETAIL, { id });
  const at = `${workspaceId} detail of ${id}`;
  expect(c?.id === id, `${at}: not found`);
  if (!c) return;
  const lists: [string, unknown[]][] = [
    ['phones', c.phones],
    ['custom', c.custom],
    ['notes', edges(c.notes)],
    ['tasks', edges(c.tasks)],
    ['opportunities', edges(c.opportunities)],
    ['calls', edges(c.calls)],
    ['zaloFollowers', edges(c.zaloFollowers)],
    ['orders', edges(c.orders)],
    ['order items', edges(c.orders)[0]?.node.items ?? []],
    ['reviews', edges(c.reviews)],
    ['vouchers', edges(c.vouchers)],
    ['loyalty history', edges(c.loyalty?.history)],
    ['marketingSummary', c.marketingSummary ?? []],
    ['channelConsents', c.channelConsents ?? []],
    ['marketing', edges(c.marketing)],
  ];
  for (const [tab, list] of lists) expect(list.length > 0, `${at}: ${tab} empty`);
  expect(c.orderSummary?.orderCount > 0, `${at}: orderSummary`);
  expect(c.loyalty?.tier?.name, `${at}: loyalty tier`);
}

type Post = (operationName: string, query: string, variables: object) => Promise<Json>;

async function main(): Promise<void> {
  const stack = await startBenchStack('page-seed', 60 * 60_000);
  try {
    const port = Number(stack.ports.POSTGRES_PORT);
    console.log('seeding', SIZE);
    const seed = await seedPageData(port, SIZE);
    console.log(JSON.stringify({ seconds: seed.seconds, counts: seed.counts }, null, 2));
    for (const [table, n] of Object.entries(seed.counts)) expect(n > 0, `no rows in ${table}`);
    const db = {} as Databases;
    for (const name of ['contacts', 'followers', 'orders_loyalty', 'marketing'] as const) {
      db[name] = new Client({ connectionString: postgresUrl(port, `cg_${name}`) });
      await db[name].connect();
    }
    try {
      const all = [seed.big, ...seed.small].map((w) => w.workspaceId);
      failures.push(...(await checkConsistency(db, all)));
      console.log('big workspace:', JSON.stringify(await shape(db, seed.big.workspaceId)));
    } finally {
      await Promise.all(Object.values(db).map((c) => c.end()));
    }

    for (const [seeded, pages] of [
      [seed.big, 3],
      [seed.small[0], 2],
    ] as const) {
      const token = await signDevToken(
        { workspaceId: seeded.workspaceId, userId: 'admin-1', role: 'admin' },
        stack.jwtSecret,
      );
      const post: Post = async (operationName, query, variables) => {
        const res = await fetch(`${stack.gateway}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables, operationName }),
        });
        const body = (await res.json()) as { data: Json; errors?: unknown[] };
        if (body.errors) failures.push(`${operationName}: ${JSON.stringify(body.errors)}`);
        return body.data ?? {};
      };
      await checkList(post, seeded, pages);
      for (const i of [0, 7, 19])
        await checkDetail(post, seeded.workspaceId, seeded.customerIds[i]);
    }
  } finally {
    await stack.stop();
  }
  if (failures.length > 0) {
    console.error(`FAILED (${failures.length}):\n  ${failures.slice(0, 40).join('\n  ')}`);
    process.exit(1);
  }
  console.log('seed check: OK');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
