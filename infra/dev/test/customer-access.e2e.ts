// Roles on customers, from the signed context (issue 5): admin and editor read and
// write; staff only the customers assigned to them; analyst reads; platform sets the
// plan and reads no customer. Custom fields: plan gates and per-type limits, each
// refusal with its own code naming the limit, nothing written.
import { randomBytes } from 'node:crypto';
import type { Identity, Role } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

const ws = `acl-${randomBytes(3).toString('hex')}`;
const as = (role: Role, userId = `${role}-1`): Identity => ({ workspaceId: ws, userId, role });

let stack: TestStack;
const tokens = {} as Record<Role, string>;
let mineId: string;
let othersId: string;

async function gql(token: string, query: string, variables?: object) {
  return (await stack.query(token, query, variables)).body;
}

const CREATE = 'mutation($i: CustomerInput!) { createCustomer(input: $i) { id assignedStaff } }';
const FIELD = 'mutation($i: CustomFieldInput!) { createCustomField(input: $i) { key } }';

beforeAll(async () => {
  stack = await startTestStack();
  for (const role of ['admin', 'editor', 'staff', 'analyst', 'platform'] as Role[]) {
    tokens[role] = await stack.token(as(role));
  }
  const mine = await gql(tokens.admin, CREATE, {
    i: { name: 'Của staff', assignedStaff: 'staff-1' },
  });
  mineId = (mine.data!.createCustomer as { id: string }).id;
  const others = await gql(tokens.admin, CREATE, {
    i: { name: 'Của người khác', assignedStaff: 'staff-2' },
  });
  othersId = (others.data!.createCustomer as { id: string }).id;
}, 60_000);

afterAll(() => stack?.stop());

