// Possible duplicates against a real Postgres: Customer.sameNumberCustomers ("Khách
// hàng trùng SĐT") by phone in any written form and by email, one query for a page of
// customers, what staff and another workspace see, the answer of createCustomer and
// updateCustomer (the write succeeds), and customersByPhone (every holder).
import { randomUUID } from 'node:crypto';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';

const ws = `dup-${randomUUID().slice(0, 8)}`;
const editor: Identity = { workspaceId: ws, userId: 'e1', role: 'editor' };
const sam: Identity = { workspaceId: ws, userId: 'sam', role: 'staff' };
const otherAdmin: Identity = { workspaceId: `${ws}-other`, userId: 'o1', role: 'admin' };

const SAME = `sameNumberCustomers(first: $first, after: $after) {
  totalCount edges { node { id name } sharedPhones sharedEmail } pageInfo { hasNextPage endCursor } }`;
const CREATE = `mutation($input: CustomerInput!, $first: Int, $after: String) {
  createCustomer(input: $input) { id name ${SAME} } }`;
const TAB = `query($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) {
  ... on Customer { id ${SAME} } } }`;

interface Edge {
  node: { id: string; name: string };
  sharedPhones: string[];
  sharedEmail: string | null;
}
interface Tab {
  totalCount: number;
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

let subgraph: TestSubgraph;
/** Customer name → id. */
const ids: Record<string, string> = {};

async function create(who: Identity, input: object): Promise<{ id: string; same: Tab }> {
  const body = await subgraph.query(who, CREATE, { input });
  expect(body.errors).toBeUndefined();
  const created = body.data!.createCustomer;
  ids[created.name] = created.id;
  return { id: created.id, same: created.sameNumberCustomers };
}

async function tab(who: Identity, names: string[], first?: number, after?: string | null) {
  const body = await subgraph.query(who, TAB, {
    r: names.map((n) => ({ __typename: 'Customer', id: ids[n] ?? n })),
    first,
    after,
  });
  expect(body.errors).toBeUndefined();
  return (body.data!._entities as ({ sameNumberCustomers: Tab } | null)[]).map(
    (e) => e?.sameNumberCustomers ?? null,
  );
}

const named = (page: Tab | null) => page?.edges.map((e) => e.node.name);

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  // Created in this order, so newest first is the reverse. Lan's number is written
  // four ways; Bình and Chi share her email in other cases; Hải's old 11-digit prefix
  // is Dũng's new 10-digit number.
  await create(editor, {
    name: 'Lan',
    phone: '0912 345 678',
    email: 'Lan@Shop.vn',
    assignedStaff: 'sam',
  });
  await create(editor, { name: 'Bình', phone: '+84912345678', assignedStaff: 'kim' });
  await create(editor, {
    name: 'Chi',
    phone: '0977 000 111',
    otherPhones: ['(+84) 912-345-678'],
    email: 'lan@shop.VN',
    assignedStaff: 'sam',
  });
  await create(editor, { name: 'Dung', email: 'LAN@SHOP.VN' });
  await create(editor, { name: 'Hải', phone: '0168 123 4567' });
  await create(editor, { name: 'Dũng', phone: '038.123.4567', email: 'dung@shop.vn' });
  await create(editor, { name: 'Alone', phone: '0909 999 999', email: 'alone@shop.vn' });
  // Another workspace with Lan's number and email.
  await create(otherAdmin, { name: 'Elsewhere', phone: '0912345678', email: 'lan@shop.vn' });
  // A day apart, in the order created, so that no two share an instant.
  for (const [day, name] of ['Lan', 'Bình', 'Chi', 'Dung', 'Hải', 'Dũng', 'Alone'].entries()) {
    await subgraph.db.query(
      `UPDATE customer SET created_at = '2026-01-01T00:00:00Z'::timestamptz + $2 * interval '1 day'
        WHERE id = $1`,
      [ids[name], day],
    );
  }
}, 60_000);
afterAll(() => subgraph?.stop());

