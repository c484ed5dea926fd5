// Shopee's order-status pushes through the gateway (issue 11), with real servers: a
// signed push moves an order on; a wrong signature, an unknown shop, a captured body
// replayed later and a repeated delivery change nothing; a push for one workspace's
// shop never touches another workspace's order with the same code; connecting a shop
// is for admins, and its key is never in any answer.
import { randomBytes } from 'node:crypto';
import { DEFAULT_PUBLIC_WEBHOOK_BASE_URL } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { PUSH_FRESHNESS_MS, shopeeSignature } from '@customer-graph/orders-loyalty';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

/** The URL Shopee signs: the stack's public webhook base (runtime config), not the gateway's port. */
const CALLBACK = `${DEFAULT_PUBLIC_WEBHOOK_BASE_URL}/webhooks/shopee`;
const suffix = randomBytes(3).toString('hex');
const wsA = `shopee-a-${suffix}`;
const wsB = `shopee-b-${suffix}`;
const as = (workspaceId: string, role: Identity['role']): Identity => ({
  workspaceId,
  userId: role,
  role,
});
const CONNECT = `mutation($shop: String!, $key: String!) {
  connectShop(source: SHOPEE, shopId: $shop, partnerKey: $key) { source shopId status connectedAt } }`;
const NOT_SIGNED = { status: 401, body: '{"error":"signature does not match"}' };

interface Shop {
  shopId: string;
  key: string;
}
const newShop = (): Shop => ({
  shopId: String(200_000 + randomBytes(3).readUIntBE(0, 3)),
  key: `shpk-${randomBytes(16).toString('hex')}`,
});

let stack: TestStack;
let url: string;
const shopA = newShop();
/** Every answer the stack gave in this file, to look for a key in. */
const answers: string[] = [];

async function gql(who: Identity, query: string, variables?: object) {
  const { body } = await stack.query(await stack.token(who), query, variables);
  answers.push(JSON.stringify(body));
  return body;
}

function pushBody(shop: Shop, orderSn: string, status: string, at = Date.now()): string {
  const seconds = Math.floor(at / 1000);
  return JSON.stringify({
    shop_id: Number(shop.shopId),
    code: 3,
    timestamp: seconds,
    data: { ordersn: orderSn, status, update_time: seconds, items: [] },
  });
}

async function post(body: string, signature: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: signature },
    body,
  });
  const answer = { status: res.status, body: await res.text() };
  answers.push(answer.body);
  return answer;
}

const sign = (shop: Shop, body: string) => shopeeSignature(CALLBACK, Buffer.from(body), shop.key);
const postSigned = (shop: Shop, body: string) => post(body, sign(shop, body));

async function orderOf(workspaceId: string, code: string) {
  const rows = await stack.db('orders-loyalty').query(
    `SELECT o.status, o.details_pending,
            (SELECT count(*)::int FROM customer_order_status h WHERE h.order_id = o.id) AS statuses
       FROM customer_order o WHERE o.workspace_id = $1 AND o.source = 'SHOPEE' AND o.code = $2`,
    [workspaceId, code],
  );
  return rows[0] as { status: string; details_pending: boolean; statuses: number } | undefined;
}

const seenRows = async (shop: Shop) =>
  (
    await stack
      .db('orders-loyalty')
      .query('SELECT count(*)::int AS n FROM shopee_webhook_seen WHERE shop_id = $1', [shop.shopId])
  )[0].n as number;

/** A full order as a connector upserts it, in both workspaces with the same code. */
async function upsertOrder(workspaceId: string, code: string, status: string, at: Date) {
  const body = await gql(
    as(workspaceId, 'admin'),
    `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created rejected { field } } }`,
    {
      o: [
        {
          source: 'SHOPEE',
          code,
          status,
          items: [{ productName: 'Áo', quantity: 1, unitPrice: 90_000 }],
          subtotal: 90_000,
          total: 90_000,
          orderedAt: at.toISOString(),
          updatedAt: at.toISOString(),
        },
      ],
    },
  );
  expect(body.data).toEqual({ upsertOrders: { created: 1, rejected: [] } });
}

beforeAll(async () => {
  stack = await startTestStack(undefined, {
    publicWebhookBaseUrl: DEFAULT_PUBLIC_WEBHOOK_BASE_URL,
  });
  url = stack.gateway.url.replace('/graphql', '/webhooks/shopee');
  const connected = await gql(as(wsA, 'admin'), CONNECT, { shop: shopA.shopId, key: shopA.key });
  if (connected.errors) throw new Error(JSON.stringify(connected.errors));
}, 60_000);
afterAll(() => stack?.stop());