describe('roles', () => {
  it('let admins and editors read and write every customer', async () => {
    for (const role of ['admin', 'editor'] as Role[]) {
      const list = await gql(tokens[role], '{ customers { totalCount } }');
      expect((list.data!.customers as { totalCount: number }).totalCount).toBeGreaterThanOrEqual(2);
      const changed = await gql(
        tokens[role],
        `mutation { updateCustomer(id: "${othersId}", input: { city: "Huế" }) { city } }`,
      );
      expect(changed.data).toEqual({ updateCustomer: { city: 'Huế' } });
    }
  });

  it('show staff only their customers, everywhere', async () => {
    const list = await gql(tokens.staff, '{ customers { totalCount edges { node { id } } } }');
    const page = list.data!.customers as { totalCount: number; edges: { node: { id: string } }[] };
    expect(page.edges.map((e) => e.node.id)).toEqual([mineId]);
    expect(page.totalCount).toBe(1);
    const other = await gql(tokens.staff, `{ customer(id: "${othersId}") { id } }`);
    expect(other.data).toEqual({ customer: null });
    const change = await gql(
      tokens.staff,
      `mutation { updateCustomer(id: "${othersId}", input: { city: "Vinh" }) { id } }`,
    );
    expect(change.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    const bulk = await gql(
      tokens.staff,
      `mutation { updateCustomers(ids: ["${mineId}", "${othersId}"], action: { addTags: ["s"] }) { updated notFound } }`,
    );
    expect(bulk.data).toEqual({ updateCustomers: { updated: 1, notFound: [othersId] } });
    const reassign = await gql(
      tokens.staff,
      `mutation { updateCustomers(ids: ["${mineId}"], action: { assignStaff: "staff-2" }) { updated } }`,
    );
    expect(reassign.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'action.assignStaff',
    });
  });

  it('assign a customer staff create to themselves, and to nobody else', async () => {
    const created = await gql(tokens.staff, CREATE, { i: { name: 'Mới' } });
    expect(created.data!.createCustomer).toMatchObject({ assignedStaff: 'staff-1' });
    const forOther = await gql(tokens.staff, CREATE, {
      i: { name: 'Mới 2', assignedStaff: 'staff-2' },
    });
    expect(forOther.errors?.[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      field: 'input.assignedStaff',
    });
  });

  it('let analysts read and nothing else', async () => {
    const list = await gql(tokens.analyst, '{ customers { totalCount } }');
    expect(list.errors).toBeUndefined();
    for (const mutation of [
      'mutation { createCustomer(input: { name: "x" }) { id } }',
      `mutation { updateCustomer(id: "${mineId}", input: { name: "x" }) { id } }`,
      `mutation { deleteCustomers(ids: ["${mineId}"]) { deleted } }`,
      `mutation { updateCustomers(ids: ["${mineId}"], action: { addTags: ["x"] }) { updated } }`,
      `mutation { addCustomerNote(customerId: "${mineId}", text: "x") { id } }`,
      'mutation { createCustomerList(name: "x", filter: {}) { id } }',
      'mutation { markCustomersByPhones(group: PRIORITY, phones: ["0912345678"]) { matched } }',
    ]) {
      const { errors } = await gql(tokens.analyst, mutation);
      expect(errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    }
    const [row] = await stack
      .db('contacts')
      .query('SELECT name, tags FROM customer WHERE id = $1', [mineId]);
    expect(row.name).toBe('Của staff');
  });

  it('give the platform role the plan and no customer', async () => {
    const read = await gql(tokens.platform, '{ customers { totalCount } }');
    expect(read.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    const byId = await gql(tokens.platform, `{ customer(id: "${mineId}") { id } }`);
    expect(byId.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    const plan = await gql(tokens.admin, 'mutation { setWorkspacePlan(plan: PREMIUM) }');
    expect(plan.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('custom fields', () => {
  const fieldCount = async () =>
    (
      await stack
        .db('contacts')
        .query('SELECT count(*)::int AS n FROM custom_field WHERE workspace_id = $1', [ws])
    )[0].n as number;
  const setPlan = (plan: string) =>
    gql(tokens.platform, `mutation { setWorkspacePlan(plan: ${plan}) }`);

  it('need a paid plan, and TABLE needs PREMIUM', async () => {
    expect((await gql(tokens.admin, '{ workspacePlan }')).data).toEqual({ workspacePlan: 'FREE' });
    const free = await gql(tokens.admin, FIELD, {
      i: { key: 'size', label: 'Size', type: 'NUMBER' },
    });
    expect(free.errors?.[0].extensions).toMatchObject({
      code: 'CUSTOM_FIELD_PLAN_REQUIRED',
      field: 'input.type',
      plan: 'FREE',
    });
    await setPlan('ADVANCED');
    const table = await gql(tokens.admin, FIELD, {
      i: {
        key: 'kids',
        label: 'Con',
        type: 'TABLE',
        columns: [{ key: 'name', label: 'Tên', type: 'TEXT' }],
      },
    });
    expect(table.errors?.[0].extensions).toMatchObject({
      code: 'CUSTOM_FIELD_PLAN_REQUIRED',
      requiredPlans: ['PREMIUM'],
    });
    expect(await fieldCount()).toBe(0);
  });

  it('are at most 10 per type and 5 tables, each refusal naming its limit', async () => {
    await setPlan('PREMIUM');
    for (let i = 0; i < 10; i++) {
      const made = await gql(tokens.admin, FIELD, {
        i: { key: `n${i}`, label: `N${i}`, type: 'NUMBER' },
      });
      expect(made.errors).toBeUndefined();
    }
    const eleventh = await gql(tokens.admin, FIELD, {
      i: { key: 'n10', label: 'N10', type: 'NUMBER' },
    });
    expect(eleventh.errors?.[0].extensions).toMatchObject({
      code: 'CUSTOM_FIELD_LIMIT_REACHED',
      limit: 10,
    });
    const table = (key: string) => ({
      i: { key, label: key, type: 'TABLE', columns: [{ key: 'qty', label: 'SL', type: 'NUMBER' }] },
    });
    for (let i = 0; i < 5; i++) {
      expect((await gql(tokens.admin, FIELD, table(`t${i}`))).errors).toBeUndefined();
    }
    const sixth = await gql(tokens.admin, FIELD, table('t5'));
    expect(sixth.errors?.[0].extensions).toMatchObject({
      code: 'CUSTOM_FIELD_LIMIT_REACHED',
      limit: 5,
    });
    const again = await gql(tokens.admin, FIELD, { i: { key: 't0', label: 'dup', type: 'TEXT' } });
    expect(again.errors?.[0].extensions).toMatchObject({
      code: 'CUSTOM_FIELD_KEY_TAKEN',
      field: 'input.key',
    });
    expect(await fieldCount()).toBe(15);
  });

  it('are defined by admins only', async () => {
    const editor = await gql(tokens.editor, FIELD, { i: { key: 'e1', label: 'E', type: 'TEXT' } });
    expect(editor.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('validate values by type, and take them along when deleted', async () => {
    const bad = await gql(
      tokens.admin,
      `mutation { updateCustomer(id: "${mineId}", input: { custom: { n0: "many" } }) { id } }`,
    );
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.custom.n0',
    });
    const rows = await gql(
      tokens.admin,
      `mutation { updateCustomer(id: "${mineId}", input: { custom: { n0: 3, t0: [{ qty: 2 }] } }) {
        custom { key type value } } }`,
    );
    expect(rows.data!.updateCustomer).toEqual({
      custom: [
        { key: 'n0', type: 'NUMBER', value: 3 },
        { key: 't0', type: 'TABLE', value: [{ qty: 2 }] },
      ],
    });
    const deleted = await gql(tokens.admin, 'mutation { deleteCustomField(key: "n0") }');
    expect(deleted.data).toEqual({ deleteCustomField: true });
    const [row] = await stack
      .db('contacts')
      .query('SELECT custom FROM customer WHERE id = $1', [mineId]);
    expect(row.custom).toEqual({ t0: [{ qty: 2 }] });
    const missing = await gql(tokens.admin, 'mutation { deleteCustomField(key: "n0") }');
    expect(missing.errors?.[0].extensions).toMatchObject({
      code: 'CUSTOM_FIELD_NOT_FOUND',
      field: 'key',
    });
  });
});
