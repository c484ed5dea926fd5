// orders.buyer.seen: the buyer's phone finds its customer or makes one (one per phone
// per workspace, even when two transactions race for a new phone), fills only what
// nobody filled, and every event is answered with contacts.customer.buyer-matched.
import { BUYER_SEEN, createEvent, createLogger } from '@customer-graph/runtime';
import type { BuyerSeenPayload, Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { buyersModule } from '../src/buyers/buyers.module';
import { onBuyerSeen } from '../src/buyers/buyer-seen.handler';

const ws = 'buyer-seen-ws';
const admin: Identity = { workspaceId: ws, userId: 'boss', role: 'admin' };
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1)', [ws]);
});
afterAll(() => subgraph?.stop());

function seen(phoneE164: string, fields: Partial<BuyerSeenPayload> = {}, workspaceId = ws) {
  return createEvent({
    type: BUYER_SEEN,
    workspaceId,
    key: phoneE164,
    payload: { phoneE164, source: 'SHOPEE', ...fields },
  });
}

const apply = (...events: ReturnType<typeof seen>[]) =>
  applyEvents(subgraph.db, buyersModule, ...events);

interface Answer {
  customerId: string;
  phoneE164: string;
  created: boolean;
}

/** The buyer-matched answers for a phone, in outbox order, each payload checked whole. */
async function answers(phoneE164: string): Promise<Answer[]> {
  const rows: { key: string; value: { type: string; payload: Answer } }[] = await subgraph.db.query(
    `SELECT key, value FROM outbox
        WHERE topic = 'contacts.customer.buyer-matched' AND value->'payload'->>'phoneE164' = $1
        ORDER BY seq`,
    [phoneE164],
  );
  for (const { key, value } of rows) {
    expect(Object.keys(value.payload).sort()).toEqual(['created', 'customerId', 'phoneE164']);
    expect(key).toBe(value.payload.customerId);
  }
  return rows.map((r) => r.value.payload);
}

/** Every customer holding the phone in the workspace. */
async function holders(phoneE164: string, workspaceId = ws) {
  const rows: {
    id: string;
    name: string | null;
    email: string | null;
    type: string;
    number: string;
    name_search: string;
  }[] = await subgraph.db.query(
    `SELECT c.id, c.name, c.name_search, c.email, c.type, p.number
       FROM customer c JOIN customer_phone p ON p.customer_id = c.id
      WHERE c.workspace_id = $1 AND p.e164 = $2 ORDER BY c.created_at`,
    [workspaceId, phoneE164],
  );
  return rows;
}

async function phonesAnnounced(customerId: string): Promise<string[][]> {
  const rows: { phones: string[] }[] = await subgraph.db.query(
    `SELECT value->'payload'->'phones' AS phones FROM outbox
      WHERE topic = 'contacts.customer.phones-changed' AND key = $1 ORDER BY seq`,
    [customerId],
  );
  return rows.map((r) => r.phones);
}

it('creates a LEAD with the buyer name and email, announces its phone and answers', async () => {
  await apply(seen('+84912000001', { name: ' Chị  Hoa ', email: 'hoa@shop.vn' }));
  const [customer] = await holders('+84912000001');
  expect(customer).toEqual({
    id: expect.any(String),
    name: 'Chị  Hoa',
    name_search: 'chi hoa',
    email: 'hoa@shop.vn',
    type: 'LEAD',
    number: '+84912000001',
  });
  expect(await phonesAnnounced(customer.id)).toEqual([['+84912000001']]);
  expect(await answers('+84912000001')).toEqual([
    { customerId: customer.id, phoneE164: '+84912000001', created: true },
  ]);
  const [owner] = await subgraph.db.query(
    'SELECT customer_id FROM phone_owner WHERE workspace_id = $1 AND e164 = $2',
    [ws, '+84912000001'],
  );
  expect(owner.customer_id).toBe(customer.id);
});

it('leaves out an email that is not an address, and a name too long for the record', async () => {
  await apply(seen('+84912000002', { name: 'x'.repeat(201), email: 'hoa at shop' }));
  const [customer] = await holders('+84912000002');
  expect(customer).toMatchObject({ name: null, email: null, type: 'LEAD' });
});

