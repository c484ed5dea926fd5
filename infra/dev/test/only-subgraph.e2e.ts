// `npm start -- --only orders-loyalty` as a partner team runs it (docs/partner-teams.md):
// the real orders-loyalty, mocks of contacts, followers and marketing from their SDL,
// and the gateway composing the usual supergraph in front — on free ports and a
// throw-away data folder, as dev-stack.e2e.ts starts `npm start`.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stackEnv, startStack } from './npm-start';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cg-only-'));
  // Embedded Postgres runs as a "postgres" user when we are root: it must reach this.
  chmodSync(dataDir, 0o755);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start -- --only orders-loyalty', () => {
  it("serves the orders tab from the real subgraph, contacts' fields from its mock, and stops cleanly", async () => {
    const env = await stackEnv(path.join(dataDir, 'data'));
    const stack = startStack(env, ['--only', 'orders-loyalty']);
    try {
      const [, token] = await stack.waitFor(/Admin token\s+(\S+)/, 90_000);
      // It says at start which subgraphs are mocks.
      expect(stack.output()).toMatch(
        /mocking contacts, followers, marketing: placeholder answers from schema\/<name>\.graphql/,
      );
      const gql = async (query: string, variables?: object) => {
        const res = await fetch(`http://127.0.0.1:${env.GATEWAY_PORT}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
        });
        return (await res.json()) as any;
      };

      // An order for a customer only the mock of contacts "knows", written to the real
      // orders-loyalty through the gateway.
      const customerId = randomUUID();
      const up = await gql(
        'mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created rejected { field } } }',
        {
          o: [
            {
              source: 'SHOPEE',
              code: 'ONLY-1',
              status: 'CONFIRMED',
              customerId,
              buyerPhone: '0912 345 678',
              items: [{ productName: 'Áo', quantity: 2, unitPrice: 50_000 }],
              subtotal: 100_000,
              total: 100_000,
              orderedAt: '2026-03-01T10:00:00.000Z',
              updatedAt: '2026-03-01T10:05:00.000Z',
            },
          ],
        },
      );
      expect(up).toEqual({ data: { upsertOrders: { created: 1, rejected: [] } } });

      // The customer's orders tab: customer(id) from the contacts mock ({ id }), the
      // orders from orders-loyalty through the Customer entity, the followers' field
      // from the followers mock.
      const tab = await gql(
        `query($id: ID!) { customer(id: $id) { id name tags
          orders(first: 5) { edges { node { code total status customer { id name } } } }
          zaloFollower { displayName } } }`,
        { id: customerId },
      );
      expect(tab.errors).toBeUndefined();
      expect(tab.data.customer).toEqual({
        id: customerId,
        name: 'mock Customer.name',
        tags: [],
        orders: {
          edges: [
            {
              node: {
                code: 'ONLY-1',
                total: 100_000,
                status: 'CONFIRMED',
                customer: { id: customerId, name: 'mock Customer.name' },
              },
            },
          ],
        },
        zaloFollower: null,
      });

      // A mock checks the gateway's signed context as a real subgraph does.
      const direct = await fetch(`http://127.0.0.1:${env.CONTACTS_PORT}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ customer(id: "x") { id } }' }),
      });
      expect(direct.status).toBe(401);
    } finally {
      stack.child.kill('SIGTERM');
    }
    expect((await stack.exit).code).toBe(0);
    expect(stack.output()).toMatch(/subgraph stopped service=orders-loyalty/);
    for (const name of ['contacts', 'followers', 'marketing']) {
      expect(stack.output()).toMatch(new RegExp(`mock subgraph stopped service=${name}`));
    }
    expect(stack.output()).toMatch(/dev\s+\| stopped/);
  }, 150_000);
});
