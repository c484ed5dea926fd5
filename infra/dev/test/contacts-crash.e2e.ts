// The contacts service as a real process, killed with SIGKILL mid-stream (no
// graceful commit, no drain) and started again at once: it serves HTTP while its
// consumer is still waiting to rejoin the group (the broker holds the join until the
// dead member's session expires), then consumes: no event lost, none applied twice.
// The window is contacts' consumer session (6 s from its last heartbeat); a restart
// reaches HTTP in about 1.5 s here, so the test sees the consumer still joining.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  FOLLOWER_PHONE_SHARED,
  createIdempotentProducer,
  createKafka,
  createLogger,
  migrateSubgraph,
  repoRoot,
  signIdentity,
} from '@customer-graph/runtime';
import {
  createTestDatabase,
  testKafkaBrokers,
  testTopicPrefix,
} from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '@customer-graph/contacts';
import { freePort } from '../src/ports';
import { waitUntilReady } from '../src/supervisor';
import { eventually } from './webhooks';

const EVENTS = 2000;
const PHONES = 400;

let databaseUrl: string;
let db: Client;
const prefix = testTopicPrefix('crash');
const ws = `crash-${randomBytes(3).toString('hex')}`;
const contextSigningSecret = randomBytes(16).toString('hex');
const dataEncryptionKey = randomBytes(32).toString('base64');

interface Contacts {
  child: ChildProcess;
  port: number;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts the contacts process; resolves once it answers /ready with 200. */
async function startContacts(env: Record<string, string> = {}): Promise<Contacts> {
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
        CONTEXT_SIGNING_SECRET: contextSigningSecret,
        DATA_ENCRYPTION_KEY: dataEncryptionKey,
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await waitUntilReady('contacts', `http://127.0.0.1:${port}/ready`, 60_000);
  return { child, port, output: () => text, exited };
}

interface Readiness {
  ready: boolean;
  checks: { database: string; migrations: string; consumer: string; relay: string };
}

async function readiness(port: number): Promise<{ status: number; body: Readiness }> {
  const res = await fetch(`http://127.0.0.1:${port}/ready`);
  return { status: res.status, body: (await res.json()) as Readiness };
}

/** A GraphQL read straight to the subgraph, signed as the gateway signs it. */
async function customerCount(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signIdentity(
        { workspaceId: ws, userId: 'crash-admin', role: 'admin' },
        contextSigningSecret,
        'contacts',
      ),
    },
    body: JSON.stringify({ query: '{ customers(first: 1) { totalCount } }' }),
  });
  const body = (await res.json()) as { data: { customers: { totalCount: number } } };
  return body.data.customers.totalCount;
}

const countOf = async (sql: string) => (await db.query(sql, [ws])).rows[0].n as number;
const applied = () => countOf('SELECT count(*)::int AS n FROM inbox WHERE workspace_id = $1');

beforeAll(async () => {
  databaseUrl = await createTestDatabase('crash');
  // The migrate step, as `npm run migrate` runs it before the service starts.
  await migrateSubgraph(contactsSubgraph, databaseUrl);
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

  // The dead member holds the group's join for its session timeout: long enough here
  // that a slow restart (a loaded machine) still finds the join held for the checks below.
  const held = { KAFKA_SESSION_TIMEOUT_MS: '20000' };
  let contacts = await startContacts(held);
  await eventually(applied, (n) => n >= EVENTS / 4, 60_000);
  contacts.child.kill('SIGKILL');
  await contacts.exited;
  const atKill = await applied();
  const customersAtKill = await countOf(
    'SELECT count(*)::int AS n FROM customer WHERE workspace_id = $1',
  );
  expect(atKill).toBeLessThan(EVENTS);

  contacts = await startContacts(held);
  try {
    // Ready (200) while the consumer is still joining: HTTP did not wait for the group.
    const first = await readiness(contacts.port);
    expect(first.status).toBe(200);
    expect(first.body.checks).toMatchObject({
      database: 'ok',
      migrations: 'applied',
      consumer: 'joining',
      relay: 'on',
    });
    // A read answers, and only afterwards is the consumer seen still joining: the
    // read did not wait for the group either. Nothing was consumed meanwhile.
    expect(await customerCount(contacts.port)).toBe(customersAtKill);
    expect((await readiness(contacts.port)).body.checks.consumer).toBe('joining');
    expect(await applied()).toBe(atKill);

    // Then it joins, and consumes the rest.
    await eventually(
      async () => (await readiness(contacts.port)).body.checks.consumer,
      (state) => state === 'ok',
      60_000,
    );
    expect(contacts.output()).toMatch(/consumer joined its group/);
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
    expect(await customerCount(contacts.port)).toBe(PHONES);
  } finally {
    contacts.child.kill('SIGTERM');
    await contacts.exited;
  }
}, 180_000);

it('stops gracefully while its consumer is still joining', async () => {
  // Restarted right after a SIGKILL: the dead member holds the group's join for its
  // session timeout, made long here so that a slow restart (a loaded machine) still
  // finds the join held.
  const held = { KAFKA_SESSION_TIMEOUT_MS: '60000' };
  let contacts = await startContacts(held);
  await eventually(
    async () => (await readiness(contacts.port)).body.checks.consumer,
    (state) => state === 'ok',
    60_000,
  );
  contacts.child.kill('SIGKILL');
  await contacts.exited;
  contacts = await startContacts(held);
  try {
    expect((await readiness(contacts.port)).body.checks.consumer).toBe('joining');
  } finally {
    // Whatever the check found, the process is stopped (a failed test must not leave
    // it running, holding the test run open).
    contacts.child.kill('SIGTERM');
  }
  // It drained and exited by itself (code 0, not killed) without ever joining: the
  // stop cancelled the join the broker was holding.
  expect(await contacts.exited).toBe(0);
  expect(contacts.output()).toMatch(/subgraph stopped service=contacts/);
  expect(contacts.output()).not.toMatch(/consumer joined its group/);
}, 120_000);
