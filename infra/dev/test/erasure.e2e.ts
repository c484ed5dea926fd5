// Erasing a person (issue 15, docs/privacy.md) through the gateway and the real broker:
// one customer seeded everywhere (contacts: record with phone, email, name, address, a
// note, a call, a task; followers: a Zalo follower who shared the phone; orders: orders
// with the buyer's values, attached by phone, and one unattached; marketing: messages
// to the email and phone with timeline rows, a consent row; event tables holding their
// values), and a second customer who must survive untouched. After eraseCustomer and
// the three confirmations, every text, varchar, json, jsonb and text[] column of every
// table of the four databases is searched for the phone in every form, the email and
// the name: none is found, and the second customer's still are.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { appendEvent, createEvent, FOLLOWER_PHONE_SHARED } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import type { TestStack } from './stack';
import { eventually } from './webhooks';

const ws = `ws-erase-${randomUUID().slice(0, 8)}`;
const admin: Identity = { workspaceId: ws, userId: 'admin-1', role: 'admin' };
const editor: Identity = { workspaceId: ws, userId: 'editor-1', role: 'editor' };
let stack: TestStack;

const PEOPLE = {
  gone: {
    name: 'Phạm Thị Xoá',
    phone: '0912 777 031',
    forms: ['+84912777031', '0912777031', '84912777031'],
    email: 'xoa.pham@example.vn',
    address: '17 Ngõ Huế, Hai Bà Trưng',
  },
  kept: {
    name: 'Lê Văn Còn',
    phone: '0988 555 402',
    forms: ['+84988555402', '0988555402', '84988555402'],
    email: 'con.le@example.vn',
    address: '9 Hàng Bạc, Hoàn Kiếm',
  },
};
type Who = keyof typeof PEOPLE;
const ids: Record<Who, string> = { gone: '', kept: '' };

