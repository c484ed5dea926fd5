// orders-loyalty's audit entries (docs/audit.md) go through the outbox in the action's
// transaction: connecting and disconnecting a shop append orders.audit.recorded
// (never the partner key); disconnecting a shop that is not connected appends nothing.
import { randomBytes } from 'node:crypto';
import { ORDERS_AUDIT_RECORDED } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
});
afterAll(() => subgraph?.stop());

it('audits shop connections, without the partner key', async () => {
  const ws = `au-${randomBytes(4).toString('hex')}`;
  const admin: Identity = {
    workspaceId: ws,
    userId: 'owner',
    role: 'admin',
    requestId: 'rq-shop-01',
  };
  const connect = await subgraph.query(
    admin,
    'mutation { connectShop(source: SHOPEE, shopId: "778899", partnerKey: "partner-key-secret") { status } }',
  );
  expect(connect.errors).toBeUndefined();
  const disconnect = 'mutation { disconnectShop(source: SHOPEE, shopId: "778899") }';
  expect((await subgraph.query(admin, disconnect)).data).toEqual({ disconnectShop: true });
  expect((await subgraph.query(admin, disconnect)).data).toEqual({ disconnectShop: false });
  const rows: { value: { payload: Record<string, unknown> } }[] = await subgraph.db.query(
    'SELECT value FROM outbox WHERE workspace_id = $1 AND topic = $2 ORDER BY seq',
    [ws, ORDERS_AUDIT_RECORDED],
  );
  expect(rows.map((r) => r.value.payload)).toMatchObject([
    {
      action: 'SHOP_CONNECTED',
      targetType: 'Shop',
      targetIds: ['SHOPEE:778899'],
      requestId: 'rq-shop-01',
      detail: { source: 'SHOPEE', status: 'PENDING' },
    },
    { action: 'SHOP_DISCONNECTED', targetIds: ['SHOPEE:778899'], detail: { source: 'SHOPEE' } },
  ]);
  expect(JSON.stringify(rows)).not.toContain('partner-key-secret');
});