describe('a signed push', () => {
  it('moves a known order on, and connects the shop', async () => {
    await upsertOrder(wsA, `S-${suffix}`, 'CONFIRMED', new Date(Date.now() - 3_600_000));
    const res = await postSigned(shopA, pushBody(shopA, `S-${suffix}`, 'SHIPPED'));
    expect(res).toEqual({ status: 200, body: '{"ok":true,"applied":true}' });
    const read = await gql(
      as(wsA, 'admin'),
      `query($c: String!) { orders(filter: { code: $c }) { edges { node {
         status detailsPending statusHistory { status } } } } }`,
      { c: `S-${suffix}` },
    );
    expect(read.data).toEqual({
      orders: {
        edges: [
          {
            node: {
              status: 'SHIPPING',
              detailsPending: false,
              statusHistory: [{ status: 'CONFIRMED' }, { status: 'SHIPPING' }],
            },
          },
        ],
      },
    });
    const shops = await gql(as(wsA, 'admin'), '{ shops { shopId status } }');
    expect(shops.data).toEqual({
      shops: [{ shopId: shopA.shopId, status: 'CONNECTED' }],
    });
  });
});

describe('refused or deduplicated, nothing stored', () => {
  it('a wrong signature and an unknown shop get the same 401', async () => {
    const code = `W-${suffix}`;
    const unknown = newShop();
    const before = await seenRows(shopA);
    const body = pushBody(shopA, code, 'COMPLETED');
    const refused = await Promise.all([
      post(body, shopeeSignature(CALLBACK, Buffer.from(body), 'guessed-key')),
      // Signed for the gateway's own address, not the public callback URL.
      post(body, shopeeSignature(url, Buffer.from(body), shopA.key)),
      post(body, ''),
      postSigned(unknown, pushBody(unknown, code, 'COMPLETED')),
    ]);
    expect(refused).toEqual([NOT_SIGNED, NOT_SIGNED, NOT_SIGNED, NOT_SIGNED]);
    expect(await orderOf(wsA, code)).toBeUndefined();
    expect(await seenRows(shopA)).toBe(before);
    expect(await seenRows(unknown)).toBe(0);
  });

  it.each([
    ['captured 10 minutes ago', -2 * PUSH_FRESHNESS_MS],
    ['dated past the window', -PUSH_FRESHNESS_MS - 60_000],
    ['dated in the future', PUSH_FRESHNESS_MS + 60_000],
  ])('a correctly signed push %s: 401', async (_label, offset) => {
    const code = `OLD-${offset}-${suffix}`;
    const before = await seenRows(shopA);
    const res = await postSigned(shopA, pushBody(shopA, code, 'COMPLETED', Date.now() + offset));
    expect(res).toEqual({
      status: 401,
      body: '{"error":"push timestamp is outside the accepted window"}',
    });
    expect(await orderOf(wsA, code)).toBeUndefined();
    expect(await seenRows(shopA)).toBe(before);
  });

  it('a repeated delivery is answered 200 and applied once, even when copies race', async () => {
    const code = `DUP-${suffix}`;
    const before = await seenRows(shopA);
    const body = pushBody(shopA, code, 'UNPAID');
    expect(await postSigned(shopA, body)).toEqual({
      status: 200,
      body: '{"ok":true,"applied":true,"stub":true}',
    });
    const again = await Promise.all(Array.from({ length: 5 }, () => postSigned(shopA, body)));
    expect(again).toEqual(
      Array.from({ length: 5 }, () => ({
        status: 200,
        body: '{"ok":true,"applied":false,"duplicate":true}',
      })),
    );
    const racing = pushBody(shopA, `${code}-race`, 'UNPAID');
    const raced = await Promise.all(Array.from({ length: 8 }, () => postSigned(shopA, racing)));
    expect(raced.every((r) => r.status === 200)).toBe(true);
    expect(raced.filter((r) => JSON.parse(r.body).applied)).toHaveLength(1);
    expect(await seenRows(shopA)).toBe(before + 2);
    expect(await orderOf(wsA, code)).toEqual({
      status: 'PENDING',
      details_pending: true,
      statuses: 1,
    });
  });
});

