// The contacts service as a real process, killed with SIGKILL mid-stream (no
// graceful commit, no drain) and started again: no event lost, none applied twice.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  FOLLOWER_PHONE_SHARED,
  createIdempotentProducer,
  createKafka,
  createLogger,
  repoRoot,
} from '@customer-graph/runtime';
import {
  createTestDatabase,
  testKafkaBrokers,
  testTopicPrefix,
} from '@customer-graph/runtime/testing';
import { freePort } from '../src/ports';
import { waitUntilReady } from '../src/supervisor';
import { eventually } from './webhooks';

const EVENTS = 2000;
const PHONES = 400;

let databaseUrl: string;
let db: Client;
const prefix = testTopicPrefix('crash');
const ws = `crash-${randomBytes(3).toString('hex')}`;

async function startContacts(): Promise<ChildProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'services/contacts/src/main.ts'],
    {
      cwd: repoRoot(),
      env: {
        ...process.env,
        CONTACTS_DATABASE_URL: databaseUrl,
        CONTACTS_PORT: String(port),
        CONTEXT_SIGNING_SECRET: randomBytes(16).toString('hex'),
        DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    },
  );
  await waitUntilReady('contacts', `http://127.0.0.1:${port}/ready`, 60_000);
  return child;
}

const countOf = async (sql: string) => (await db.query(sql, [ws])).rows[0].n as number;
const applied = () => countOf('SELECT count(*)::int AS n FROM inbox WHERE workspace_id = $1');

beforeAll(async () => {
  databaseUrl = await createTestDatabase('crash');
  db = new Client({ connectionString: databaseUrl });
  await db.connect();
});
afterAll(() => db?.end());

it('loses no event and applies none twice across a SIGKILL', async () => {
  const kafka = createKafka(testKafkaBrokers(), 'crash-test', createLogger('error'));
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const events = Array.from({ length: EVENTS }, (_, i) => {
    const e164 = `+84912${String(100000 + (i % PHONES))}`;
    return {
      id: randomUUID(),
      type: FOLLOWER_PHONE_SHARED,
      version: 1,
      workspaceId: ws,
      key: e164,
      occurredAt: new Date().toISOString(),
      payload: {
        followerId: randomUUID(),
        zaloUserId: `c${i}`,
        phone: `0912${String(100000 + (i % PHONES))}`,
        phoneE164: e164,
        name: `Khách ${i}`,
        address: null,
        city: null,
        district: null,
        ward: null,
      },
    };
  });
  await producer.send({
    topic: prefix + FOLLOWER_PHONE_SHARED,
    messages: events.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
  });
  await producer.disconnect();

  let contacts = await startContacts();
  await eventually(applied, (n) => n >= EVENTS / 4, 60_000);
  const exited = new Promise((resolve) => contacts.once('exit', resolve));
  contacts.kill('SIGKILL');
  await exited;
  const atKill = await applied();
  expect(atKill).toBeLessThan(EVENTS);

  contacts = await startContacts();
  try {
    await eventually(applied, (n) => n === EVENTS, 90_000);
    // Each application wrote exactly one zalo-linked event, in the same transaction.
    expect(
      await countOf(
        `SELECT count(*)::int AS n FROM outbox WHERE workspace_id = $1 AND topic = 'contacts.customer.zalo-linked'`,
      ),
    ).toBe(EVENTS);
    expect(
      await countOf('SELECT count(*)::int AS n FROM phone_owner WHERE workspace_id = $1'),
    ).toBe(PHONES);
    expect(await countOf('SELECT count(*)::int AS n FROM customer WHERE workspace_id = $1')).toBe(
      PHONES,
    );
    expect(
      await countOf('SELECT count(*)::int AS n FROM dead_letter WHERE workspace_id = $1'),
    ).toBe(0);
  } finally {
    const done = new Promise((resolve) => contacts.once('exit', resolve));
    contacts.kill('SIGTERM');
    await done;
  }
}, 180_000);