describe('Customer.sameNumberCustomers', () => {
  it('lists the customers sharing a phone in any written form or the email, newest first, with what they share', async () => {
    const [lan, chi, hai, dung, alone] = await tab(editor, ['Lan', 'Chi', 'Hải', 'Dũng', 'Alone']);
    expect(lan).toEqual({
      totalCount: 3,
      edges: [
        { node: { id: ids.Dung, name: 'Dung' }, sharedPhones: [], sharedEmail: 'LAN@SHOP.VN' },
        {
          node: { id: ids.Chi, name: 'Chi' },
          sharedPhones: ['+84912345678'],
          sharedEmail: 'lan@shop.VN',
        },
        {
          node: { id: ids['Bình'], name: 'Bình' },
          sharedPhones: ['+84912345678'],
          sharedEmail: null,
        },
      ],
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    });
    expect(named(chi)).toEqual(['Dung', 'Bình', 'Lan']);
    expect(hai!.edges).toEqual([
      {
        node: { id: ids['Dũng'], name: 'Dũng' },
        sharedPhones: ['+84381234567'],
        sharedEmail: null,
      },
    ]);
    expect(named(dung)).toEqual(['Hải']);
    expect(alone).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });

  it('answers a page of customers with one query for the pages and one for the counts', async () => {
    const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    const pages = await tab(editor, ['Lan', 'Bình', 'Chi', 'Dung', 'Hải', 'not-a-uuid']);
    const queries = spy.mock.calls.filter(([sql]) => /shared AS \(/.test(String(sql)));
    spy.mockRestore();
    expect(queries).toHaveLength(2);
    expect(pages.map((p) => p?.totalCount ?? null)).toEqual([3, 2, 3, 2, 1, null]);
  });

  it('pages by cursor without repeats, and refuses a page over 100', async () => {
    const [one] = await tab(editor, ['Lan'], 2);
    expect(named(one)).toEqual(['Dung', 'Chi']);
    expect(one!.pageInfo.hasNextPage).toBe(true);
    const [two] = await tab(editor, ['Lan'], 2, one!.pageInfo.endCursor);
    expect(named(two)).toEqual(['Bình']);
    expect(two!.pageInfo.hasNextPage).toBe(false);
    const bad = await subgraph.query(editor, TAB, {
      r: [{ __typename: 'Customer', id: ids.Lan }],
      first: 101,
    });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('shows staff only their own customers, and counts only those', async () => {
    // Sam has Lan and Chi; Bình is Kim's, Dung nobody's.
    const [lan, chi, binh] = await tab(sam, ['Lan', 'Chi', 'Bình']);
    expect(lan).toMatchObject({ totalCount: 1, edges: [{ node: { name: 'Chi' } }] });
    expect(named(chi)).toEqual(['Lan']);
    expect(chi!.totalCount).toBe(1);
    expect(binh).toBeNull(); // not Sam's customer at all
  });

  it('never reaches into another workspace', async () => {
    const [lan] = await tab(editor, ['Lan']);
    expect(named(lan)).not.toContain('Elsewhere');
    const [elsewhere, lanFromThere] = await tab(otherAdmin, ['Elsewhere', 'Lan']);
    expect(elsewhere).toMatchObject({ totalCount: 0, edges: [] });
    expect(lanFromThere).toBeNull();
  });
});

describe('createCustomer and updateCustomer', () => {
  it('create the customer whoever shares its number, and answer with the possible duplicates', async () => {
    const { id, same } = await create(editor, { name: 'Lan again', phone: '84 912 345 678' });
    expect(id).toEqual(expect.any(String));
    expect(named(same)).toEqual(['Chi', 'Bình', 'Lan']);
    expect(same.totalCount).toBe(3);
    expect(same.edges.every((e) => e.sharedPhones.join() === '+84912345678')).toBe(true);
    // Staff creating one see only their own customers among the duplicates.
    const mine = await create(sam, {
      name: 'Lan by Sam',
      phone: '0933 000 001',
      otherPhones: ['0912345678'],
    });
    expect(named(mine.same)).toEqual(['Chi', 'Lan']);
    expect(mine.same.totalCount).toBe(2);
  });

  it('update the customer and answer with the duplicates its new number and email make', async () => {
    const body = await subgraph.query(
      editor,
      `mutation($id: ID!, $first: Int, $after: String) {
        updateCustomer(id: $id, input: { otherPhones: ["0381234567"], email: "DUNG@shop.vn" }) {
          email phones { e164 } ${SAME} } }`,
      { id: ids.Alone },
    );
    expect(body.errors).toBeUndefined();
    const updated = body.data!.updateCustomer;
    expect(updated.email).toBe('DUNG@shop.vn');
    expect(updated.phones).toEqual([{ e164: '+84909999999' }, { e164: '+84381234567' }]);
    expect(updated.sameNumberCustomers.edges).toEqual([
      {
        node: { id: ids['Dũng'], name: 'Dũng' },
        sharedPhones: ['+84381234567'],
        sharedEmail: 'dung@shop.vn',
      },
      { node: { id: ids['Hải'], name: 'Hải' }, sharedPhones: ['+84381234567'], sharedEmail: null },
    ]);
  });
});

describe('customersByPhone', () => {
  const BY_PHONE = `query($phone: String!, $first: Int, $after: String) {
    customerByPhone(phone: $phone) { name }
    customersByPhone(phone: $phone, first: $first, after: $after) {
      totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`;

  it('lists every holder of the number, oldest first, beside the one it is matched to', async () => {
    const body = await subgraph.query(editor, BY_PHONE, { phone: '+84 912.345.678' });
    expect(body.errors).toBeUndefined();
    expect(body.data!.customerByPhone).toEqual({ name: 'Lan' });
    const all = body.data!.customersByPhone;
    expect(all.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual([
      'Lan',
      'Bình',
      'Chi',
      'Lan again',
      'Lan by Sam',
    ]);
    expect(all.totalCount).toBe(5);
    const one = await subgraph.query(editor, BY_PHONE, { phone: '0912345678', first: 2 });
    const two = await subgraph.query(editor, BY_PHONE, {
      phone: '0912345678',
      first: 2,
      after: one.data!.customersByPhone.pageInfo.endCursor,
    });
    expect(
      two.data!.customersByPhone.edges.map((e: { node: { name: string } }) => e.node.name),
    ).toEqual(['Chi', 'Lan again']);
  });

  it('shows staff only their own holders, and each workspace its own', async () => {
    const staff = await subgraph.query(sam, BY_PHONE, { phone: '0912345678' });
    expect(
      staff.data!.customersByPhone.edges.map((e: { node: { name: string } }) => e.node.name),
    ).toEqual(['Lan', 'Chi', 'Lan by Sam']);
    const other = await subgraph.query(otherAdmin, BY_PHONE, { phone: '0912345678' });
    expect(other.data).toEqual({
      customerByPhone: { name: 'Elsewhere' },
      customersByPhone: {
        totalCount: 1,
        edges: [{ node: { name: 'Elsewhere' } }],
        pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
      },
    });
  });

  it('refuses an impossible number, naming the argument', async () => {
    const body = await subgraph.query(editor, BY_PHONE, { phone: '0912 34' });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'phone' });
  });
});