async function gql(query: string, variables?: object, who = admin) {
  const { body } = await stack.query(await stack.token(who), query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as Record<string, any>;
}

async function seed(who: Who) {
  const p = PEOPLE[who];
  const { createCustomer } = await gql(
    'mutation($i: CustomerInput!) { createCustomer(input: $i) { id } }',
    { i: { name: p.name, phone: p.phone, email: p.email, address: p.address } },
  );
  const id: string = createCustomer.id;
  ids[who] = id;
  await gql(
    'mutation($id: ID!, $t: String!) { addCustomerNote(customerId: $id, text: $t) { id } }',
    {
      id,
      t: `Chị ${p.name} hẹn gọi lại ${p.phone}`,
    },
  );
  // An import whose refused row (a phone that is no number) keeps the person's cells
  // for its error report, and an export asked with a filter naming them.
  const { startCustomerImport } = await gql(
    'mutation($i: CustomerImportInput!) { startCustomerImport(input: $i) { id } }',
    { i: { csv: `Họ tên,Số điện thoại,Email\n${p.name},gọi sau,${p.email}\n` } },
  );
  await eventually(
    () =>
      gql('query($id: ID!) { importJob(id: $id) { status failed } }', {
        id: startCustomerImport.id,
      }),
    (d) => d.importJob.status === 'DONE' && d.importJob.failed === 1,
    30_000,
  );
  await gql('mutation($i: CustomerExportInput!) { exportCustomers(input: $i) { id } }', {
    i: { target: { filter: { email: { eq: p.email } } }, columns: ['NAME'] },
  });
  await gql('mutation($c: [CallInput!]!) { recordCalls(calls: $c) { created } }', {
    c: [
      {
        providerCallId: `${who}-call`,
        hotline: '1900 6868',
        customerNumber: p.forms[1],
        direction: 'INBOUND',
        result: 'ANSWERED',
        startedAt: '2026-01-05T03:00:00Z',
        talkDuration: 60,
      },
    ],
  });
  await gql('mutation($i: TaskInput!) { createTask(input: $i) { id } }', {
    i: { title: `Gửi hàng cho ${p.name}`, customerId: id },
  });
  // A Zalo follower who shared the phone, as the webhook module announces it.
  const followers = stack.db('followers');
  await followers.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [ws]);
  const [{ id: followerId }] = await followers.query(
    `INSERT INTO zalo_follower (workspace_id, zalo_user_id, display_name, followed_at, status, phone)
     VALUES ($1, $2, $3, now(), 'FOLLOWING', $4) RETURNING id`,
    [ws, `zalo-${who}`, p.name, p.forms[2]],
  );
  await followers.transaction((tx) =>
    appendEvent(
      tx,
      createEvent({
        type: FOLLOWER_PHONE_SHARED,
        workspaceId: ws,
        key: followerId,
        payload: {
          followerId,
          zaloUserId: `zalo-${who}`,
          phone: p.forms[2],
          phoneE164: p.forms[0],
          name: p.name,
          address: p.address,
          city: null,
          district: null,
          ward: null,
        },
      }),
    ),
  );
  // Orders with the buyer's values: two attached by the phone, one unattached by email.
  await gql('mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created } }', {
    o: [0, 1].map((i) => ({
      source: 'WEBSITE',
      code: `${who}-${i}`,
      status: 'COMPLETED',
      buyerName: p.name,
      buyerPhone: p.phone,
      buyerEmail: p.email,
      shippingAddress: p.address,
      note: `Giao cho ${p.name}`,
      items: [{ productName: 'Áo', quantity: 1, unitPrice: 100_000 }],
      subtotal: 100_000,
      total: 100_000,
      orderedAt: `2026-01-0${i + 1}T00:00:00Z`,
      updatedAt: `2026-01-0${i + 1}T00:00:00Z`,
    })),
  });
  // An order of the same buyer without a phone stays unattached.
  await gql('mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created } }', {
    o: [
      {
        source: 'WEBSITE',
        code: `${who}-unattached`,
        status: 'COMPLETED',
        buyerName: p.name,
        buyerEmail: p.email,
        shippingAddress: p.address,
        items: [{ productName: 'Mũ', quantity: 1, unitPrice: 50_000 }],
        subtotal: 50_000,
        total: 50_000,
        orderedAt: '2026-01-03T00:00:00Z',
        updatedAt: '2026-01-03T00:00:00Z',
      },
    ],
  });
  // Marketing: messages to the email and the phone, with timelines, and a consent row.
  const marketing = stack.db('marketing');
  await marketing.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [ws]);
  const sent = await marketing.query(
    `INSERT INTO marketing_message (workspace_id, customer_id, channel, campaign_name, address,
       content_summary, status, sent_at, created_at)
     VALUES ($1, $2, 'EMAIL', 'Tri ân', $3, $5, 'DELIVERED', now(), now()),
            ($1, $2, 'SMS', 'Nhắc lịch', $4, $5, 'FAILED', now(), now())
     RETURNING id, created_at`,
    [ws, id, p.email, p.forms[0], `Chào ${p.name}`],
  );
  for (const m of sent) {
    await marketing.query(
      `INSERT INTO message_event (workspace_id, message_id, message_created_at, status, at,
         detail, provider_event_id)
       VALUES ($1, $2, $3, 'SENT', now(), $4, $5)`,
      [ws, m.id, m.created_at, `to ${p.forms[1]} / ${p.email}`, `ev-${m.id}`],
    );
  }
  await marketing.query(
    `INSERT INTO channel_consent (workspace_id, customer_id, channel, opted_out, reason, changed_by, changed_at, version)
     VALUES ($1, $2, 'SMS', true, 'STAFF', 'admin-1', now(), 1)`,
    [ws, id],
  );
  // A dead letter holding the person's values in each database.
  for (const db of ['contacts', 'followers', 'orders-loyalty', 'marketing']) {
    await stack.db(db).query(
      `INSERT INTO dead_letter (workspace_id, event_id, topic, partition, "offset", error, value)
       VALUES ($1, $2, 'x', 0, '1', $3, $4)`,
      [
        ws,
        randomUUID(),
        `bad phone ${p.forms[2]}`,
        JSON.stringify({
          workspaceId: ws,
          payload: { customerId: id, email: p.email, name: p.name },
        }),
      ],
    );
  }
}

