// orders' phone directory, a projection of contacts' phone events, on real Postgres:
// the handlers applied directly, in every order that matters (a late older event, a
// number moving between customers, a deletion).
import type { DataSource } from 'typeorm';
import {
  CUSTOMER_DELETED,
  CUSTOMER_PHONES_CHANGED,
  createEvent,
  createLogger,
  openDatabase,
} from '@customer-graph/runtime';
import type { AnyEvent, BatchEventHandler, EventOf } from '@customer-graph/runtime';
import { applyEvents, createTestDatabase } from '@customer-graph/runtime/testing';
import {
  customerByPhone,
  phoneDirectoryModule,
} from '../src/phone-directory/phone-directory.module';

const ws = 'directory-ws';
const [a, b] = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
const [x, y, z] = ['+84912000001', '+84912000002', '+84912000003'];
let db: DataSource;

beforeAll(async () => {
  db = await openDatabase({
    url: await createTestDatabase('phone-directory'),
    applicationName: 'phone-directory-test',
    entities: [],
    migrations: phoneDirectoryModule.migrations as [],
  });
});
afterAll(() => db.destroy());
beforeEach(() => db.query('TRUNCATE phone_directory, phone_directory_customer'));

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const phones = (customerId: string, list: string[], second: number): AnyEvent => ({
  ...createEvent({
    type: CUSTOMER_PHONES_CHANGED,
    workspaceId: ws,
    key: customerId,
    payload: { customerId, phones: list },
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

const apply = (...events: AnyEvent[]) => applyEvents(db, phoneDirectoryModule, ...events);

const lookup = async () => Object.fromEntries(await customerByPhone(db, ws, [x, y, z]));

it("replaces a customer's numbers with the newest event's, whatever the order", async () => {
  await apply(phones(a, [x, y], 10));
  expect(await lookup()).toEqual({ [x]: a, [y]: a });
  await apply(phones(a, [z], 20), phones(a, [x, y], 15));
  expect(await lookup()).toEqual({ [z]: a });
  await apply(phones(a, [], 30));
  expect(await lookup()).toEqual({});
});

it('moves a number from one customer to another in either order of the two events', async () => {
  for (const order of ['A first', 'B first']) {
    await db.query('TRUNCATE phone_directory, phone_directory_customer');
    await apply(phones(a, [x, y], 1));
    const leaves = phones(a, [y], 10);
    const arrives = phones(b, [x], 11);
    await apply(...(order === 'A first' ? [leaves, arrives] : [arrives, leaves]));
    expect(await lookup()).toEqual({ [x]: b, [y]: a });
  }
});

it('answers with the first holder while two customers hold one number', async () => {
  await apply(phones(b, [x], 5), phones(a, [x], 6));
  expect(await lookup()).toEqual({ [x]: b });
  await apply(phones(b, [], 7));
  expect(await lookup()).toEqual({ [x]: a });
});

it('forgets a deleted customer for good, even when an older event comes late', async () => {
  await apply(phones(a, [x], 10), phones(b, [y], 10), deleted(a, 20), phones(a, [x, z], 15));
  expect(await lookup()).toEqual({ [y]: b });
  // A deletion before any phones event is kept as a tombstone too.
  await apply(deleted(b, 1), phones(b, [z], 2));
  expect(await lookup()).toEqual({});
  expect(await customerByPhone(db, ws, [])).toEqual(new Map());
  expect(await customerByPhone(db, 'other-ws', [x, y])).toEqual(new Map());
});

it('applies a run of events at once as it would apply them one by one', async () => {
  // Customers coming back within the run, a late older event, a number shared, a tie.
  const run = [
    phones(a, [x, y], 10),
    phones(b, [y], 11),
    phones(a, [z], 12),
    phones(b, [x, z], 5),
    phones(a, [x], 12),
    phones(b, [], 13),
    phones(a, [y, z], 9),
  ];
  const state = async () => [
    await db.query(
      'SELECT e164, customer_id, occurred_at FROM phone_directory ORDER BY e164, customer_id',
    ),
    await db.query(
      'SELECT customer_id, occurred_at, deleted FROM phone_directory_customer ORDER BY customer_id',
    ),
  ];
  await apply(phones(a, [y], 1), phones(b, [z], 1));
  await apply(...run);
  const oneByOne = await state();

  await db.query('TRUNCATE phone_directory, phone_directory_customer');
  await apply(phones(a, [y], 1), phones(b, [z], 1));
  const handler = phoneDirectoryModule.consumes![CUSTOMER_PHONES_CHANGED] as BatchEventHandler<
    typeof CUSTOMER_PHONES_CHANGED
  >;
  await db.transaction((tx) =>
    handler.batch(tx, run as EventOf<typeof CUSTOMER_PHONES_CHANGED>[], createLogger('error')),
  );
  expect(await state()).toEqual(oneByOne);
  expect(oneByOne[0].length).toBeGreaterThan(0);
});
