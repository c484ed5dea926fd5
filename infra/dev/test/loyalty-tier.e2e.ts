// Loyalty tiers end to end, through the gateway and the real broker (issue 13): a
// program, customers with phones, COMPLETED orders of varying totals; orders-loyalty
// earns the points and announces each tier (orders.customer.tier-changed), contacts
// projects it, and for every customer the list's `tier` and `tierRank` filters agree
// with orders-loyalty's Customer.loyalty.tier. Then the program changes (other
// thresholds): once the re-evaluation job has finished and the projection caught up,
// they agree again.
import { randomBytes } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import { eventually } from './webhooks';
import type { TestStack } from './stack';

const ws = `tier-${randomBytes(3).toString('hex')}`;
const admin: Identity = { workspaceId: ws, userId: 'admin', role: 'admin' };
const CUSTOMERS = 12;
const NAMES = ['Bạc', 'Vàng', 'Kim cương'];

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.token(admin);
}, 60_000);
afterAll(() => stack?.stop());

async function gql(query: string, variables?: object) {
  const { body } = await stack.query(token, query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
  return body.data!;
}

/** Sets the program (1 point per 10,000 ₫, lifetime) and returns its re-evaluation's id. */
async function setProgram(thresholds: number[]): Promise<string> {
  const data = await gql(
    `mutation($i: LoyaltyProgramInput!) { setLoyaltyProgram(input: $i) { reevaluation { id } } }`,
    {
      i: {
        tiers: NAMES.map((name, n) => ({ name, threshold: thresholds[n] })),
        earnPoints: 1,
        earnPerAmount: 10_000,
        tierPeriod: 'LIFETIME',
      },
    },
  );
  return (data.setLoyaltyProgram as { reevaluation: { id: string } }).reevaluation.id;
}

/** The tier name each customer ought to have: the highest threshold their points reach. */
function tierOf(points: number, thresholds: number[]): string | null {
  let name: string | null = null;
  thresholds.forEach((t, n) => {
    if (points >= t) name = NAMES[n];
  });
  return name;
}

type Tiers = Record<string, string | null>;

/** Every customer's Customer.loyalty.tier, through the gateway. */
async function loyaltyTiers(): Promise<Tiers> {
  const data = await gql(
    `{ customers(first: 100) { edges { node { id loyalty { tier { name } } } } } }`,
  );
  const edges = (
    data.customers as {
      edges: { node: { id: string; loyalty: { tier: { name: string } | null } | null } }[];
    }
  ).edges;
  return Object.fromEntries(edges.map((e) => [e.node.id, e.node.loyalty?.tier?.name ?? null]));
}

async function ids(filter: object): Promise<string[]> {
  const data = await gql(
    `query($f: CustomerFilter) { customers(first: 100, filter: $f) { edges { node { id } } } }`,
    { f: filter },
  );
  return (data.customers as { edges: { node: { id: string } }[] }).edges
    .map((e) => e.node.id)
    .sort();
}

/** Each customer's tier as the list's filters select it: by name, no tier, and by rank. */
async function listTiers(): Promise<{ byName: Tiers; byRank: Tiers }> {
  const byName: Tiers = {};
  const byRank: Tiers = {};
  for (const id of await ids({ tier: { isEmpty: true } })) byName[id] = null;
  for (const id of await ids({ tierRank: { eq: 0 } })) byRank[id] = null;
  for (const [n, name] of NAMES.entries()) {
    for (const id of await ids({ tier: { eq: name } })) byName[id] = name;
    // "This tier and above" minus "the next and above": this tier.
    const above = new Set(n + 1 < NAMES.length ? await ids({ tierRank: { gte: n + 2 } }) : []);
    for (const id of await ids({ tierRank: { gte: n + 1 } })) {
      if (!above.has(id)) byRank[id] = name;
    }
  }
  return { byName, byRank };
}

const sorted = (tiers: Tiers) =>
  JSON.stringify(Object.entries(tiers).sort(([a], [b]) => a.localeCompare(b)));

/** Waits until the list's filters agree with Customer.loyalty for every customer. */
async function expectListAgrees(expected: Tiers): Promise<void> {
  const seen = await eventually(
    listTiers,
    (t) => sorted(t.byName) === sorted(expected) && sorted(t.byRank) === sorted(expected),
  );
  expect(seen).toEqual({ byName: expected, byRank: expected });
}

it('filters the list by tier as orders-loyalty places each customer, before and after a program change', async () => {
  const first = [10, 50, 100];
  await setProgram(first);

  const points = new Map<string, number>();
  const orders: object[] = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    const phone = `0912${String(700_000 + c).padStart(6, '0')}`;
    const data = await gql(`mutation($i: CustomerInput!) { createCustomer(input: $i) { id } }`, {
      i: { name: `Khách ${c}`, phone },
    });
    const id = (data.createCustomer as { id: string }).id;
    // Customer c: c orders of c × 30,000 ₫, so c² × 3 points (0 … 363).
    points.set(id, c * c * 3);
    for (let o = 0; o < c; o++) {
      const at = new Date(Date.UTC(2026, 0, 1 + o, c)).toISOString();
      orders.push({
        source: 'POS',
        code: `T-${c}-${o}`,
        status: 'COMPLETED',
        buyerName: `Khách ${c}`,
        buyerPhone: phone,
        items: [{ productName: 'Bánh', quantity: 1, unitPrice: c * 30_000 }],
        subtotal: c * 30_000,
        shippingFee: 0,
        total: c * 30_000,
        orderedAt: at,
        updatedAt: at,
      });
    }
  }
  const upserted = await gql(
    `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created rejected { reason } } }`,
    { o: orders },
  );
  expect(upserted.upsertOrders).toEqual({ created: orders.length, rejected: [] });

  const expectedUnder = (thresholds: number[]): Tiers =>
    Object.fromEntries([...points].map(([id, p]) => [id, tierOf(p, thresholds)]));

  // orders-loyalty's tab: every order attached and earned (nobody is left out).
  const before = expectedUnder(first);
  expect(new Set(Object.values(before))).toEqual(new Set([null, ...NAMES]));
  expect(await eventually(loyaltyTiers, (t) => sorted(t) === sorted(before))).toEqual(before);
  await expectListAgrees(before);

  // Other thresholds: most customers move, some up, some down.
  const second = [30, 150, 300];
  const job = await setProgram(second);
  const finished = await eventually(
    async () =>
      (
        await gql(`query($id: ID!) { loyaltyReevaluation(id: $id) { status total processed } }`, {
          id: job,
        })
      ).loyaltyReevaluation as { status: string; total: number; processed: number },
    (r) => r.status !== 'QUEUED' && r.status !== 'RUNNING',
  );
  // Every customer with orders; Khách 0 has none, so nothing to re-evaluate.
  expect(finished).toEqual({
    status: 'FINISHED',
    total: CUSTOMERS - 1,
    processed: CUSTOMERS - 1,
  });
  const after = expectedUnder(second);
  expect(await loyaltyTiers()).toEqual(after);
  expect(Object.keys(after).filter((id) => after[id] !== before[id]).length).toBeGreaterThan(3);
  await expectListAgrees(after);

  // The TIER sort, highest first, follows the ranks.
  const rankOf = (name: string | null) => (name === null ? 0 : NAMES.indexOf(name) + 1);
  const data = await gql(
    `{ customers(first: 100, sort: [{ field: TIER, direction: DESC }]) { edges { node { id } } } }`,
  );
  const ranks = (data.customers as { edges: { node: { id: string } }[] }).edges.map((e) =>
    rankOf(after[e.node.id]),
  );
  expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  expect(ranks).toHaveLength(CUSTOMERS);
});