/** Every text-like column of every table of `db` holding `value`: "table.column" each. */
async function holders(db: DataSource, value: string): Promise<string[]> {
  const columns: { table_name: string; column_name: string }[] = await db.query(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        AND (c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'character')
             OR c.udt_name IN ('_text', '_varchar'))`,
  );
  const found: string[] = [];
  for (const { table_name: t, column_name: c } of columns) {
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM "${t}" WHERE "${c}"::text ILIKE '%' || $1 || '%'`,
      [value],
    );
    if (n > 0) found.push(`${t}.${c}`);
  }
  return found;
}

const DATABASES = ['contacts', 'followers', 'orders-loyalty', 'marketing'];

async function findEverywhere(who: Who): Promise<Record<string, string[]>> {
  const p = PEOPLE[who];
  const found: Record<string, string[]> = {};
  for (const value of [...p.forms, p.email, p.name]) {
    for (const db of DATABASES) {
      const where = await holders(stack.db(db), value);
      if (where.length > 0)
        found[value] = [...(found[value] ?? []), ...where.map((w) => `${db}:${w}`)];
    }
  }
  return found;
}

beforeAll(async () => {
  stack = await startTestStack();
  await seed('gone');
  await seed('kept');
  // The follower is linked, the orders attached, by the phone (through the broker).
  for (const who of ['gone', 'kept'] as Who[]) {
    await eventually(
      () =>
        gql(
          `query($id: ID!) { customer(id: $id) { zaloFollowerCount orders(first: 5) { totalCount } } }`,
          { id: ids[who] },
        ),
      (d) => d.customer?.zaloFollowerCount === 1 && d.customer?.orders?.totalCount === 2,
    );
  }
}, 120_000);
afterAll(() => stack?.stop());

