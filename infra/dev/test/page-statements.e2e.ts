// The customer list page (schema/operations/frontend/customer-list.graphql) runs the same
// number of SQL statements whatever its size: a page of 5 rows and a page of 50, every
// tab filled, cost the stack the same statements (issue 16). Counted per statement in
// the stack's four databases from pg_stat_statements. A request's statements are its
// tenant's (`workspace_id = $1`, the house rule); the background's (outbox relays, job
// workers' polls, transaction control) are not, and any statement seen running while no
// request runs is left out too.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { repoRoot } from '@customer-graph/runtime';
import { seedPageData } from '../bench/page/page-seed';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

const LIST = readFileSync(
  path.join(repoRoot(), 'schema/operations/frontend/customer-list.graphql'),
  'utf8',
);
/** A statement of a request reads or writes one workspace's rows. */
const TENANT_SCOPED = /workspace_id = \$n/;
const PAGES = 4;

let stack: TestStack;
let pg: Client;
let token: string;
let databases: string[];

beforeAll(async () => {
  stack = await startTestStack();
  const url = (name: string) => stack.subgraphs[name].databaseUrl;
  const progress = jest.spyOn(console, 'log').mockImplementation(() => undefined); // the seed's steps
  const seed = await seedPageData(
    {
      contacts: url('contacts'),
      followers: url('followers'),
      orders_loyalty: url('orders-loyalty'),
      marketing: url('marketing'),
    },
    {
      customers: 60,
      smallWorkspaces: 0,
      smallCustomers: 0,
      orders: 900,
      messages: 900,
      followers: 70,
    },
  );
  progress.mockRestore();
  token = await stack.token({
    workspaceId: seed.big.workspaceId,
    userId: 'admin-1',
    role: 'admin',
  });
  databases = Object.values(stack.subgraphs).map((s) => new URL(s.databaseUrl).pathname.slice(1));
  pg = new Client({ connectionString: url('contacts') });
  await pg.connect();
  await pg.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
}, 120_000);

afterAll(async () => {
  await pg?.end();
  await stack?.stop();
});

type Counts = Map<string, { calls: number; query: string }>;

async function statements(): Promise<Counts> {
  const { rows } = await pg.query<{ id: string; calls: string; query: string }>(
    `SELECT s.dbid || ':' || s.queryid AS id, s.calls, s.query FROM pg_stat_statements s
       JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = ANY($1)`,
    [databases],
  );
  return new Map(rows.map((r) => [r.id, { calls: Number(r.calls), query: r.query }]));
}

/** The statements run between two readings, by text (an IN list of any length as one). */
function ranBetween(before: Counts, after: Counts): Map<string, number> {
  const ran = new Map<string, number>();
  for (const [id, { calls, query }] of after) {
    const n = calls - (before.get(id)?.calls ?? 0);
    const text = query.replace(/\$\d+(, \$\d+)*/g, '$n');
    if (n > 0) ran.set(text, (ran.get(text) ?? 0) + n);
  }
  return ran;
}

/** What the stack runs by itself over a few seconds of no requests. */
async function background(): Promise<Set<string>> {
  const before = await statements();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  return new Set(ranBetween(before, await statements()).keys());
}

async function listPage(first: number) {
  const answer = await stack.query(token, LIST, { first });
  expect(answer.body.errors).toBeUndefined();
  const edges = (answer.body.data!.customers as { edges: { node: Record<string, unknown> }[] })
    .edges;
  return edges;
}

async function statementsOfPages(first: number, idle: Set<string>): Promise<Map<string, number>> {
  await listPage(first); // the plans' first run apart
  const before = await statements();
  for (let i = 0; i < PAGES; i++) await listPage(first);
  const ran = ranBetween(before, await statements());
  for (const text of ran.keys()) if (idle.has(text) || !TENANT_SCOPED.test(text)) ran.delete(text);
  return ran;
}

test('a list page of 5 rows and one of 50 run the same statements, each as often', async () => {
  // Every row of both pages has every tab filled: the tabs' statements run for real.
  for (const first of [5, 50]) {
    const edges = await listPage(first);
    expect(edges).toHaveLength(first);
    for (const { node } of edges) {
      expect((node.orders as { edges: unknown[] }).edges.length).toBeGreaterThan(0);
      expect((node.marketing as { edges: unknown[] }).edges.length).toBeGreaterThan(0);
      expect(node.zaloFollower).not.toBeNull();
      expect(node.marketingSummary).not.toEqual([]);
    }
  }
  const idle = await background();
  const small = await statementsOfPages(5, idle);
  const large = await statementsOfPages(50, idle);
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0) / PAGES;
  // Reported with the statements, so a failure shows which one grew with the page.
  expect(Object.fromEntries(large)).toEqual(Object.fromEntries(small));
  // contacts' page, count and phones, and each tab's own: 14 today.
  expect(total(small)).toBeGreaterThanOrEqual(10);
  expect(total(small)).toBeLessThanOrEqual(16);
  // Each statement once per page.
  for (const n of small.values()) expect(n % PAGES).toBe(0);
}, 120_000);