describe('workspaces', () => {
  it('a push for A’s shop never touches B’s order with the same code', async () => {
    const code = `SAME-${suffix}`;
    const at = new Date(Date.now() - 3_600_000);
    await upsertOrder(wsA, code, 'CONFIRMED', at);
    await upsertOrder(wsB, code, 'CONFIRMED', at);
    const shopB = newShop();
    expect(
      (await gql(as(wsB, 'admin'), CONNECT, { shop: shopB.shopId, key: shopB.key })).errors,
    ).toBeUndefined();
    expect((await postSigned(shopA, pushBody(shopA, code, 'COMPLETED'))).status).toBe(200);
    expect(await orderOf(wsA, code)).toMatchObject({ status: 'COMPLETED' });
    expect(await orderOf(wsB, code)).toEqual({
      status: 'CONFIRMED',
      details_pending: false,
      statuses: 1,
    });
    // B's own shop moves B's order, and only B's.
    expect((await postSigned(shopB, pushBody(shopB, code, 'CANCELLED'))).status).toBe(200);
    expect(await orderOf(wsB, code)).toMatchObject({ status: 'CANCELLED' });
    expect(await orderOf(wsA, code)).toMatchObject({ status: 'COMPLETED' });
  });

  it('B cannot take A’s connected shop; a claim that signs nothing does not block its owner', async () => {
    const taken = await gql(as(wsB, 'admin'), CONNECT, { shop: shopA.shopId, key: 'b-own-key-1' });
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'shopId' });
    expect(taken.errors?.[0].message).toMatch(/connected to another workspace/);
    // A pushes signed with B's key do not reach A's shop.
    const forged = pushBody(shopA, `B-${suffix}`, 'COMPLETED');
    expect(
      await post(forged, shopeeSignature(CALLBACK, Buffer.from(forged), 'b-own-key-1')),
    ).toEqual(NOT_SIGNED);

    // A squatter claims a new shop first with a key of its own; the owner claims it too,
    // and Shopee's first push, signed with the owner's key, connects the owner.
    const real = newShop();
    const squatter = `shopee-squat-${suffix}`;
    const owner = `shopee-owner-${suffix}`;
    await gql(as(squatter, 'admin'), CONNECT, { shop: real.shopId, key: 'squatter-key' });
    const pending = await gql(as(owner, 'admin'), CONNECT, { shop: real.shopId, key: real.key });
    expect(pending.data).toEqual({
      connectShop: { source: 'SHOPEE', shopId: real.shopId, status: 'PENDING', connectedAt: null },
    });
    expect((await postSigned(real, pushBody(real, `R-${suffix}`, 'UNPAID'))).status).toBe(200);
    expect(await orderOf(owner, `R-${suffix}`)).toMatchObject({ status: 'PENDING' });
    expect(await orderOf(squatter, `R-${suffix}`)).toBeUndefined();
    expect((await gql(as(squatter, 'admin'), '{ shops { shopId } }')).data).toEqual({
      shops: [],
    });
  });
});

describe('connecting a shop', () => {
  it.each(['editor', 'staff', 'analyst'] as const)('is refused to %s', async (role) => {
    const shop = newShop();
    const body = await gql(as(wsA, role), CONNECT, { shop: shop.shopId, key: shop.key });
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const off = await gql(
      as(wsA, role),
      `mutation { disconnectShop(source: SHOPEE, shopId: "${shopA.shopId}") }`,
    );
    expect(off.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const [{ n }] = await stack
      .db('orders-loyalty')
      .query('SELECT count(*)::int AS n FROM shop_connection WHERE shop_id = $1', [shop.shopId]);
    expect(n).toBe(0);
  });

  it('lists the workspace’s shops to every role, without a key', async () => {
    const list = await gql(
      as(wsA, 'staff'),
      '{ shops { source shopId status claimedAt connectedAt } }',
    );
    expect(list.data).toEqual({
      shops: [
        {
          source: 'SHOPEE',
          shopId: shopA.shopId,
          status: 'CONNECTED',
          claimedAt: expect.any(String),
          connectedAt: expect.any(String),
        },
      ],
    });
    const partnerKey = await gql(as(wsA, 'admin'), '{ shops { partnerKey } }');
    expect(partnerKey.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('never puts a key in any answer', () => {
    expect(answers.length).toBeGreaterThan(20);
    for (const answer of answers) expect(answer).not.toContain(shopA.key);
  });
});
