// The shops module on its own, on real Postgres: connectShop's checks and its sealed
// key, the stale-update rule and status history for pushed statuses, stubs filled in
// by their first upsert, forged traffic for unknown shops kept off the database, and
// deliveries past the replay window forgotten. (Through the gateway:
// infra/dev/test/shopee-webhook.e2e.ts.)
import { randomBytes, randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { PUSH_FRESHNESS_MS, ordersLoyaltySubgraph, shopeeSignature } from '../src';
import { ShopConnectionEntity } from '../src/shops/shop.entity';
import { pruneSeenPushes } from '../src/shops/shopee.ingest';

/** Where Shopee is told to post: not this service's own address. */
const PUBLIC_BASE = 'https://hooks.example.vn/cg';
const CALLBACK = `${PUBLIC_BASE}/webhooks/shopee`;
const admin = (workspaceId: string): Identity => ({ workspaceId, userId: 'a1', role: 'admin' });
const CONNECT = `mutation($src: OrderSource!, $shop: String!, $key: String!) {
  connectShop(source: $src, shopId: $shop, partnerKey: $key) { source shopId status claimedAt connectedAt } }`;
const UPSERT = `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) {
  created updated unchanged rejected { field reason } } }`;

let subgraph: TestSubgraph;
let webhook: string;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph, { publicWebhookBaseUrl: PUBLIC_BASE });
  webhook = subgraph.url.replace('/graphql', '/webhooks/shopee');
});
afterAll(() => subgraph?.stop());

const newShop = () => ({
  shopId: String(100_000 + randomBytes(3).readUIntBE(0, 3)),
  key: `key-${randomBytes(8).toString('hex')}`,
});
const seconds = (ms: number) => Math.floor(ms / 1000);

async function connect(ws: string, shopId: string, key: string) {
  const body = await subgraph.query(admin(ws), CONNECT, { src: 'SHOPEE', shop: shopId, key });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!.connectShop;
}

