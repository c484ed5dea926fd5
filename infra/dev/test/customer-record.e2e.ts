// The customer record through the gateway (issue 5): create, change and delete, the
// derived type, notes, custom fields with their plan and limits, and every refusal
// answered with its code while nothing is written.
import { randomBytes } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import { eventually } from './webhooks';
import type { TestStack } from './stack';

const ws = `rec-${randomBytes(3).toString('hex')}`;
const admin: Identity = { workspaceId: ws, userId: 'admin-1', role: 'admin' };

let stack: TestStack;
let token: string;

const FIELDS = `id name email address city birthday gender timezone avatarUrl tags labels
  assignedStaff group type phone phones { number e164 primary } externalIds { source id }
  custom { key type value } createdAt updatedAt`;
const CREATE = `mutation($input: CustomerInput!) { createCustomer(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: CustomerPatch!) {
  updateCustomer(id: $id, input: $input) { ${FIELDS} } }`;

async function gql(query: string, variables?: object, as = token) {
  return (await stack.query(as, query, variables)).body;
}

async function customerCount(): Promise<number> {
  const [row] = await stack
    .db('contacts')
    .query('SELECT count(*)::int AS n FROM customer WHERE workspace_id = $1', [ws]);
  return row.n;
}

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.token(admin);
}, 60_000);

afterAll(() => stack?.stop());

describe('creating a customer', () => {
  it('stores every field, normalised, and derives the type', async () => {
    const { data, errors } = await gql(CREATE, {
      input: {
        // Decomposed (NFD) input is stored composed (NFC).
        name: '  Nguye\u0302\u0303n Va\u0306n \u0110u\u031b\u0301c ',
        phone: '0912 345 678',
        otherPhones: ['+84 168 123 4567'],
        email: 'Duc.Nguyen@Example.vn',
        address: '12 Lý Thường Kiệt',
        city: 'Hà Nội',
        birthday: '1990-02-28',
        gender: 'MALE',
        timezone: 'Asia/Ho_Chi_Minh',
        avatarUrl: 'https://cdn.example.vn/a.png',
        tags: ['vip', 'hanoi', 'vip'],
        labels: ['new'],
        assignedStaff: 'staff-1',
        group: 'PRIORITY',
      },
    });
    expect(errors).toBeUndefined();
    const c = data!.createCustomer as Record<string, unknown>;
    expect(c).toMatchObject({
      name: 'Nguyễn Văn Đức',
      email: 'Duc.Nguyen@Example.vn',
      city: 'Hà Nội',
      birthday: '1990-02-28',
      timezone: 'Asia/Ho_Chi_Minh',
      tags: ['vip', 'hanoi'],
      labels: ['new'],
      assignedStaff: 'staff-1',
      group: 'PRIORITY',
      type: 'LEAD',
      phone: '0912 345 678',
      phones: [
        { number: '0912 345 678', e164: '+84912345678', primary: true },
        { number: '+84 168 123 4567', e164: '+84381234567', primary: false },
      ],
    });
    expect((c.name as string).normalize('NFC')).toBe(c.name);
  });

  it('is a VISITOR with nothing known, and a CUSTOMER with a shop id', async () => {
    const visitor = await gql(CREATE, { input: {} });
    expect((visitor.data!.createCustomer as { type: string }).type).toBe('VISITOR');
    const buyer = await gql(CREATE, {
      input: { name: 'Shop Buyer', externalIds: [{ source: 'SHOP', id: 'shop-42' }] },
    });
    expect(buyer.data!.createCustomer).toMatchObject({
      type: 'CUSTOMER',
      externalIds: [{ source: 'SHOP', id: 'shop-42' }],
    });
  });

  it.each([
    ['input.email', { email: 'not-an-email' }],
    ['input.timezone', { timezone: 'Mars/Olympus' }],
    ['input.avatarUrl', { avatarUrl: 'ftp://x/y.png' }],
    ['input.phone', { phone: '0912 34' }],
    ['input.otherPhones[1]', { phone: '0912345678', otherPhones: ['0987654321', '0912.345.678'] }],
    ['input.tags[1]', { tags: ['ok', '   '] }],
    ['input.custom.unknown', { custom: { unknown: 1 } }],
    ['input.tags', { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }],
    [
      'input.otherPhones',
      {
        phone: '0912000000',
        otherPhones: Array.from({ length: 10 }, (_, i) => `091200000${i + 1}`.slice(-10)),
      },
    ],
    ['input.name', { name: 'x'.repeat(201) }],
    ['input.assignedStaff', { assignedStaff: 'two words' }],
  ])('refuses a bad %s and writes nothing', async (field, input) => {
    const before = await customerCount();
    const { errors } = await gql(CREATE, { input: { name: 'Bad', ...input } });
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await customerCount()).toBe(before);
  });

  it('refuses a shop id that belongs to another customer, writing nothing', async () => {
    const before = await customerCount();
    const { errors } = await gql(CREATE, {
      input: { name: 'Copycat', externalIds: [{ source: 'SHOP', id: 'shop-42' }] },
    });
    expect(errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'input.externalIds[0]',
    });
    expect(await customerCount()).toBe(before);
  });
});

