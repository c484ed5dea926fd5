// Merging duplicate customers through the gateway (issue 12, seed 003): two customers,
// each with orders, a Zalo follower, marketing messages, notes, calls and tasks. The
// dry run shows the result and each subgraph's counts in one response; after the merge the
// survivor's page shows everything of both (totals equal to the sums, contacts'
// projected figures too), the merged id resolves to the survivor in every subgraph,
// and the merge event delivered a second time changes nothing more.
import { randomUUID } from 'node:crypto';
import {
  CUSTOMER_MERGED,
  createIdempotentProducer,
  createKafka,
  createLogger,
} from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { testKafkaBrokers } from '@customer-graph/runtime/testing';
import { startTestStack } from './stack';
import type { TestStack } from './stack';
import { eventually } from './webhooks';

const ws = `ws-merge-${randomUUID().slice(0, 8)}`;
const editor: Identity = { workspaceId: ws, userId: 'editor-1', role: 'editor' };
let stack: TestStack;
const ids = { survivor: '', dup: '' };
/** What each customer holds: orders (total each), followers, messages, notes, calls, tasks. */
const HOLDS = {
  survivor: {
    orders: [100_000, 250_000],
    messages: 2,
    notes: 1,
    calls: 1,
    tasks: 2,
    phone: '0916000001',
  },
  dup: {
    orders: [300_000, 50_000, 75_000],
    messages: 3,
    notes: 2,
    calls: 2,
    tasks: 1,
    phone: '0916000002',
  },
};
const ALL_ORDERS = [...HOLDS.survivor.orders, ...HOLDS.dup.orders];
const SPENT = ALL_ORDERS.reduce((a, b) => a + b, 0);

async function gql(query: string, variables?: object, who = editor) {
  const { body } = await stack.query(await stack.token(who), query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as Record<string, any>;
}

const PAGE = `query($id: ID!) { customer(id: $id) {
  id name phones { number primary }
  notes(first: 20) { edges { node { text } } }
  calls(first: 20) { totalCount }
  tasks(first: 20) { totalCount }
  orders(first: 20) { totalCount edges { node { code } } }
  orderSummary { orderCount totalSpent }
  marketing(first: 20) { totalCount }
  zaloFollowerCount
} }`;

/** The survivor's figures as contacts' list sees them (projected from orders' events). */
async function listFigures(orderCount: number, totalSpent: number) {
  const data = await gql(`query($f: CustomerFilter!) { customers(filter: $f) { totalCount } }`, {
    f: { id: { eq: ids.survivor }, orderCount: { eq: orderCount }, totalSpent: { eq: totalSpent } },
  });
  return data.customers.totalCount as number;
}

async function mergedLag(): Promise<number> {
  let lag = 0;
  for (const name of ['followers', 'orders-loyalty', 'marketing']) {
    const res = await fetch(stack.subgraphs[name].url.replace('/graphql', '/metrics'), {
      headers: { accept: 'application/json' },
    });
    const { events } = (await res.json()) as {
      events: { consumerLag: { topic: string; lag: number }[] };
    };
    const partitions = events.consumerLag.filter((p) => p.topic.endsWith(CUSTOMER_MERGED));
    // No partition reported yet is not "no lag".
    if (partitions.length === 0) return -1;
    lag += partitions.reduce((n, p) => n + p.lag, 0);
  }
  return lag;
}

beforeAll(async () => {
  stack = await startTestStack();
  for (const who of ['survivor', 'dup'] as const) {
    const data = await gql('mutation($i: CustomerInput!) { createCustomer(input: $i) { id } }', {
      i: { name: who === 'survivor' ? 'Trần Thị Hoa' : 'Hoa Trần', phone: HOLDS[who].phone },
    });
    ids[who] = data.createCustomer.id;
  }
  for (const who of ['survivor', 'dup'] as const) {
    const id = ids[who];
    const holds = HOLDS[who];
    await gql(`mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created } }`, {
      o: holds.orders.map((total, i) => ({
        source: 'WEBSITE',
        code: `${who}-${i}`,
        status: 'COMPLETED',
        customerId: id,
        items: [{ productName: 'Áo', quantity: 1, unitPrice: total }],
        subtotal: total,
        total,
        orderedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
        updatedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      })),
    });
    for (let n = 0; n < holds.notes; n++) {
      await gql(
        'mutation($id: ID!, $t: String!) { addCustomerNote(customerId: $id, text: $t) { id } }',
        {
          id,
          t: `${who} ${n}`,
        },
      );
    }
    await gql(`mutation($c: [CallInput!]!) { recordCalls(calls: $c) { created } }`, {
      c: Array.from({ length: holds.calls }, (_, n) => ({
        providerCallId: `${who}-call-${n}`,
        hotline: '1900 6868',
        customerNumber: holds.phone,
        direction: 'INBOUND',
        result: 'ANSWERED',
        startedAt: new Date(Date.UTC(2026, 0, 5, n)).toISOString(),
        talkDuration: 60,
      })),
    });
    for (let n = 0; n < holds.tasks; n++) {
      await gql('mutation($i: TaskInput!) { createTask(input: $i) { id } }', {
        i: { title: `Gọi lại ${who} ${n}`, customerId: id },
      });
    }
    // A follower and messages, written straight to their subgraphs' tables (no API
    // writes them one by one).
    for (const db of ['followers', 'marketing']) {
      await stack
        .db(db)
        .query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [ws]);
    }
    await stack.db('followers').query(
      `INSERT INTO zalo_follower (workspace_id, zalo_user_id, followed_at, status, customer_id)
       VALUES ($1, $2, now(), 'FOLLOWING', $3)`,
      [ws, `zalo-${who}`, id],
    );
    await stack.db('marketing').query(
      `INSERT INTO marketing_message (workspace_id, customer_id, channel, campaign_name, status, sent_at, created_at)
       SELECT $1, $2, 'ZNS', 'Tri ân ' || n, 'DELIVERED', now() - n * interval '1 hour',
              now() - n * interval '1 hour'
         FROM generate_series(1, $3::int) AS n`,
      [ws, id, holds.messages],
    );
  }
  // contacts has each customer's figures from orders' events.
  await eventually(
    () => listFigures(HOLDS.survivor.orders.length, 350_000),
    (n) => n === 1,
    20_000,
  );
}, 60_000);
afterAll(() => stack?.stop());