async function push(
  shop: { shopId: string; key: string },
  orderSn: string,
  status: string,
  updateTime: number,
  options: { url?: string; sentAt?: number } = {},
) {
  const body = JSON.stringify({
    shop_id: Number(shop.shopId),
    code: 3,
    timestamp: seconds(options.sentAt ?? Date.now()),
    data: { ordersn: orderSn, status, update_time: updateTime },
  });
  const res = await fetch(webhook, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: shopeeSignature(options.url ?? CALLBACK, Buffer.from(body), shop.key),
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function order(ws: string, code: string) {
  const [row] = await subgraph.db.query(
    `SELECT status, details_pending, total::int, items, customer_id, source_updated_at
       FROM customer_order WHERE workspace_id = $1 AND source = 'SHOPEE' AND code = $2`,
    [ws, code],
  );
  const history = await subgraph.db.query(
    `SELECT h.status, h.changed_at FROM customer_order_status h
       JOIN customer_order o ON o.id = h.order_id
      WHERE h.workspace_id = $1 AND o.code = $2 ORDER BY h.changed_at, h.status`,
    [ws, code],
  );
  return row ? { ...row, history } : undefined;
}

describe('connectShop', () => {
  it('refuses a bad source, shop id or key, naming the field, and writes nothing', async () => {
    const ws = `shop-bad-${randomUUID().slice(0, 8)}`;
    const cases: [object, string][] = [
      [{ src: 'LAZADA', shop: '12345', key: 'partner-key' }, 'source'],
      [{ src: 'SHOPEE', shop: 'shop-1', key: 'partner-key' }, 'shopId'],
      [{ src: 'SHOPEE', shop: '012345', key: 'partner-key' }, 'shopId'],
      [{ src: 'SHOPEE', shop: '12345', key: 'short' }, 'partnerKey'],
      [{ src: 'SHOPEE', shop: '12345', key: ' partner-key ' }, 'partnerKey'],
    ];
    for (const [variables, field] of cases) {
      const body = await subgraph.query(admin(ws), CONNECT, variables);
      expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const rows = await subgraph.db.query('SELECT 1 FROM shop_connection WHERE workspace_id = $1', [
      ws,
    ]);
    expect(rows).toEqual([]);
  });

  it('keeps the key sealed, never returns it, and replaces it on a second connect', async () => {
    const ws = `shop-key-${randomUUID().slice(0, 8)}`;
    const shop = newShop();
    const raw = await subgraph.signedFetch(admin(ws), CONNECT, {
      src: 'SHOPEE',
      shop: shop.shopId,
      key: shop.key,
    });
    const text = await raw.text();
    expect(text).not.toContain(shop.key);
    expect(JSON.parse(text).data.connectShop).toEqual({
      source: 'SHOPEE',
      shopId: shop.shopId,
      status: 'PENDING',
      claimedAt: expect.any(String),
      connectedAt: null,
    });
    const [stored] = await subgraph.db.query(
      'SELECT partner_key FROM shop_connection WHERE workspace_id = $1',
      [ws],
    );
    expect(stored.partner_key).toMatch(/^v1\./);
    expect(stored.partner_key).not.toContain(shop.key);

    // The first signed push connects it; a new key replaces the old one, still connected.
    expect((await push(shop, 'K-1', 'UNPAID', seconds(Date.now()))).status).toBe(200);
    const rekeyed = { ...shop, key: `${shop.key}-2` };
    expect(await connect(ws, shop.shopId, rekeyed.key)).toMatchObject({ status: 'CONNECTED' });
    expect(await push(shop, 'K-2', 'UNPAID', seconds(Date.now()))).toEqual({
      status: 401,
      body: { error: 'signature does not match' },
    });
    expect((await push(rekeyed, 'K-2', 'UNPAID', seconds(Date.now()))).status).toBe(200);
  });

  it('connects at most 50 shops per workspace', async () => {
    const ws = `shop-cap-${randomUUID().slice(0, 8)}`;
    for (let i = 1; i <= 50; i++) await connect(ws, String(900_000 + i), 'partner-key');
    const body = await subgraph.query(admin(ws), CONNECT, {
      src: 'SHOPEE',
      shop: '999999',
      key: 'partner-key',
    });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'shopId' });
    // Re-keying one of the fifty is not a fifty-first.
    expect(await connect(ws, '900001', 'partner-key-2')).toMatchObject({ shopId: '900001' });
    const list = await subgraph.query(admin(ws), '{ shops { shopId } }');
    expect(list.data!.shops).toHaveLength(50);
    expect(list.data!.shops[0]).toEqual({ shopId: '900001' });
  });

  it('holds the cap when many shops are connected at once', async () => {
    const ws = `shop-race-${randomUUID().slice(0, 8)}`;
    for (let i = 1; i <= 45; i++) await connect(ws, String(800_000 + i), 'partner-key');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        subgraph.query(admin(ws), CONNECT, {
          src: 'SHOPEE',
          shop: String(810_000 + i),
          key: 'partner-key',
        }),
      ),
    );
    expect(answers.filter((a) => !a.errors)).toHaveLength(5);
    const list = await subgraph.query(admin(ws), '{ shops { shopId } }');
    expect(list.data!.shops).toHaveLength(50);
  });

  it('disconnects a shop: its pushes are refused from then on, its orders kept', async () => {
    const ws = `shop-off-${randomUUID().slice(0, 8)}`;
    const shop = newShop();
    await connect(ws, shop.shopId, shop.key);
    expect((await push(shop, 'OFF-1', 'UNPAID', seconds(Date.now()))).status).toBe(200);
    const off = `mutation($s: String!) { disconnectShop(source: SHOPEE, shopId: $s) }`;
    expect((await subgraph.query(admin(ws), off, { s: shop.shopId })).data).toEqual({
      disconnectShop: true,
    });
    expect((await subgraph.query(admin(ws), off, { s: shop.shopId })).data).toEqual({
      disconnectShop: false,
    });
    expect((await push(shop, 'OFF-2', 'UNPAID', seconds(Date.now()))).status).toBe(401);
    expect(await order(ws, 'OFF-1')).toMatchObject({ status: 'PENDING' });
    expect(await order(ws, 'OFF-2')).toBeUndefined();
  });
});

