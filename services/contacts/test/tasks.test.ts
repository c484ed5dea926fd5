// The Tasks tab ("Công việc", issue 12) on real Postgres: create and patch, completion
// times, the filters, who sees and changes what, bad input and workspaces apart.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { GraphQLBody, TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { MERGE_PARTICIPANTS } from '../src/merge/merge.participants';
import { vietnamWeek } from '../src/tasks/task.week';

const ws = `tasks-${randomUUID().slice(0, 8)}`;
const as = (role: Identity['role'], userId: string, workspaceId = ws): Identity => ({
  workspaceId,
  userId,
  role,
});
const admin = as('admin', 'boss');
const sam = as('staff', 'sam');
const kim = as('staff', 'kim');
const analyst = as('analyst', 'ana');
const stranger = as('admin', 'boss', `${ws}-other`);

const TASK = `id title description assignee startAt dueAt status completedAt createdBy
  customer { id }`;

let subgraph: TestSubgraph;
const customer = { sam: '', kim: '' };

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  for (const staff of ['sam', 'kim'] as const) {
    const body = await subgraph.query(
      admin,
      `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
      { input: { name: `Khách của ${staff}`, assignedStaff: staff } },
    );
    customer[staff] = body.data!.createCustomer.id;
  }
});
afterAll(() => subgraph?.stop());

function ok(body: GraphQLBody) {
  expect(body.errors).toBeUndefined();
  return body.data!;
}

/** The one error of a refused call: its code and the field it names. */
function refusal(body: GraphQLBody) {
  expect(body.errors).toHaveLength(1);
  const [error] = body.errors!;
  return { code: error.extensions?.code, field: error.extensions?.field };
}

function createTask(who: Identity, input: object) {
  return subgraph.query(
    who,
    `mutation($input: TaskInput!) { createTask(input: $input) { ${TASK} } }`,
    { input },
  );
}

async function newTask(who: Identity, input: object) {
  return ok(await createTask(who, input)).createTask;
}

function updateTask(who: Identity, id: string, input: object) {
  return subgraph.query(
    who,
    `mutation($id: ID!, $input: TaskPatch!) { updateTask(id: $id, input: $input) { ${TASK} } }`,
    { id, input },
  );
}

async function taskRow(id: string) {
  const [row] = await subgraph.db.query('SELECT * FROM customer_task WHERE id = $1', [id]);
  return row;
}

async function listTitles(who: Identity, filter: object = {}, extra = '') {
  const data = ok(
    await subgraph.query(
      who,
      `query($filter: TaskFilter) { tasks(filter: $filter, first: 100) {
        totalCount edges { node { title ${extra} } } } }`,
      { filter },
    ),
  );
  const titles = data.tasks.edges.map((e: { node: { title: string } }) => e.node.title);
  expect(data.tasks.totalCount).toBe(titles.length);
  return titles.sort();
}

describe('creating and changing', () => {
  it('creates a task signed by the caller, assigned to them unless told otherwise', async () => {
    const task = await newTask(admin, { title: '  Gọi lại  ', customerId: customer.sam });
    expect(task).toEqual({
      id: expect.any(String),
      title: 'Gọi lại',
      description: null,
      assignee: 'boss',
      startAt: null,
      dueAt: null,
      status: 'TODO',
      completedAt: null,
      createdBy: 'boss',
      customer: { id: customer.sam },
    });
    const nobody = await newTask(admin, {
      title: 'Chưa giao',
      customerId: customer.sam,
      assignee: null,
    });
    expect(nobody.assignee).toBeNull();
  });

  it('patches: a field left out stays, null clears, a given value replaces', async () => {
    const task = await newTask(admin, {
      title: 'Gửi báo giá',
      description: 'gói VIP',
      customerId: customer.sam,
      assignee: 'sam',
      startAt: '2026-03-02T01:00:00.000Z',
      dueAt: '2026-03-03T10:00:00.000Z',
    });
    const changed = ok(await updateTask(admin, task.id, { description: null, dueAt: null }));
    expect(changed.updateTask).toEqual({
      ...task,
      description: null,
      dueAt: null,
    });
    const again = ok(
      await updateTask(admin, task.id, { title: 'Gửi báo giá lần 2', assignee: null }),
    );
    expect(again.updateTask).toEqual({
      ...task,
      title: 'Gửi báo giá lần 2',
      description: null,
      dueAt: null,
      assignee: null,
    });
    const moved = ok(await updateTask(admin, task.id, { customerId: customer.kim }));
    expect(moved.updateTask.customer).toEqual({ id: customer.kim });
  });

  it('sets completedAt when DONE, keeps it when completed again, clears it when reopened', async () => {
    const task = await newTask(admin, { title: 'Giao hàng', customerId: customer.sam });
    const done = ok(
      await subgraph.query(admin, `mutation($id: ID!) { completeTask(id: $id) { ${TASK} } }`, {
        id: task.id,
      }),
    ).completeTask;
    expect(done.status).toBe('DONE');
    expect(Date.parse(done.completedAt)).not.toBeNaN();
    const first = (await taskRow(task.id)).completed_at;
    const twice = ok(
      await subgraph.query(admin, `mutation($id: ID!) { completeTask(id: $id) { completedAt } }`, {
        id: task.id,
      }),
    ).completeTask;
    expect(twice.completedAt).toBe(done.completedAt);
    const doneAgain = ok(await updateTask(admin, task.id, { status: 'DONE' })).updateTask;
    expect(doneAgain.completedAt).toBe(done.completedAt);
    expect((await taskRow(task.id)).completed_at).toEqual(first);

    const reopened = ok(await updateTask(admin, task.id, { status: 'IN_PROGRESS' })).updateTask;
    expect(reopened).toMatchObject({ status: 'IN_PROGRESS', completedAt: null });
    const redone = ok(await updateTask(admin, task.id, { status: 'DONE' })).updateTask;
    expect(redone.status).toBe('DONE');
    expect(Date.parse(redone.completedAt)).toBeGreaterThanOrEqual(Date.parse(done.completedAt));
    const cancelled = ok(await updateTask(admin, task.id, { status: 'CANCELLED' })).updateTask;
    expect(cancelled.completedAt).toBeNull();

    const bornDone = await newTask(admin, {
      title: 'Đã xong',
      customerId: customer.sam,
      status: 'DONE',
    });
    expect(Date.parse(bornDone.completedAt)).not.toBeNaN();
  });
});

describe('bad input', () => {
  it('is BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const [{ n: before }] = await subgraph.db.query(
      'SELECT count(*)::int AS n FROM customer_task WHERE workspace_id = $1',
      [ws],
    );
    const base = { title: 'ok', customerId: customer.sam };
    const cases: [object, string][] = [
      [{ ...base, title: '   ' }, 'input.title'],
      [{ ...base, title: 'x'.repeat(501) }, 'input.title'],
      [{ ...base, description: 'x'.repeat(5001) }, 'input.description'],
      [{ ...base, customerId: 'nope' }, 'input.customerId'],
      [{ ...base, assignee: 'two words' }, 'input.assignee'],
      [{ ...base, startAt: '2026-03-03T00:00:00Z', dueAt: '2026-03-02T00:00:00Z' }, 'input.dueAt'],
    ];
    for (const [input, field] of cases) {
      expect(refusal(await createTask(admin, input))).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    expect((await newTask(admin, { ...base, title: 'x'.repeat(500) })).title).toHaveLength(500);
    const task = await newTask(admin, {
      ...base,
      title: 'Giữ nguyên',
      startAt: '2026-03-02T00:00:00Z',
    });
    const patches: [object, string][] = [
      [{ title: null, description: 'mất' }, 'input.title'],
      [{ status: null }, 'input.status'],
      [{ customerId: null }, 'input.customerId'],
      [{ description: 'mất', dueAt: '2026-03-01T00:00:00Z' }, 'input.dueAt'],
      [{ startAt: '2026-03-01T00:00:00Z', dueAt: '2026-02-01T00:00:00Z' }, 'input.dueAt'],
    ];
    for (const [input, field] of patches) {
      expect(refusal(await updateTask(admin, task.id, input))).toEqual({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
    const row = await taskRow(task.id);
    expect(row).toMatchObject({ title: 'Giữ nguyên', description: null, due_at: null });
    expect(refusal(await updateTask(admin, 'nope', { title: 'x' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
    const bad = await subgraph.query(admin, `{ tasks(filter: { assignee: " " }) { totalCount } }`);
    expect(refusal(bad)).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.assignee' });
    const [{ n: after }] = await subgraph.db.query(
      'SELECT count(*)::int AS n FROM customer_task WHERE workspace_id = $1',
      [ws],
    );
    // Only the 500-character title and the task to patch were written.
    expect(after).toBe(before + 2);
  });

  it('is NOT_FOUND naming the argument for an unknown customer or task', async () => {
    const unknown = randomUUID();
    expect(refusal(await createTask(admin, { title: 't', customerId: unknown }))).toEqual({
      code: 'NOT_FOUND',
      field: 'input.customerId',
    });
    expect(refusal(await updateTask(admin, unknown, { title: 't' }))).toEqual({
      code: 'NOT_FOUND',
      field: 'id',
    });
    const task = await newTask(admin, { title: 'Chuyển', customerId: customer.sam });
    expect(refusal(await updateTask(admin, task.id, { customerId: unknown }))).toEqual({
      code: 'NOT_FOUND',
      field: 'input.customerId',
    });
  });
});

describe('filters', () => {
  let other: string;
  beforeAll(async () => {
    const body = await subgraph.query(
      admin,
      `mutation { createCustomer(input: { name: "Lọc", assignedStaff: "lee" }) { id } }`,
    );
    other = body.data!.createCustomer.id;
  });
  const titles = (filter: object) => listTitles(admin, { customerId: other, ...filter });

  it('finds overdue tasks: due before now and neither DONE nor CANCELLED', async () => {
    const past = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    const future = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    for (const [title, dueAt, status] of [
      ['o-late-todo', past, 'TODO'],
      ['o-late-doing', past, 'IN_PROGRESS'],
      ['o-late-done', past, 'DONE'],
      ['o-late-cancelled', past, 'CANCELLED'],
      ['o-future', future, 'TODO'],
      ['o-undated', null, 'TODO'],
    ]) {
      await newTask(admin, { title, dueAt, status, customerId: other, assignee: 'lee' });
    }
    expect(await titles({ overdue: true })).toEqual(['o-late-doing', 'o-late-todo']);
    expect(await titles({ overdue: true, status: ['TODO'] })).toEqual(['o-late-todo']);
    // false is no condition.
    expect(await titles({ overdue: false })).toHaveLength(6);
  });

  it('finds tasks due this week in Vietnam time, Monday 00:00 to Sunday 24:00', async () => {
    const week = vietnamWeek(new Date());
    const ms = (d: Date, delta: number) => new Date(d.getTime() + delta).toISOString();
    for (const [title, dueAt] of [
      ['w-last-sunday-23:59:59.999', ms(week.from, -1)],
      ['w-monday-00:00', ms(week.from, 0)],
      ['w-sunday-23:59:59.999', ms(week.to, -1)],
      ['w-next-monday-00:00', ms(week.to, 0)],
    ]) {
      await newTask(admin, { title, dueAt, customerId: other, assignee: 'kai' });
    }
    expect(await titles({ dueThisWeek: true, assignee: 'kai' })).toEqual([
      'w-monday-00:00',
      'w-sunday-23:59:59.999',
    ]);
  });

  it('filters by status, assignee, customer, and the caller’s own', async () => {
    await newTask(admin, { title: 'f-mine', customerId: other });
    await newTask(admin, {
      title: 'f-lee-done',
      customerId: other,
      assignee: 'lee',
      status: 'DONE',
    });
    expect(await titles({ mine: true })).toEqual(['f-mine']);
    expect(await titles({ status: ['DONE'], assignee: 'lee' })).toEqual([
      'f-lee-done',
      'o-late-done',
    ]);
    expect(await listTitles(admin, { customerId: randomUUID() })).toEqual([]);
    expect(await listTitles(admin, { customerId: 'nope' })).toEqual([]);
    // The tab lists the customer's tasks with the same filter (its customerId aside).
    const tab = ok(
      await subgraph.query(
        admin,
        `query($id: ID!) { customer(id: $id) {
          tasks(filter: { overdue: true, assignee: "lee", customerId: "ignored" }, first: 1) {
            totalCount edges { node { title } } pageInfo { hasNextPage } } } }`,
        { id: other },
      ),
    ).customer.tasks;
    expect(tab.totalCount).toBe(2);
    expect(tab.edges).toHaveLength(1);
    expect(tab.pageInfo.hasNextPage).toBe(true);
  });

  it('pages newest first with cursors', async () => {
    const all = await listTitles(admin, { customerId: other });
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const data = ok(
        await subgraph.query(
          admin,
          `query($after: String, $id: ID) { tasks(filter: { customerId: $id }, first: 3, after: $after) {
            totalCount edges { node { title } } pageInfo { hasNextPage endCursor } } }`,
          { after, id: other },
        ),
      );
      seen.push(...data.tasks.edges.map((e: { node: { title: string } }) => e.node.title));
      expect(data.tasks.totalCount).toBe(all.length);
      after = data.tasks.pageInfo.hasNextPage ? data.tasks.pageInfo.endCursor : null;
    } while (after);
    expect(seen.sort()).toEqual(all);
  });
});

describe('who sees and changes what', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    for (const [title, customerId, assignee] of [
      ['v-sam-own', customer.sam, 'sam'],
      ['v-sam-customer-for-kim', customer.sam, 'kim'],
      ['v-kim-customer-for-sam', customer.kim, 'sam'],
      ['v-kim-own', customer.kim, 'kim'],
    ]) {
      ids[title] = (await newTask(admin, { title, customerId, assignee })).id;
    }
  });
  const visible = async (who: Identity) =>
    (await listTitles(who, {}, 'customer { id }')).filter((t: string) => t.startsWith('v-'));

  it('shows staff their customers’ tasks and the tasks assigned to them', async () => {
    expect(await visible(sam)).toEqual([
      'v-kim-customer-for-sam',
      'v-sam-customer-for-kim',
      'v-sam-own',
    ]);
    expect(await visible(kim)).toEqual([
      'v-kim-customer-for-sam',
      'v-kim-own',
      'v-sam-customer-for-kim',
    ]);
    expect(await visible(analyst)).toHaveLength(4);
    expect(await visible(as('staff', 'nobody'))).toEqual([]);
  });

  it('shows nothing of another’s customer beyond the task', async () => {
    const data = ok(
      await subgraph.query(
        sam,
        `query($id: ID!) { tasks(filter: { customerId: $id }) { edges { node { title customer { id name } } } }
          customer(id: $id) { id } }`,
        { id: customer.kim },
      ),
    );
    expect(data.tasks.edges).toEqual([
      { node: { title: 'v-kim-customer-for-sam', customer: null } },
    ]);
    expect(data.customer).toBeNull();
    // Their own customer's tab shows every task of it, whoever does it.
    const tab = ok(
      await subgraph.query(
        sam,
        `query($id: ID!) { customer(id: $id) { tasks(first: 100) {
        edges { node { title } } } } }`,
        { id: customer.sam },
      ),
    ).customer.tasks.edges.map((e: { node: { title: string } }) => e.node.title);
    expect(tab).toEqual(expect.arrayContaining(['v-sam-own', 'v-sam-customer-for-kim']));
  });

  it('lets staff change the content of a task assigned to them, not give it away', async () => {
    const id = ids['v-kim-customer-for-sam'];
    const changed = ok(await updateTask(sam, id, { description: 'đã gọi', status: 'IN_PROGRESS' }));
    expect(changed.updateTask).toMatchObject({ description: 'đã gọi', customer: null });
    expect(refusal(await updateTask(sam, id, { assignee: 'lee' }))).toEqual({
      code: 'FORBIDDEN',
      field: 'input.assignee',
    });
    expect(refusal(await updateTask(sam, id, { customerId: customer.sam }))).toEqual({
      code: 'FORBIDDEN',
      field: 'input.customerId',
    });
    // Sending the assignee it has is no change.
    ok(await updateTask(sam, id, { assignee: 'sam', title: 'v-kim-customer-for-sam' }));
    ok(await subgraph.query(sam, `mutation($id: ID!) { completeTask(id: $id) { id } }`, { id }));
    expect(await taskRow(id)).toMatchObject({ assignee: 'sam', customer_id: customer.kim });
  });

  it('lets staff change everything of their customers’ tasks, and nothing of others’', async () => {
    const mine = ids['v-sam-own'];
    ok(await updateTask(sam, mine, { assignee: 'lee' }));
    expect(await visible(sam)).toContain('v-sam-own');
    ok(await updateTask(sam, mine, { assignee: 'sam' }));
    const theirs = ids['v-kim-own'];
    for (const body of [
      await updateTask(sam, theirs, { title: 'x' }),
      await subgraph.query(sam, `mutation($id: ID!) { completeTask(id: $id) { id } }`, {
        id: theirs,
      }),
    ]) {
      expect(refusal(body)).toEqual({ code: 'NOT_FOUND', field: 'id' });
    }
    expect(refusal(await updateTask(sam, mine, { customerId: customer.kim }))).toEqual({
      code: 'NOT_FOUND',
      field: 'input.customerId',
    });
    expect(refusal(await createTask(sam, { title: 't', customerId: customer.kim }))).toEqual({
      code: 'NOT_FOUND',
      field: 'input.customerId',
    });
    // A staff member may give a task on their customer to a colleague.
    const forKim = await newTask(sam, {
      title: 'v2-for-kim',
      customerId: customer.sam,
      assignee: 'kim',
    });
    expect(forKim.createdBy).toBe('sam');
    expect((await taskRow(theirs)).title).toBe('v-kim-own');
  });

  it('lets analysts read and not write', async () => {
    const body = await createTask(analyst, { title: 't', customerId: customer.sam });
    expect(refusal(body).code).toBe('FORBIDDEN');
    const platform = await subgraph.query(as('platform', 'op'), '{ tasks { totalCount } }');
    expect(refusal(platform).code).toBe('FORBIDDEN');
  });
});

describe('workspaces apart', () => {
  it('never shows or changes another workspace’s tasks', async () => {
    const task = await newTask(admin, { title: 'Riêng', customerId: customer.sam });
    const list = ok(
      await subgraph.query(stranger, '{ tasks { totalCount edges { node { id } } } }'),
    );
    expect(list.tasks).toEqual({ totalCount: 0, edges: [] });
    expect(refusal(await updateTask(stranger, task.id, { title: 'x' }))).toEqual({
      code: 'NOT_FOUND',
      field: 'id',
    });
    expect(refusal(await createTask(stranger, { title: 'x', customerId: customer.sam }))).toEqual({
      code: 'NOT_FOUND',
      field: 'input.customerId',
    });
    expect((await taskRow(task.id)).title).toBe('Riêng');
  });
});

describe('for merging customers', () => {
  it('counts tasks per customer and moves the merged ones’ to the survivor', async () => {
    const make = async () =>
      ok(await subgraph.query(admin, `mutation { createCustomer(input: { name: "Gộp" }) { id } }`))
        .createCustomer.id as string;
    const [survivor, merged, empty] = [await make(), await make(), await make()];
    await newTask(admin, { title: 'm1', customerId: survivor });
    await newTask(admin, { title: 'm2', customerId: merged });
    await newTask(admin, { title: 'm3', customerId: merged });
    const tasks = MERGE_PARTICIPANTS.find((p) => p.name === 'tasks')!;
    const moved = await subgraph.db.transaction(async (tx) => {
      const before = await tasks.count(tx, ws, [survivor, merged, empty]);
      expect(before).toEqual(
        new Map([
          [survivor, 1],
          [merged, 2],
        ]),
      );
      // Another workspace's survivor id with the same merged ids moves nothing.
      expect(await tasks.move(tx, `${ws}-other`, survivor, [merged])).toBe(0);
      return tasks.move(tx, ws, survivor, [merged, empty]);
    });
    expect(moved).toBe(2);
    const after = await subgraph.db.transaction((tx) => tasks.count(tx, ws, [survivor, merged]));
    expect(after).toEqual(new Map([[survivor, 3]]));
  });
});
