// The derived customer type (seed 004, docs/customers.md): one row of the table per
// test case, through the API where it can be typed in, and has_live_order through SQL
// (orders.customer.summary-changed sets it: test/order-summary.test.ts).
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';

const admin: Identity = { workspaceId: 'type-ws', userId: 'boss', role: 'admin' };
let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
});
afterAll(() => subgraph?.stop());

const CREATE = `mutation($input: CustomerInput!) { createCustomer(input: $input) { id type } }`;
const UPDATE = `mutation($id: ID!, $input: CustomerPatch!) {
  updateCustomer(id: $id, input: $input) { type } }`;

async function create(input: object): Promise<{ id: string; type: string }> {
  const body = await subgraph.query(admin, CREATE, { input });
  expect(body.errors).toBeUndefined();
  return body.data!.createCustomer as { id: string; type: string };
}

let n = 0;
const phone = () => `0912 ${String(100000 + ++n).slice(-3)} ${String(500 + n).padStart(3, '0')}`;
const shop = () => [{ source: 'SHOP', id: `shop-${++n}` }];

describe('the type of each case in docs/customers.md', () => {
  it.each([
    ['nothing', {}, 'VISITOR'],
    ['a name only', { name: 'Lan' }, 'VISITOR'],
    ['a Zalo id only', { externalIds: [{ source: 'ZALO', id: 'z-only' }] }, 'VISITOR'],
    ['a phone only', { phone: true }, 'LEAD'],
    ['an email only', { email: 'a@x.vn' }, 'LEAD'],
    ['a name and a phone', { name: 'Lan', phone: true }, 'LEAD'],
    ['a name and an email', { name: 'Lan', email: 'b@x.vn' }, 'LEAD'],
    ['a shop id', { shop: true }, 'CUSTOMER'],
    ['a shop id and a phone', { name: 'Lan', phone: true, shop: true }, 'CUSTOMER'],
  ])('%s: %s', async (_, { phone: withPhone, shop: withShop, ...input }: any, type) => {
    const created = await create({
      ...input,
      ...(withPhone ? { phone: phone() } : {}),
      ...(withShop ? { externalIds: shop() } : {}),
    });
    expect(created.type).toBe(type);
  });

  it('a live order makes a CUSTOMER, with or without anything else', async () => {
    for (const input of [{}, { name: 'Lan', phone: phone() }]) {
      const { id } = await create(input);
      const [[row]] = await subgraph.db.query(
        `UPDATE customer SET has_live_order = true,
                type = customer_derived_type(workspace_id, id, email, true)
          WHERE id = $1 RETURNING type`,
        [id],
      );
      expect(row.type).toBe('CUSTOMER');
    }
  });
});

describe('the type follows every change', () => {
  it('is re-derived as phones, emails and shop ids come and go', async () => {
    const { id, type } = await create({ name: 'Bình' });
    expect(type).toBe('VISITOR');
    const steps: [object, string][] = [
      [{ phone: phone() }, 'LEAD'],
      [{ phone: null, email: 'c@x.vn' }, 'LEAD'],
      [{ addExternalIds: [{ source: 'SHOP', id: 'shop-x' }] }, 'CUSTOMER'],
      [{ removeExternalIds: [{ source: 'SHOP', id: 'shop-x' }] }, 'LEAD'],
      [{ email: null }, 'VISITOR'],
    ];
    for (const [patch, expected] of steps) {
      const body = await subgraph.query(admin, UPDATE, { id, input: patch });
      expect(body.errors).toBeUndefined();
      expect((body.data!.updateCustomer as { type: string }).type).toBe(expected);
    }
  });
});
