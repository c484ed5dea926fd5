// `npm start` as a user runs it: the real supervisor, embedded Postgres and five
// child processes, on free ports and a throw-away data folder.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SUBGRAPH_NAMES } from '@customer-graph/runtime';
import { freePort } from '../src/ports';
import { waitUntilReady } from '../src/supervisor';
import { stackEnv, startStack } from './npm-start';

async function countCustomers(port: string, token: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ customers(first: 100) { edges { node { id } } } }' }),
  });
  const body = (await res.json()) as { data: { customers: { edges: unknown[] } } };
  return body.data.customers.edges.length;
}

/** The pid of the contacts process `npm start` runs. */
function contactsPid(stackPid: number): number {
  const line = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(stackPid)], {
    encoding: 'utf8',
  })
    .split('\n')
    .find((l) => l.includes('services/contacts/src/main.ts'));
  if (!line) throw new Error('no contacts process under npm start');
  return Number(line.trim().split(/\s+/)[0]);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cg-dev-stack-'));
  // Embedded Postgres runs as a "postgres" user when we are root: it must reach this.
  chmodSync(dataDir, 0o755);
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  it('serves the seeded graph, reuses its data on restart, and stops cleanly on SIGTERM and SIGHUP', async () => {
    const env = await stackEnv(path.join(dataDir, 'ok'));
    for (let run = 0; run < 2; run++) {
      const stack = startStack(env);
      const [, token] = await stack.waitFor(/Admin token\s+(\S+)/, 60_000);
      expect(stack.output()).toMatch(/Customer Graph is up in [\d.]+ s/);
      // The demo seed runs on every start and is idempotent: still five customers.
      expect(await countCustomers(env.GATEWAY_PORT, token)).toBe(5);
      // The services reach the embedded broker: contacts' consumer group has partitions,
      // in the Prometheus text a scraper reads.
      const metrics = await (await fetch(`http://127.0.0.1:${env.CONTACTS_PORT}/metrics`)).text();
      expect(metrics).toMatch(/^cg_consumer_lag\{[^}]*partition="\d+"[^}]*\} \d+$/m);
      expect(metrics).toMatch(/^cg_db_pool_connections\{[^}]*state="total"[^}]*\} [1-9]/m);
      // The second time as a closed terminal stops it (SIGHUP).
      stack.child.kill(run === 0 ? 'SIGTERM' : 'SIGHUP');
      const { code, ms } = await stack.exit;
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000);
      // Each service drained and closed its pools itself; none had to be killed.
      for (const name of SUBGRAPH_NAMES) {
        expect(stack.output()).toMatch(new RegExp(`subgraph stopped service=${name}`));
      }
      expect(stack.output()).toMatch(/gateway\s+\| info {2}gateway stopped/);
      expect(stack.output()).toMatch(/dev\s+\| stopped/);
    }
  }, 120_000);

  it('refuses to start when a port is taken, naming the port', async () => {
    const env = await stackEnv(path.join(dataDir, 'busy'));
    const blocker = net.createServer().listen(Number(env.GATEWAY_PORT), '127.0.0.1');
    try {
      const stack = startStack(env);
      const { code } = await stack.exit;
      expect(code).toBe(1);
      expect(stack.output()).toContain(`port ${env.GATEWAY_PORT} (gateway) is already in use`);
    } finally {
      blocker.close();
    }
  }, 30_000);

  it('stops at the migrate step when a database cannot be reached, naming it, leaving nothing behind', async () => {
    const env = await stackEnv(path.join(dataDir, 'unreachable'));
    // marketing gets a database nobody listens on: its migrations cannot be applied.
    env.MARKETING_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${await freePort()}/nowhere`;
    const stack = startStack(env);
    const { code } = await stack.exit;
    expect(code).toBe(1);
    expect(stack.output()).toMatch(/marketing: its migrations could not be applied/);
    expect(stack.output()).toMatch(/dev\s+\| stopped/);
    // The broker and Postgres it had started are gone: their ports are free again.
    for (const port of [env.KAFKA_PORT, env.POSTGRES_PORT]) {
      await expect(portIsFree(Number(port))).resolves.toBe(true);
    }
  }, 90_000);

  it('restarts a service killed with SIGKILL, and stops everything though its log reader is gone', async () => {
    const env = await stackEnv(path.join(dataDir, 'kill'));
    const stack = startStack(env);
    const [, token] = await stack.waitFor(/Admin token\s+(\S+)/, 60_000);
    const pid = contactsPid(stack.child.pid!);
    process.kill(pid, 'SIGKILL');
    await stack.waitFor(
      /contacts exited unexpectedly \(SIGKILL after [\d.]+ s\); restarting in 0.5 s/,
      10_000,
    );
    // Up again under a new process (the old one is dead: only the new one answers).
    await waitUntilReady('contacts', `http://127.0.0.1:${env.CONTACTS_PORT}/ready`, 30_000);
    expect(contactsPid(stack.child.pid!)).not.toBe(pid);
    expect(await countCustomers(env.GATEWAY_PORT, token)).toBe(5);
    // Whoever read the log goes away (a script that started the stack and died): the
    // stack's writes now fail with EPIPE, and a SIGTERM must still stop everything it
    // started, not leave Postgres and the broker holding their ports.
    stack.child.stdout!.destroy();
    stack.child.stderr!.destroy();
    stack.child.kill('SIGTERM');
    const { code, ms } = await stack.exit;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    for (const port of [env.KAFKA_PORT, env.POSTGRES_PORT, env.CONTACTS_PORT, env.GATEWAY_PORT]) {
      await expect(portIsFree(Number(port))).resolves.toBe(true);
    }
  }, 120_000);
});