it('finds the customer someone typed with the number in another form, filling only what is empty', async () => {
  const body = await subgraph.query(
    admin,
    `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
    { input: { name: 'Lan (typed)', phone: '0912 000 003' } },
  );
  expect(body.errors).toBeUndefined();
  const { id } = body.data!.createCustomer as { id: string };

  // The event's phone is E.164 already; its name does not replace the typed one.
  await apply(seen('+84912000003', { name: 'Lan Shopee', email: 'lan@shop.vn' }));
  expect(await holders('+84912000003')).toEqual([
    expect.objectContaining({ id, name: 'Lan (typed)', email: 'lan@shop.vn', type: 'LEAD' }),
  ]);
  // Seen again: answered again, nothing to fill, so the record did not change.
  const [{ updated_at: filledAt }] = await subgraph.db.query(
    'SELECT updated_at FROM customer WHERE id = $1',
    [id],
  );
  await apply(seen('+84912000003', { name: 'Other', email: 'other@shop.vn' }));
  const [again] = await subgraph.db.query(
    'SELECT name, email, updated_at FROM customer WHERE id = $1',
    [id],
  );
  expect(again).toEqual({ name: 'Lan (typed)', email: 'lan@shop.vn', updated_at: filledAt });

  expect(await answers('+84912000003')).toEqual([
    { customerId: id, phoneE164: '+84912000003', created: false },
    { customerId: id, phoneE164: '+84912000003', created: false },
  ]);
  // Its phones did not change: only createCustomer announced them.
  expect(await phonesAnnounced(id)).toEqual([['+84912000003']]);
});

it('applies a run as one by one: the first event creates, later ones fill and are answered', async () => {
  const run = [
    seen('+84912000004', { name: null, email: 'not an email' }),
    seen('+84912000005', { name: 'Bảo' }),
    seen('+84912000004', { name: 'Anh Tư', email: 'tu@shop.vn' }),
    seen('+84912000004', { name: 'Ignored', email: 'ignored@shop.vn' }),
  ];
  await subgraph.db.transaction((tx) => onBuyerSeen.batch(tx, run, createLogger('error')));
  const [tu] = await holders('+84912000004');
  const [bao] = await holders('+84912000005');
  expect([tu, bao]).toMatchObject([
    { name: 'Anh Tư', email: 'tu@shop.vn', type: 'LEAD' },
    { name: 'Bảo', email: null, type: 'LEAD' },
  ]);
  expect(await answers('+84912000004')).toEqual([
    { customerId: tu.id, phoneE164: '+84912000004', created: true },
    { customerId: tu.id, phoneE164: '+84912000004', created: false },
    { customerId: tu.id, phoneE164: '+84912000004', created: false },
  ]);
  expect(await answers('+84912000005')).toEqual([
    { customerId: bao.id, phoneE164: '+84912000005', created: true },
  ]);
});

it('keeps one customer per phone when two transactions race for a new phone', async () => {
  const phone = '+84912000006';
  const [first, second] = [subgraph.db.createQueryRunner(), subgraph.db.createQueryRunner()];
  try {
    await Promise.all([first.connect(), second.connect()]);
    const [{ pid }] = await second.query('SELECT pg_backend_pid() AS pid');
    await first.startTransaction();
    await second.startTransaction();
    const logger = createLogger('error');
    await onBuyerSeen.batch(first.manager, [seen(phone, { name: 'Racer One' })], logger);
    const racing = onBuyerSeen.batch(
      second.manager,
      [seen(phone, { name: 'Racer Two', email: 'two@shop.vn' })],
      logger,
    );
    // The second claim waits on the first's uncommitted one.
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
  // One customer: the winner's name, and the loser's email filled in.
  expect(customers).toMatchObject([{ name: 'Racer One', email: 'two@shop.vn' }]);
  expect(await answers(phone)).toEqual([
    { customerId: customers[0].id, phoneE164: phone, created: true },
    { customerId: customers[0].id, phoneE164: phone, created: false },
  ]);
  expect(await phonesAnnounced(customers[0].id)).toEqual([[phone]]);
});

it('keeps workspaces apart: the same phone is another customer elsewhere', async () => {
  await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1)', ['buyer-seen-other']);
  await apply(seen('+84912000001', { name: 'Elsewhere' }, 'buyer-seen-other'));
  const [mine] = await holders('+84912000001');
  const [theirs] = await holders('+84912000001', 'buyer-seen-other');
  expect(theirs).toMatchObject({ name: 'Elsewhere' });
  expect(theirs.id).not.toBe(mine.id);
  expect(mine).toMatchObject({ name: 'Chị  Hoa' });
});
