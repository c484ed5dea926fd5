// The projection of contacts' assignment events that every other subgraph keeps, on
// real Postgres: the newest event wins whatever order events arrive in, and a deleted
// customer stays deleted.
import type { DataSource } from 'typeorm';
import {
  CUSTOMER_ASSIGNED,
  CUSTOMER_DELETED,
  createEvent,
  createRequestAccess,
  customerAccessModule,
  openDatabase,
  projectedAssignments,
  projectedScopeSql,
} from '../src';
import type { AnyEvent, Identity } from '../src';
import { applyEvents, createTestDatabase } from '../src/testing';

const ws = 'access-ws';
const [c1, c2, c3] = [
  '00000000-0000-4000-8000-000000000001',
  '00000000-0000-4000-8000-000000000002',
  '00000000-0000-4000-8000-000000000003',
];
let db: DataSource;

beforeAll(async () => {
  db = await openDatabase({
    url: await createTestDatabase('customer-access'),
    applicationName: 'customer-access-test',
    entities: [],
    migrations: customerAccessModule.migrations as [],
  });
});
afterAll(() => db.destroy());

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const assigned = (customerId: string, staff: string | null, second: number): AnyEvent => ({
  ...createEvent({
    type: CUSTOMER_ASSIGNED,
    workspaceId: ws,
    key: customerId,
    payload: { customerId, assignedStaff: staff },
  }),
  occurredAt: at(second),
});
const deleted = (customerId: string, second: number): AnyEvent => ({
  ...createEvent({
    type: CUSTOMER_DELETED,
    workspaceId: ws,
    key: customerId,
    payload: { customerId, deletedBy: 'admin' },
  }),
  occurredAt: at(second),
});

const apply = (...events: AnyEvent[]) => applyEvents(db, customerAccessModule, ...events);

const mine = (staff: string) => projectedAssignments(db, ws, staff, [c1, c2, c3]);

it('follows the newest assignment, whatever order the events arrive in', async () => {
  await apply(assigned(c1, 'sam', 10), assigned(c1, 'kim', 5));
  expect(await mine('sam')).toEqual(new Set([c1]));
  expect(await mine('kim')).toEqual(new Set());
  await apply(assigned(c1, null, 20));
  expect(await mine('sam')).toEqual(new Set());
});

it('keeps a deleted customer deleted, even when an older assignment comes late', async () => {
  await apply(assigned(c2, 'sam', 10), deleted(c2, 30), assigned(c2, 'sam', 40));
  expect(await mine('sam')).toEqual(new Set());
});

it('scopes a staff member to the projection, and the other roles as the matrix says', async () => {
  await apply(assigned(c3, 'lee', 1));
  const staff: Identity = { workspaceId: ws, userId: 'lee', role: 'staff' };
  const access = createRequestAccess(staff, db, projectedAssignments);
  expect(await Promise.all([c1, c2, c3].map((c) => access.seesCustomer(c)))).toEqual([
    false,
    false,
    true,
  ]);
  const platform = createRequestAccess({ ...staff, role: 'platform' }, db, projectedAssignments);
  expect(await platform.seesCustomer(c3)).toBe(false);
  const analyst = createRequestAccess({ ...staff, role: 'analyst' }, db, projectedAssignments);
  expect(await analyst.seesCustomer(c1)).toBe(true);

  const params: unknown[] = [];
  const where = projectedScopeSql(access.scope, 'x.customer_id', 'x.workspace_id', (v) => {
    params.push(v);
    return `$${params.length + 1}`;
  });
  const rows: { customer_id: string }[] = await db.query(
    `SELECT x.customer_id FROM (VALUES ($1, '${c1}'::uuid), ($1, '${c3}'::uuid))
       AS x(workspace_id, customer_id) WHERE ${where}`,
    [ws, ...params],
  );
  expect(rows.map((r) => r.customer_id)).toEqual([c3]);
});