it('refuses bad input, other roles and unknown customers, naming the argument', async () => {
  const erase = 'mutation($id: ID!) { eraseCustomer(id: $id) { id } }';
  const bad = await stack.query(await stack.token(admin), erase, { id: 'nope' });
  expect(bad.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  const unknown = await stack.query(await stack.token(admin), erase, { id: randomUUID() });
  expect(unknown.body.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  const other = { ...admin, workspaceId: `${ws}-other` };
  const foreign = await stack.query(await stack.token(other), erase, { id: ids.gone });
  expect(foreign.body.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  const editors = await stack.query(await stack.token(editor), erase, { id: ids.gone });
  expect(editors.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  // Nothing was erased.
  expect(await findEverywhere('gone')).toHaveProperty([PEOPLE.gone.email]);
});

it('erases the person from every database, and nothing of anyone else', async () => {
  const before = await findEverywhere('gone');
  expect(Object.keys(before).sort()).toEqual(
    [...PEOPLE.gone.forms, PEOPLE.gone.email, PEOPLE.gone.name].sort(),
  );
  const STATUS = `query($id: ID!) { customerErasure(customerId: $id) {
    id customerId erasedBy status completedAt
    subgraphs { subgraph confirmed removed { kind count } } } }`;
  const { eraseCustomer } = await gql(
    'mutation($id: ID!) { eraseCustomer(id: $id) { id customerId status subgraphs { subgraph confirmed } } }',
    { id: ids.gone },
  );
  expect(eraseCustomer.customerId).toBe(ids.gone);
  // Erasing again answers the same erasure.
  const again = await gql('mutation($id: ID!) { eraseCustomer(id: $id) { id } }', { id: ids.gone });
  expect(again.eraseCustomer.id).toBe(eraseCustomer.id);
  const done = await eventually(
    () => gql(STATUS, { id: ids.gone }),
    (d) => d.customerErasure.status === 'COMPLETE',
    60_000,
  );
  const erasure = done.customerErasure;
  expect(erasure).toMatchObject({ id: eraseCustomer.id, erasedBy: 'admin-1' });
  const removed = Object.fromEntries(
    erasure.subgraphs.map((s: { subgraph: string; removed: { kind: string; count: number }[] }) => [
      s.subgraph,
      Object.fromEntries(s.removed.map((r) => [r.kind, r.count])),
    ]),
  );
  expect(removed.contacts).toMatchObject({ customers: 1, notes: 1, calls: 1, tasks: 1 });
  expect(removed.followers).toMatchObject({ followersUnlinked: 1, followerValuesRemoved: 1 });
  expect(removed['orders-loyalty']).toMatchObject({ ordersScrubbed: 3 });
  // Events that carried the phone (phones-changed, phone-shared) and the dead letters.
  expect(removed.contacts.outboxScrubbed).toBeGreaterThan(0);
  expect(removed.followers.outboxScrubbed).toBeGreaterThan(0);
  for (const s of Object.values(removed) as Record<string, number>[]) {
    expect(s.deadLettersScrubbed).toBe(1);
  }
  expect(removed.marketing).toMatchObject({ messagesScrubbed: 2, consentsRemoved: 1 });

  // Who erased whom is in the audit trail (ids only: the search below covers it too).
  const { auditLog } = await gql(
    `{ auditLog(filter: { actions: [CUSTOMER_ERASED] }) { edges { node { actorUserId targetIds detail } } } }`,
  );
  expect(auditLog.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
    actorUserId: 'admin-1',
    targetIds: [ids.gone],
    detail: { erasureId: eraseCustomer.id, mergedIds: 0 },
  });

  expect(await findEverywhere('gone')).toEqual({});
  const kept = await findEverywhere('kept');
  expect(Object.keys(kept).sort()).toEqual(
    [...PEOPLE.kept.forms, PEOPLE.kept.email, PEOPLE.kept.name].sort(),
  );
  // The shop's accounts keep the orders, marketing its counts.
  const [{ n: orders }] = await stack
    .db('orders-loyalty')
    .query(
      `SELECT count(*)::int AS n FROM customer_order WHERE workspace_id = $1 AND code LIKE 'gone-%'`,
      [ws],
    );
  expect(orders).toBe(3);
  const [{ n: messages }] = await stack
    .db('marketing')
    .query(
      'SELECT count(*)::int AS n FROM marketing_message WHERE workspace_id = $1 AND customer_id = $2',
      [ws, ids.gone],
    );
  expect(messages).toBe(2);
  const page = await gql('query($id: ID!) { customer(id: $id) { id } }', { id: ids.gone });
  expect(page.customer).toBeNull();
}, 90_000);

it('answers a redelivered erasure event once, erasing nothing twice', async () => {
  // contacts.customer.erased delivered again (the same event) changes no subgraph.
  const [row] = await stack
    .db('contacts')
    .query(
      `SELECT value FROM outbox WHERE workspace_id = $1 AND topic = 'contacts.customer.erased'`,
      [ws],
    );
  for (const db of ['followers', 'orders-loyalty', 'marketing']) {
    const [{ n }] = await stack
      .db(db)
      .query(
        `SELECT count(*)::int AS n FROM outbox WHERE workspace_id = $1 AND topic LIKE '%.customer.erasure-done'`,
        [ws],
      );
    expect(n).toBe(1);
  }
  // Republished under a new event id: the erasure is claimed once per subgraph.
  await stack
    .db('contacts')
    .transaction((tx) => appendEvent(tx, { ...row.value, id: randomUUID() }));
  const confirmations = async () => {
    const [{ n }] = await stack
      .db('contacts')
      .query('SELECT count(*)::int AS n FROM inbox WHERE workspace_id = $1 AND topic LIKE $2', [
        ws,
        '%.customer.erasure-done',
      ]);
    const applied: number[] = [];
    for (const db of ['followers', 'orders-loyalty', 'marketing']) {
      const [{ seen }] = await stack
        .db(db)
        .query(
          `SELECT count(*)::int AS seen FROM inbox WHERE workspace_id = $1 AND topic = 'contacts.customer.erased'`,
          [ws],
        );
      applied.push(seen);
    }
    return { n, applied };
  };
  const after = await eventually(confirmations, (c) => c.applied.every((s) => s === 2), 30_000);
  expect(after.n).toBe(3);
  for (const db of ['followers', 'orders-loyalty', 'marketing']) {
    const [{ n }] = await stack
      .db(db)
      .query(
        `SELECT count(*)::int AS n FROM outbox WHERE workspace_id = $1 AND topic LIKE '%.customer.erasure-done'`,
        [ws],
      );
    expect(n).toBe(1);
  }
}, 60_000);