it('shows the result and every subgraph’s counts in a dry run, changing nothing', async () => {
  const data = await gql(
    `mutation($s: ID!, $m: [ID!]!) { mergeCustomers(survivorId: $s, mergedIds: $m, dryRun: true) {
      dryRun fields { field value from } phones { number primary from } moves { part customerId count }
      survivor { id orders(first: 0) { totalCount } }
      mergedCustomers { id name orders(first: 0) { totalCount } marketing(first: 0) { totalCount }
        zaloFollowerCount }
    } }`,
    { s: ids.survivor, m: [ids.dup] },
  );
  const dry = data.mergeCustomers;
  expect(dry.dryRun).toBe(true);
  expect(dry.fields.find((f: { field: string }) => f.field === 'name')).toEqual({
    field: 'name',
    value: 'Trần Thị Hoa',
    from: ids.survivor,
  });
  expect(dry.phones.map((p: { primary: boolean; from: string }) => [p.primary, p.from])).toEqual([
    [true, ids.survivor],
    [false, ids.dup],
  ]);
  expect(dry.moves).toEqual([
    { part: 'notes', customerId: ids.dup, count: 2 },
    { part: 'calls', customerId: ids.dup, count: 2 },
    { part: 'tasks', customerId: ids.dup, count: 1 },
  ]);
  expect(dry.survivor).toEqual({ id: ids.survivor, orders: { totalCount: 2 } });
  expect(dry.mergedCustomers).toEqual([
    {
      id: ids.dup,
      name: 'Hoa Trần',
      orders: { totalCount: 3 },
      marketing: { totalCount: 3 },
      zaloFollowerCount: 1,
    },
  ]);
  const still = await gql(PAGE, { id: ids.dup });
  expect(still.customer.id).toBe(ids.dup);
});

it('merges: the survivor’s page shows both customers’ orders, follower, messages, notes, calls and tasks', async () => {
  const data = await gql(
    `mutation($s: ID!, $m: [ID!]!) { mergeCustomers(survivorId: $s, mergedIds: $m) { id survivor { id } } }`,
    { s: ids.survivor, m: [ids.dup] },
  );
  expect(data.mergeCustomers.survivor.id).toBe(ids.survivor);
  const complete = (page: Record<string, any>) =>
    page.customer.orders.totalCount === ALL_ORDERS.length &&
    page.customer.orderSummary.totalSpent === SPENT &&
    page.customer.marketing.totalCount === 5 &&
    page.customer.zaloFollowerCount === 2;
  const page = await eventually(() => gql(PAGE, { id: ids.survivor }), complete, 20_000);
  expect(page.customer).toMatchObject({
    id: ids.survivor,
    name: 'Trần Thị Hoa',
    phones: [
      { number: HOLDS.survivor.phone, primary: true },
      { number: HOLDS.dup.phone, primary: false },
    ],
    orderSummary: { orderCount: ALL_ORDERS.length, totalSpent: SPENT },
  });
  expect(page.customer.notes.edges).toHaveLength(3);
  expect(page.customer.calls.totalCount).toBe(3);
  expect(page.customer.tasks.totalCount).toBe(3);
  expect(
    page.customer.orders.edges.map((e: { node: { code: string } }) => e.node.code).sort(),
  ).toEqual(['dup-0', 'dup-1', 'dup-2', 'survivor-0', 'survivor-1']);
  // contacts' list has the survivor's figures from orders' new summary.
  await eventually(
    () => listFigures(ALL_ORDERS.length, SPENT),
    (n) => n === 1,
    20_000,
  );

  // The merged id resolves to the survivor, every tab included.
  const merged = await gql(PAGE, { id: ids.dup });
  expect(merged).toEqual(page);
}, 60_000);

it('changes nothing more when the merge event is delivered again', async () => {
  const [outboxRow] = await stack
    .db('contacts')
    .query(`SELECT key, value FROM outbox WHERE workspace_id = $1 AND topic = $2`, [
      ws,
      CUSTOMER_MERGED,
    ]);
  const snapshot = async () => ({
    page: await gql(PAGE, { id: ids.survivor }),
    inbox: await Promise.all(
      ['followers', 'orders-loyalty', 'marketing'].map(async (name) =>
        stack.db(name).query('SELECT count(*)::int AS n FROM inbox WHERE workspace_id = $1', [ws]),
      ),
    ),
    summaries: await stack
      .db('orders-loyalty')
      .query(
        `SELECT count(*)::int AS n FROM outbox WHERE workspace_id = $1 AND topic = 'orders.customer.summary-changed'`,
        [ws],
      ),
  });
  const before = await snapshot();
  const producer = createIdempotentProducer(
    createKafka(testKafkaBrokers(), 'merge-redelivery', createLogger('error')),
  );
  await producer.connect();
  await producer.send({
    topic: stack.topicPrefix + CUSTOMER_MERGED,
    messages: [{ key: outboxRow.key, value: JSON.stringify(outboxRow.value) }],
  });
  await producer.disconnect();
  await eventually(mergedLag, (lag) => lag === 0, 20_000);
  expect(await snapshot()).toEqual(before);
}, 60_000);
