// Two Zalo users sharing one phone (a couple, a shop's two accounts) are both linked to
// that phone's one customer: the customer holds both ZALO ids, and each link is
// announced (contacts.customer.zalo-linked) with that customer, in a run, one by one,
// and when two transactions race for a new phone.
import { randomUUID } from 'node:crypto';
import { FOLLOWER_PHONE_SHARED, createEvent, createLogger } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { onPhoneShared } from '../src/zalo/phone-shared.handler';
import { zaloModule } from '../src/zalo/zalo.module';

const ws = `zalo-shared-${randomUUID().slice(0, 8)}`;
const admin: Identity = { workspaceId: ws, userId: 'boss', role: 'admin' };
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1)', [ws]);
});
afterAll(() => subgraph?.stop());

function shared(zaloUserId: string, phoneE164: string, name: string) {
  return createEvent({
    type: FOLLOWER_PHONE_SHARED,
    workspaceId: ws,
    key: phoneE164,
    payload: {
      followerId: randomUUID(),
      zaloUserId,
      phone: phoneE164,
      phoneE164,
      name,
      address: null,
      city: null,
      district: null,
      ward: null,
    },
  });
}

/** The customers holding a phone, each with its ZALO ids (sorted). */
async function holders(phoneE164: string) {
  const body = await subgraph.query(
    admin,
    `query($p: String!) { customersByPhone(phone: $p) { edges { node {
      id name externalIds { source id } } } } }`,
    { p: phoneE164 },
  );
  expect(body.errors).toBeUndefined();
  return (
    body.data!.customersByPhone.edges as {
      node: { id: string; name: string; externalIds: { source: string; id: string }[] };
    }[]
  ).map(({ node }) => ({
    id: node.id,
    name: node.name,
    zalo: node.externalIds
      .filter((x) => x.source === 'ZALO')
      .map((x) => x.id)
      .sort(),
  }));
}

/** The zalo-linked announcements for a phone, in outbox order. */
async function links(phoneE164: string) {
  const rows: { payload: { customerId: string; zaloUserId: string; created: boolean } }[] =
    await subgraph.db.query(
      `SELECT value->'payload' AS payload FROM outbox
        WHERE topic = 'contacts.customer.zalo-linked' AND value->'payload'->>'phoneE164' = $1
        ORDER BY seq`,
      [phoneE164],
    );
  return rows.map(({ payload: p }) => ({
    customerId: p.customerId,
    zaloUserId: p.zaloUserId,
    created: p.created,
  }));
}

it('links two Zalo users of one phone to one customer, in one run and one by one', async () => {
  await subgraph.db.transaction((tx) =>
    onPhoneShared.batch(
      tx,
      [shared('z-wife', '+84912700001', 'Chị Mai'), shared('z-husband', '+84912700001', 'Anh Tú')],
      createLogger('error'),
    ),
  );
  await applyEvents(
    subgraph.db,
    zaloModule,
    shared('z-shop-1', '+84912700002', 'Shop Hoa'),
    shared('z-shop-2', '+84912700002', 'Shop Hoa 2'),
  );
  const [couple] = await holders('+84912700001');
  expect(await holders('+84912700001')).toEqual([
    { id: couple.id, name: 'Chị Mai', zalo: ['z-husband', 'z-wife'] },
  ]);
  expect(await links('+84912700001')).toEqual([
    { customerId: couple.id, zaloUserId: 'z-wife', created: true },
    { customerId: couple.id, zaloUserId: 'z-husband', created: false },
  ]);
  const [shop] = await holders('+84912700002');
  expect(shop).toEqual({ id: shop.id, name: 'Shop Hoa', zalo: ['z-shop-1', 'z-shop-2'] });
  expect((await links('+84912700002')).map((l) => [l.customerId, l.created])).toEqual([
    [shop.id, true],
    [shop.id, false],
  ]);
});

it('links both when their two transactions race for a new phone', async () => {
  const phone = '+84912700003';
  const [first, second] = [subgraph.db.createQueryRunner(), subgraph.db.createQueryRunner()];
  try {
    await Promise.all([first.connect(), second.connect()]);
    const [{ pid }] = await second.query('SELECT pg_backend_pid() AS pid');
    await first.startTransaction();
    await second.startTransaction();
    const logger = createLogger('error');
    await onPhoneShared.batch(first.manager, [shared('z-a', phone, 'Racer A')], logger);
    const racing = onPhoneShared.batch(second.manager, [shared('z-b', phone, 'Racer B')], logger);
    // The second claim of the phone waits on the first's uncommitted one.
    for (;;) {
      const [row] = await subgraph.db.query(
        'SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1',
        [pid],
      );
      if (row?.wait_event_type === 'Lock') break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await first.commitTransaction();
    await racing;
    await second.commitTransaction();
  } finally {
    await Promise.all([first.release(), second.release()]);
  }
  const customers = await holders(phone);
  expect(customers).toEqual([{ id: customers[0].id, name: 'Racer A', zalo: ['z-a', 'z-b'] }]);
  expect(await links(phone)).toEqual([
    { customerId: customers[0].id, zaloUserId: 'z-a', created: true },
    { customerId: customers[0].id, zaloUserId: 'z-b', created: false },
  ]);
});