describe('pushed statuses', () => {
  const ws = `shop-push-${randomUUID().slice(0, 8)}`;
  const shop = newShop();
  const t0 = seconds(Date.now()) - 3600;
  beforeAll(() => connect(ws, shop.shopId, shop.key));

  it('signed with the URL the request reached instead of the public one: refused', async () => {
    const res = await push(shop, 'URL-1', 'UNPAID', t0, { url: webhook });
    expect(res).toEqual({ status: 401, body: { error: 'signature does not match' } });
    expect(await order(ws, 'URL-1')).toBeUndefined();
  });

  it('keeps an unknown order as a stub that counts for nothing, filled in by its first upsert', async () => {
    expect(await push(shop, 'STUB-1', 'SHIPPED', t0 + 60)).toEqual({
      status: 200,
      body: { ok: true, applied: true, stub: true },
    });
    expect(await order(ws, 'STUB-1')).toMatchObject({
      status: 'SHIPPING',
      details_pending: true,
      total: 0,
      items: [],
      customer_id: null,
    });
    const read = await subgraph.query(
      admin(ws),
      `{ orders(filter: { code: "STUB-1" }) { edges { node { status total detailsPending items { sku } } } } }`,
    );
    expect(read.data!.orders.edges).toEqual([
      { node: { status: 'SHIPPING', total: 0, detailsPending: true, items: [] } },
    ]);
    // A stub is never attached to a customer, so no customer's figures count its 0.
    await expect(
      subgraph.db.query(
        `UPDATE customer_order SET customer_id = $2 WHERE workspace_id = $1 AND code = 'STUB-1'`,
        [ws, randomUUID()],
      ),
    ).rejects.toThrow(/customer_order_stub_unattached_ck/);

    // The connector's version is older than the push: its details fill the stub in,
    // its status does not undo the pushed one.
    const customerId = randomUUID();
    const full = {
      source: 'SHOPEE',
      code: 'STUB-1',
      status: 'CONFIRMED',
      customerId,
      buyerName: 'Lan',
      items: [{ sku: 'A-1', productName: 'Áo', quantity: 2, unitPrice: 100_000 }],
      subtotal: 200_000,
      shippingFee: 20_000,
      total: 220_000,
      orderedAt: new Date((t0 - 600) * 1000).toISOString(),
      updatedAt: new Date(t0 * 1000).toISOString(),
    };
    const up = await subgraph.query(admin(ws), UPSERT, { o: [full] });
    expect(up.data).toEqual({
      upsertOrders: { created: 0, updated: 1, unchanged: 0, rejected: [] },
    });
    expect(await order(ws, 'STUB-1')).toMatchObject({
      status: 'SHIPPING',
      details_pending: false,
      total: 220_000,
      customer_id: customerId,
      source_updated_at: new Date((t0 + 60) * 1000),
      history: [
        { status: 'CONFIRMED', changed_at: new Date(t0 * 1000) },
        { status: 'SHIPPING', changed_at: new Date((t0 + 60) * 1000) },
      ],
    });
    const summary = await subgraph.query(
      admin(ws),
      `query($r: [_Any!]!) { _entities(representations: $r) {
         ... on Customer { orderSummary { orderCount totalSpent } } } }`,
      { r: [{ __typename: 'Customer', id: customerId }] },
    );
    expect(summary.data!._entities).toEqual([
      { orderSummary: { orderCount: 1, totalSpent: 220_000 } },
    ]);
    // The same version again changes nothing now that it is filled in.
    expect((await subgraph.query(admin(ws), UPSERT, { o: [full] })).data).toEqual({
      upsertOrders: { created: 0, updated: 0, unchanged: 1, rejected: [] },
    });
  });

  it('never takes a COMPLETED order back by a stale push, and keeps the stale status in its history', async () => {
    expect((await push(shop, 'LATE-1', 'COMPLETED', t0 + 300)).body).toMatchObject({
      applied: true,
    });
    expect(await push(shop, 'LATE-1', 'UNPAID', t0 + 100)).toEqual({
      status: 200,
      body: { ok: true, applied: false },
    });
    expect(await push(shop, 'LATE-1', 'SHIPPED', t0 + 200)).toEqual({
      status: 200,
      body: { ok: true, applied: false },
    });
    expect(await order(ws, 'LATE-1')).toMatchObject({
      status: 'COMPLETED',
      history: [
        { status: 'PENDING', changed_at: new Date((t0 + 100) * 1000) },
        { status: 'SHIPPING', changed_at: new Date((t0 + 200) * 1000) },
        { status: 'COMPLETED', changed_at: new Date((t0 + 300) * 1000) },
      ],
    });
    // A later status does change it (a refused return after completion, say).
    expect((await push(shop, 'LATE-1', 'TO_RETURN', t0 + 400)).body).toMatchObject({
      applied: true,
    });
    expect(await order(ws, 'LATE-1')).toMatchObject({ status: 'RETURNED' });
  });

  it('acknowledges and ignores IN_CANCEL, an unknown status and other push codes', async () => {
    await push(shop, 'IGN-1', 'READY_TO_SHIP', t0);
    expect(await push(shop, 'IGN-1', 'IN_CANCEL', t0 + 10)).toEqual({
      status: 200,
      body: { ok: true, applied: false, ignored: 'status IN_CANCEL' },
    });
    expect(await push(shop, 'IGN-2', 'LOST_IN_SPACE', t0 + 10)).toEqual({
      status: 200,
      body: { ok: true, applied: false, ignored: 'status LOST_IN_SPACE' },
    });
    expect(await order(ws, 'IGN-1')).toMatchObject({ status: 'CONFIRMED' });
    expect(await order(ws, 'IGN-2')).toBeUndefined();
    const other = await fetch(webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shop_id: 1, code: 4, timestamp: seconds(Date.now()), data: {} }),
    });
    expect([other.status, await other.json()]).toEqual([
      200,
      { ok: true, applied: false, ignored: 'push code 4' },
    ]);
  });
});

