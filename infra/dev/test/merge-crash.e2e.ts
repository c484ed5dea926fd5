// The orders-loyalty service as a real process, killed with SIGKILL in the middle of
// applying merges of 50 customers (5 merges of a survivor and 9 duplicates, each
// customer with orders and a phone), then started again: every merge is applied
// exactly once — every order on its survivor, the numbers too, one summary per
// survivor — and a second delivery of the same events changes nothing.
//
// "In the middle" is made certain rather than hoped for: the test holds the
// workspace's phone-matching lock (phone-directory.lock.ts), which the directory's
// merge handler takes after the runtime's projection has written its rows and the
// consumer its inbox rows, so the kill lands on open transactions that have written
// part of a merge. The service is killed while they wait, and the lock released: each
// of them runs its statement, finds its client gone, and rolls back.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  CUSTOMER_MERGED,
  createEvent,
  createIdempotentProducer,
  createKafka,
  createLogger,
  migrateSubgraph,
  repoRoot,
} from '@customer-graph/runtime';
import type { AnyEvent } from '@customer-graph/runtime';
import {
  createTestDatabase,
  testKafkaBrokers,
  testTopicPrefix,
} from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '@customer-graph/orders-loyalty';
import { freePort } from '../src/ports';
import { waitUntilReady } from '../src/supervisor';
import { eventually } from './webhooks';

const GROUPS = 5;
const PER_GROUP = 10; // a survivor and 9 merged: 50 customers
const ORDERS_EACH = 20;
const APP = 'customer-graph-orders-loyalty';

const prefix = testTopicPrefix('merge-crash');
const ws = `merge-crash-${randomBytes(3).toString('hex')}`;
let databaseUrl: string;
let db: Client;

interface Service {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
  output(): string;
}

async function startOrders(): Promise<Service> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'services/orders-loyalty/src/main.ts'],
    {
      cwd: repoRoot(),
      env: {
        ...process.env,
        ORDERS_LOYALTY_DATABASE_URL: databaseUrl,
        ORDERS_LOYALTY_PORT: String(port),
        CONTEXT_SIGNING_SECRET: randomBytes(16).toString('hex'),
        DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await waitUntilReady('orders-loyalty', `http://127.0.0.1:${port}/ready`, 60_000);
  return { child, port, exited, output: () => text };
}

/** The consumer group's lag on the merge topic (0: every event sent was handled). */
async function lag(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: { accept: 'application/json' },
  });
  const { events } = (await res.json()) as {
    events: { consumerLag: { topic: string; lag: number }[] };
  };
  const partitions = events.consumerLag.filter((p) => p.topic === prefix + CUSTOMER_MERGED);
  // No partition reported yet is not "no lag".
  return partitions.length === 0 ? -1 : partitions.reduce((n, p) => n + p.lag, 0);
}

const count = async (sql: string) => (await db.query(sql, [ws])).rows[0].n as number;
const phoneOf = (g: number, i: number) => `+8491700${String(g * 100 + i).padStart(4, '0')}`;

const groups = Array.from({ length: GROUPS }, () =>
  Array.from({ length: PER_GROUP }, () => randomUUID()),
);
const events: AnyEvent[] = groups.map(([survivorId, ...mergedIds]) =>
  createEvent({
    type: CUSTOMER_MERGED,
    workspaceId: ws,
    key: survivorId,
    payload: { mergeId: randomUUID(), survivorId, mergedIds, mergedBy: 'editor-1' },
  }),
);

async function send(list: AnyEvent[]) {
  const producer = createIdempotentProducer(
    createKafka(testKafkaBrokers(), 'merge-crash', createLogger('error')),
  );
  await producer.connect();
  await producer.send({
    topic: prefix + CUSTOMER_MERGED,
    messages: list.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
  });
  await producer.disconnect();
}

