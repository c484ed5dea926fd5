// The phone-shared handler applies a run of events set-wise; the result must be what
// applying them one by one, in order, gives.
import { randomUUID } from 'node:crypto';
import { FOLLOWER_PHONE_SHARED, createEvent, createLogger } from '@customer-graph/runtime';
import type { FollowerPhoneSharedPayload } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { onPhoneShared } from '../src/zalo/phone-shared.handler';

const ws = 'phone-shared-ws';
let subgraph: TestSubgraph;

function shared(
  zaloUserId: string,
  phoneE164: string,
  fields: Partial<FollowerPhoneSharedPayload>,
) {
  return createEvent({
    type: FOLLOWER_PHONE_SHARED,
    workspaceId: ws,
    key: phoneE164,
    payload: {
      followerId: randomUUID(),
      zaloUserId,
      phone: phoneE164,
      phoneE164,
      name: null,
      address: null,
      city: null,
      district: null,
      ward: null,
      ...fields,
    },
  });
}

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1)', [ws]);
});
afterAll(() => subgraph?.stop());

it('gives a run the result of applying its events one by one', async () => {
  const db = subgraph.db;
  // A customer someone typed in, with this phone but not yet its owner.
  const [{ id: typed }] = await db.query(
    `INSERT INTO customer (workspace_id, name, name_search) VALUES ($1, 'Chị Lan', 'chi lan') RETURNING id`,
    [ws],
  );
  await db.query(
    `INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
     VALUES ($1, $2, '0903 000 111', '+84903000111', 0)`,
    [ws, typed],
  );
  const run = [
    shared('z1', '+84912000111', { city: 'Huế' }),
    shared('z2', '+84903000111', { name: 'Lan Zalo', city: 'Vinh' }),
    shared('z3', '+84912000111', { name: 'Anh Ba', city: 'Đà Nẵng' }),
    // z1 shares another phone later in the run: its link moves there.
    shared('z1', '+84977000222', { name: 'Bốn' }),
  ];
  await db.transaction((tx) => onPhoneShared.batch(tx, run, createLogger('error')));

  const customers: { name: string; city: string | null; type: string; phones: string[] }[] =
    await db.query(
      `SELECT c.name, c.city, c.type, array_agg(p.e164 ORDER BY p.e164) AS phones
         FROM customer c JOIN customer_phone p ON p.customer_id = c.id
        WHERE c.workspace_id = $1 GROUP BY c.id ORDER BY c.name`,
      [ws],
    );
  expect(customers).toEqual([
    // New phone, first event without a name: the next event's name fills it.
    { name: 'Anh Ba', city: 'Huế', type: 'LEAD', phones: ['+84912000111'] },
    { name: 'Bốn', city: null, type: 'LEAD', phones: ['+84977000222'] },
    // What a person typed stays; only the empty city is filled.
    { name: 'Chị Lan', city: 'Vinh', type: 'LEAD', phones: ['+84903000111'] },
  ]);
  const links: { external_id: string; name: string }[] = await db.query(
    `SELECT x.external_id, c.name FROM customer_external_id x JOIN customer c ON c.id = x.customer_id
      WHERE x.workspace_id = $1 ORDER BY x.external_id`,
    [ws],
  );
  expect(links).toEqual([
    { external_id: 'z1', name: 'Bốn' },
    { external_id: 'z2', name: 'Chị Lan' },
    { external_id: 'z3', name: 'Anh Ba' },
  ]);
  const announced: { zalo: string; created: boolean }[] = await db.query(
    `SELECT value->'payload'->>'zaloUserId' AS zalo, (value->'payload'->>'created')::boolean AS created
       FROM outbox WHERE workspace_id = $1 AND topic = 'contacts.customer.zalo-linked' ORDER BY seq`,
    [ws],
  );
  expect(announced).toEqual([
    { zalo: 'z1', created: true },
    { zalo: 'z2', created: false },
    { zalo: 'z3', created: false },
    { zalo: 'z1', created: true },
  ]);
  // Each new customer's phone is announced once (Chị Lan's phones did not change).
  const phones: { name: string; payload: unknown }[] = await db.query(
    `SELECT c.name, o.value->'payload' AS payload FROM outbox o
       JOIN customer c ON c.id::text = o.key
      WHERE o.workspace_id = $1 AND o.topic = 'contacts.customer.phones-changed' ORDER BY c.name`,
    [ws],
  );
  expect(phones.map((p) => p.name)).toEqual(['Anh Ba', 'Bốn']);
  const ids = await db.query(
    `SELECT c.id FROM customer c WHERE c.workspace_id = $1 AND c.name IN ('Anh Ba', 'Bốn') ORDER BY c.name`,
    [ws],
  );
  expect(phones.map((p) => p.payload)).toEqual([
    { customerId: ids[0].id, phones: ['+84912000111'] },
    { customerId: ids[1].id, phones: ['+84977000222'] },
  ]);
});

it('makes a LEAD of a phone shared without a name', async () => {
  const db = subgraph.db;
  await db.transaction((tx) =>
    onPhoneShared.batch(tx, [shared('z9', '+84988000999', {})], createLogger('error')),
  );
  const [row] = await db.query(
    `SELECT c.name, c.type FROM customer c JOIN customer_phone p ON p.customer_id = c.id
      WHERE c.workspace_id = $1 AND p.e164 = '+84988000999'`,
    [ws],
  );
  expect(row).toEqual({ name: null, type: 'LEAD' });
});