describe('changing a customer', () => {
  it('changes only the fields given, clears those given as null, re-derives the type', async () => {
    const created = await gql(CREATE, { input: { name: 'Trần Thị Bình', email: 'b@x.vn' } });
    const id = (created.data!.createCustomer as { id: string }).id;
    const changed = await gql(UPDATE, { id, input: { email: null, city: 'Đà Nẵng' } });
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.updateCustomer).toMatchObject({
      name: 'Trần Thị Bình',
      email: null,
      city: 'Đà Nẵng',
      type: 'VISITOR',
    });
    const phoned = await gql(UPDATE, { id, input: { phone: '0903 111 222' } });
    expect(phoned.data!.updateCustomer).toMatchObject({ type: 'LEAD', phone: '0903 111 222' });
  });

  it('answers NOT_FOUND for another workspace’s customer and changes nothing', async () => {
    const other = await stack.token({ ...admin, workspaceId: `${ws}-b` });
    const theirs = await gql(CREATE, { input: { name: 'Theirs' } }, other);
    const id = (theirs.data!.createCustomer as { id: string }).id;
    const { errors } = await gql(UPDATE, { id, input: { name: 'Mine now' } });
    expect(errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const still = await gql(`{ customer(id: "${id}") { name } }`, undefined, other);
    expect(still.data).toEqual({ customer: { name: 'Theirs' } });
  });
});

describe('external ids', () => {
  it('are added and removed by name, moving the type with them', async () => {
    const created = await gql(CREATE, { input: { name: 'Khách Shop', email: 'shop@x.vn' } });
    const id = (created.data!.createCustomer as { id: string }).id;
    const added = await gql(UPDATE, {
      id,
      input: { addExternalIds: [{ source: 'SHOP', id: 'shop-77' }] },
    });
    expect(added.data!.updateCustomer).toMatchObject({
      type: 'CUSTOMER',
      externalIds: [{ source: 'SHOP', id: 'shop-77' }],
    });
    const taken = await gql(UPDATE, {
      id,
      input: { name: 'Đổi tên', addExternalIds: [{ source: 'SHOP', id: 'shop-42' }] },
    });
    expect(taken.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'input.addExternalIds[0]',
    });
    const kept = await gql(`{ customer(id: "${id}") { name } }`);
    expect(kept.data).toEqual({ customer: { name: 'Khách Shop' } });
    const removed = await gql(UPDATE, {
      id,
      input: { removeExternalIds: [{ source: 'SHOP', id: 'shop-77' }] },
    });
    expect(removed.data!.updateCustomer).toMatchObject({ type: 'LEAD', externalIds: [] });
  });
});

describe('notes', () => {
  it('are signed by the caller and listed newest first', async () => {
    const created = await gql(CREATE, { input: { name: 'Noted' } });
    const id = (created.data!.createCustomer as { id: string }).id;
    for (const text of ['first call', 'second call']) {
      const added = await gql(
        'mutation($id: ID!, $t: String!) { addCustomerNote(customerId: $id, text: $t) { author } }',
        { id, t: text },
      );
      expect(added.data).toEqual({ addCustomerNote: { author: 'admin-1' } });
    }
    const { data } = await gql(
      `{ customer(id: "${id}") { notes(first: 5) { edges { node { text author } } } } }`,
    );
    const notes = (data!.customer as { notes: { edges: { node: { text: string } }[] } }).notes;
    expect(notes.edges.map((e) => e.node.text)).toEqual(['second call', 'first call']);
    const empty = await gql(
      'mutation($id: ID!) { addCustomerNote(customerId: $id, text: "  ") { id } }',
      { id },
    );
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
  });
});

describe('deleting customers', () => {
  it('removes them and tells the followers subgraph', async () => {
    const created = await gql(CREATE, { input: { name: 'Leaving', phone: '0933 000 999' } });
    const id = (created.data!.createCustomer as { id: string }).id;
    // A follower linked to the customer, as the Zalo flow would have done.
    await stack
      .db('followers')
      .query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [ws]);
    await stack.db('followers').query(
      `INSERT INTO zalo_follower (workspace_id, zalo_user_id, followed_at, status, customer_id)
       VALUES ($1, 'z-leaving', now(), 'FOLLOWING', $2)`,
      [ws, id],
    );
    const deleted = await gql('mutation($ids: [ID!]) { deleteCustomers(ids: $ids) { deleted } }', {
      ids: [id],
    });
    expect(deleted.data).toEqual({ deleteCustomers: { deleted: 1 } });
    expect((await gql(`{ customer(id: "${id}") { id } }`)).data).toEqual({ customer: null });
    await eventually(
      () =>
        stack
          .db('followers')
          .query(
            `SELECT customer_id FROM zalo_follower WHERE workspace_id = $1 AND zalo_user_id = 'z-leaving'`,
            [ws],
          ),
      (rows: { customer_id: string | null }[]) => rows[0].customer_id === null,
    );
  });

  it('needs exactly one of ids or filter', async () => {
    const before = await customerCount();
    const both = await gql(
      'mutation { deleteCustomers(ids: [], filter: { name: { isEmpty: true } }) { deleted } }',
    );
    expect(both.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
    const neither = await gql('mutation { deleteCustomers { deleted } }');
    expect(neither.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
    expect(await customerCount()).toBe(before);
  });

  it('refuses 101 ids, deleting nothing', async () => {
    const before = await customerCount();
    const ids = Array.from({ length: 101 }, () => '00000000-0000-4000-8000-000000000000');
    const { errors } = await gql(
      'mutation($ids: [ID!]) { deleteCustomers(ids: $ids) { deleted } }',
      {
        ids,
      },
    );
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
    expect(await customerCount()).toBe(before);
  });
});