it('reads the claims on an unknown shop once for a burst of forged pushes, and forgets that on connect', async () => {
  const ws = `shop-forged-${randomUUID().slice(0, 8)}`;
  const shop = newShop();
  const reads = jest.spyOn(subgraph.db.getRepository(ShopConnectionEntity), 'findBy');
  const forged = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      push({ ...shop, key: 'made-up-key' }, `F-${i}`, 'UNPAID', seconds(Date.now())),
    ),
  );
  expect(new Set(forged.map((r) => `${r.status} ${r.body.error}`))).toEqual(
    new Set(['401 signature does not match']),
  );
  expect(reads).toHaveBeenCalledTimes(1);
  reads.mockRestore();
  await connect(ws, shop.shopId, shop.key);
  expect(await push(shop, 'F-real', 'UNPAID', seconds(Date.now()))).toEqual({
    status: 200,
    body: { ok: true, applied: true, stub: true },
  });
  const list = await subgraph.query(admin(ws), '{ shops { status connectedAt } }');
  expect(list.data!.shops).toEqual([{ status: 'CONNECTED', connectedAt: expect.any(String) }]);
});

it('forgets deliveries too old to be accepted again, and keeps the others', async () => {
  await subgraph.db.query(
    `INSERT INTO shopee_webhook_seen (workspace_id, shop_id, body_sha256, received_at) VALUES
       ('prune-ws', '1', '\\x01', now() - interval '1 hour'),
       ('prune-ws', '1', '\\x02', now() - $1 * interval '1 millisecond')`,
    [PUSH_FRESHNESS_MS],
  );
  await pruneSeenPushes(subgraph.db);
  const left = await subgraph.db.query(
    `SELECT encode(body_sha256, 'hex') AS hash FROM shopee_webhook_seen WHERE workspace_id = 'prune-ws'`,
  );
  expect(left).toEqual([{ hash: '02' }]);
});