/** Everything the merges change, to compare before and after. */
async function state() {
  const q = async (sql: string) => (await db.query(sql, [ws])).rows;
  return {
    inbox: await count('SELECT count(*)::int AS n FROM inbox WHERE workspace_id = $1'),
    merges: await count('SELECT count(*)::int AS n FROM customer_merge WHERE workspace_id = $1'),
    ordersByCustomer: await q(
      `SELECT customer_id, count(*)::int AS n FROM customer_order WHERE workspace_id = $1
        GROUP BY customer_id ORDER BY customer_id`,
    ),
    directory: await q(
      'SELECT e164, customer_id FROM phone_directory WHERE workspace_id = $1 ORDER BY e164, customer_id',
    ),
    summaries: await q(
      `SELECT value->'payload'->>'customerId' AS customer_id,
              (value->'payload'->>'orderCount')::int AS orders
         FROM outbox WHERE workspace_id = $1 AND topic = 'orders.customer.summary-changed'
        ORDER BY customer_id`,
    ),
  };
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase('merge-crash');
  await migrateSubgraph(ordersLoyaltySubgraph, databaseUrl);
  db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query('INSERT INTO workspace (id) VALUES ($1)', [ws]);
  const customers = groups.flatMap((group, g) =>
    group.map((id, i) => ({ id, e164: phoneOf(g, i) })),
  );
  await db.query(
    `INSERT INTO customer_order (workspace_id, customer_id, code, source, status, buyer_phone_e164,
       subtotal, total, ordered_at, source_updated_at)
     SELECT $1, c.id, c.id || '-' || n, 'WEBSITE', 'COMPLETED', c.e164, 1000, 1000, now(), now()
       FROM unnest($2::uuid[], $3::text[]) AS c(id, e164), generate_series(1, $4::int) AS n`,
    [ws, customers.map((c) => c.id), customers.map((c) => c.e164), ORDERS_EACH],
  );
  await db.query(
    `INSERT INTO phone_directory (workspace_id, e164, customer_id, occurred_at)
     SELECT $1, c.e164, c.id, now() FROM unnest($2::uuid[], $3::text[]) AS c(id, e164)`,
    [ws, customers.map((c) => c.id), customers.map((c) => c.e164)],
  );
});
afterAll(() => db?.end());

it('applies every merge exactly once across a SIGKILL in the middle of them', async () => {
  const before = await state();
  await send(events);
  // Hold the workspace's phone-matching lock: the consumer's transactions stop there.
  await db.query(`SELECT pg_advisory_lock(hashtextextended('phone-matching ' || $1, 0))`, [ws]);
  let service = await startOrders();
  const waiting = () =>
    count(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE application_name = '${APP}' AND wait_event_type = 'Lock' AND wait_event = 'advisory'
          AND $1::text IS NOT NULL`,
    );
  await eventually(waiting, (n) => n > 0, 60_000);
  service.child.kill('SIGKILL');
  await service.exited;
  await db.query(`SELECT pg_advisory_unlock(hashtextextended('phone-matching ' || $1, 0))`, [ws]);
  // The orphaned transactions end (rolled back) once they find their client gone.
  await eventually(
    () =>
      count(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE application_name = '${APP}' AND $1::text IS NOT NULL`,
      ),
    (n) => n === 0,
    90_000,
  );
  // Killed half-way: nothing of any merge stayed, not even the projection or the inbox.
  expect(await state()).toEqual(before);

  service = await startOrders();
  try {
    await eventually(
      () => count('SELECT count(*)::int AS n FROM inbox WHERE workspace_id = $1'),
      (n) => n === GROUPS,
      90_000,
    );
    const after = await state();
    expect(after.merges).toBe(GROUPS * (PER_GROUP - 1));
    expect(after.ordersByCustomer).toEqual(
      groups
        .map((g) => ({ customer_id: g[0], n: PER_GROUP * ORDERS_EACH }))
        .sort((a, b) => (a.customer_id < b.customer_id ? -1 : 1)),
    );
    expect(after.directory).toHaveLength(GROUPS * PER_GROUP);
    const survivors = new Set(groups.map((g) => g[0]));
    expect(after.directory.filter((d) => !survivors.has(d.customer_id))).toEqual([]);
    // One summary per survivor, with all its group's orders.
    expect(after.summaries).toEqual(
      groups
        .map((g) => ({ customer_id: g[0], orders: PER_GROUP * ORDERS_EACH }))
        .sort((a, b) => (a.customer_id < b.customer_id ? -1 : 1)),
    );
    expect(
      await count('SELECT count(*)::int AS n FROM dead_letter WHERE $1::text IS NOT NULL'),
    ).toBe(0);

    // The same events again: dropped by the inbox, nothing changes.
    await send(events);
    await eventually(
      () => lag(service.port),
      (n) => n === 0,
      90_000,
    );
    expect(await state()).toEqual(after);
  } finally {
    service.child.kill('SIGTERM');
    await service.exited;
  }
}, 180_000);
