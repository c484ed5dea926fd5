// Checks bench:page's peers against our gateway on a small stack: Hive Gateway (with
// its in-flight merging and without) and the single-process baseline must answer the
// two page operations with the same `data` as the gateway, for several callers at
// once (merging must never hand one caller another's answer), and refuse a request
// without a token. With PEERS_LOAD_SECONDS set, it then loads each target with the
// list page (one user, then five users in three workspaces; PEERS_LOAD_CONNECTIONS,
// e.g. "16,32", default 32; PEERS_LOAD_ONLY=<part of a target's label>) and prints
// requests/s and CPU per page — under the bench lock:
//   flock /work/wt/bench.lock node --conditions=source --import tsx infra/dev/bench/page/peers.check.ts
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { signDevToken } from '@customer-graph/gateway';
import {
  DEMO_CUSTOMERS,
  DEMO_WORKSPACE_ID,
  readRepoFile,
  subgraphDatabase,
} from '@customer-graph/runtime';
import type { Identity, SubgraphName } from '@customer-graph/runtime';
import { postgresUrl } from '../../src/postgres';
import { freePort } from '../../src/ports';
import { startBenchStack } from '../bench-stack';
import { cpuPer, sampleCpu } from '../process-cpu';
import { seedMarketing } from '../marketing-seed';
import { seedOrders } from '../orders-seed';
import { startBaseline } from './baseline';
import { startHiveGateway } from './hive';
import type { RunningPeer } from './hive';
import { loadList } from './peers.load';
import { postGraphql } from './peers.post';
import { countStatements } from './peers.statements';

const LIST = readRepoFile('schema/operations/frontend/customer-list.graphql');
const DETAIL = readRepoFile('schema/operations/frontend/customer-detail.graphql');

interface Case {
  label: string;
  token: string;
  body: { query: string; operationName: string; variables: Record<string, unknown> };
}

function client(port: number, name: SubgraphName): Client {
  return new Client({ connectionString: postgresUrl(port, subgraphDatabase(name)) });
}

/** Two small workspaces beside the demo one: one with orders, one with messages. */
async function seed(postgresPort: number): Promise<{ orders: string; marketing: string }> {
  const [contacts, orders, marketing] = [
    client(postgresPort, 'contacts'),
    client(postgresPort, 'orders-loyalty'),
    client(postgresPort, 'marketing'),
  ];
  await Promise.all([contacts.connect(), orders.connect(), marketing.connect()]);
  try {
    await seedOrders(contacts, orders, 'peers-orders', 25, 300);
    // Every third customer is staff-a's: a staff caller sees those alone.
    await contacts.query(
      `UPDATE customer SET assigned_staff = 'staff-a'
        WHERE workspace_id = 'peers-orders' AND right(name, 1) IN ('1', '4', '7')`,
    );
    await seedMarketing(contacts, marketing, 'peers-marketing', {
      customers: 25,
      messages: 300,
      campaignMembers: 25,
      months: 2,
      timelines: false,
    });
  } finally {
    await Promise.all([contacts.end(), orders.end(), marketing.end()]);
  }
  return { orders: 'peers-orders', marketing: 'peers-marketing' };
}

/**
 * Through the gateway: a loyalty program for the orders workspace (its tab then shows
 * tiers and points; waited for until re-evaluated), and a note on a demo customer.
 */
async function seedThroughGateway(gateway: string, tokens: Record<string, string>) {
  const program = await postGraphql(gateway, tokens['orders admin'], {
    query: `mutation { setLoyaltyProgram(input: {
      tiers: [{ name: "Bạc", threshold: 0 }, { name: "Vàng", threshold: 500 }],
      earnPoints: 1, earnPerAmount: 10000, tierPeriod: LIFETIME }) { reevaluation { id } } }`,
  });
  assert.equal(program.errors, undefined, JSON.stringify(program.errors));
  const { id } = (program.data!.setLoyaltyProgram as { reevaluation: { id: string } }).reevaluation;
  for (;;) {
    const job = await postGraphql(gateway, tokens['orders admin'], {
      query: `query ($id: ID!) { loyaltyReevaluation(id: $id) { status } }`,
      variables: { id },
    });
    const status = (job.data?.loyaltyReevaluation as { status: string } | null)?.status;
    if (status !== 'QUEUED' && status !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const note = await postGraphql(gateway, tokens['demo admin'], {
    query: `mutation ($id: ID!) { addCustomerNote(customerId: $id, text: "Khách quen") { id } }`,
    variables: { id: DEMO_CUSTOMERS[0].id },
  });
  assert.equal(note.errors, undefined, JSON.stringify(note.errors));
}

/** The cases: each caller's list (page 1, page 2, a filter) and detail pages. */
async function cases(gateway: string, tokens: Record<string, string>): Promise<Case[]> {
  const out: Case[] = [];
  for (const [label, token] of Object.entries(tokens)) {
    const list = (variables: Record<string, unknown>) => ({
      query: LIST,
      operationName: 'CustomerListPage',
      variables,
    });
    const first = await postGraphql(gateway, token, list({}));
    const page = first.data?.customers as {
      edges: { node: { id: string } }[];
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    };
    out.push({ label: `${label} list`, token, body: list({}) });
    if (page.pageInfo.hasNextPage) {
      out.push({
        label: `${label} list page 2`,
        token,
        body: list({ first: 20, after: page.pageInfo.endCursor }),
      });
    }
    out.push({
      label: `${label} list filtered`,
      token,
      body: list({ first: 5, filter: { name: { contains: '1' } } }),
    });
    const ids = [
      ...page.edges.slice(0, 5).map((e) => e.node.id),
      '00000000-0000-4000-8000-999999999999',
    ];
    for (const id of ids) {
      out.push({
        label: `${label} detail ${id}`,
        token,
        body: { query: DETAIL, operationName: 'CustomerDetailPage', variables: { id } },
      });
    }
  }
  return out;
}

/** The fields holding something (not null, not an empty list or page) anywhere in `value`. */
function filledFields(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => filledFields(v, into));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const edges = (v as { edges?: unknown[] } | null)?.edges;
      const empty = v == null || (Array.isArray(v) && v.length === 0) || edges?.length === 0;
      if (!empty) into.add(key);
      filledFields(v, into);
    }
  }
  return into;
}

/** What the page data must show somewhere, so that equal answers mean something. */
const MUST_BE_FILLED = [
  'orders',
  'orderSummary',
  'marketing',
  'marketingSummary',
  'zaloFollower',
  'zaloFollowers',
  'tasks',
  'calls',
  'opportunities',
  'reviews',
  'notes',
  'loyalty',
  'tier',
  'phones',
  'endCursor',
];

async function main(): Promise<void> {
  const stack = await startBenchStack('peers', 15 * 60_000);
  const peers: { label: string; peer: RunningPeer }[] = [];
  try {
    const postgresPort = Number(stack.ports.POSTGRES_PORT);
    const workspaces = await seed(postgresPort);
    const identities: Record<string, Identity> = {
      'demo admin': { workspaceId: DEMO_WORKSPACE_ID, userId: 'demo-admin', role: 'admin' },
      'demo analyst': { workspaceId: DEMO_WORKSPACE_ID, userId: 'demo-analyst', role: 'analyst' },
      'orders admin': { workspaceId: workspaces.orders, userId: 'admin-o', role: 'admin' },
      'orders staff': { workspaceId: workspaces.orders, userId: 'staff-a', role: 'staff' },
      'marketing editor': { workspaceId: workspaces.marketing, userId: 'ed-m', role: 'editor' },
    };
    const tokens: Record<string, string> = {};
    for (const [label, identity] of Object.entries(identities)) {
      tokens[label] = await signDevToken(identity, stack.jwtSecret);
    }
    const subgraphUrls = {
      contacts: `http://127.0.0.1:${stack.ports.CONTACTS_PORT}/graphql`,
      followers: `http://127.0.0.1:${stack.ports.FOLLOWERS_PORT}/graphql`,
      'orders-loyalty': `http://127.0.0.1:${stack.ports.ORDERS_LOYALTY_PORT}/graphql`,
      marketing: `http://127.0.0.1:${stack.ports.MARKETING_PORT}/graphql`,
    };
    for (const dedupe of [true, false]) {
      const peer = await startHiveGateway({
        supergraphSdlPath: 'schema/supergraph.graphql',
        subgraphUrls,
        signingSecret: stack.signingSecret,
        jwtSecret: stack.jwtSecret,
        port: await freePort(),
        dedupe,
      });
      peers.push({ label: `hive (dedupe ${dedupe ? 'on' : 'off'})`, peer });
    }
    const baseline = await startBaseline({
      postgresPort,
      jwtSecret: stack.jwtSecret,
      port: await freePort(),
    });
    peers.push({ label: 'baseline', peer: baseline });
    const gateway = `${stack.gateway}/graphql`;
    await seedThroughGateway(gateway, tokens);

    const all = await cases(gateway, tokens);
    let compared = 0;
    const filled = new Set<string>();
    for (const c of all) {
      const expected = await postGraphql(gateway, c.token, c.body);
      assert.equal(expected.errors, undefined, `${c.label}: the gateway answered errors`);
      filledFields(expected.data, filled);
      for (const { label, peer } of peers) {
        const got = await postGraphql(peer.url, c.token, c.body);
        assert.equal(got.errors, undefined, `${c.label}: ${label} answered errors`);
        assert.deepStrictEqual(got.data, expected.data, `${c.label}: ${label} differs`);
        compared++;
      }
    }
    console.log(`${compared} answers equal to the gateway's (${all.length} cases)`);
    const missing = MUST_BE_FILLED.filter((f) => !filled.has(f));
    assert.deepStrictEqual(missing, [], 'the seeded pages leave these empty');
    const empty = ['vouchers', 'history', 'nextTier', 'custom', 'externalIds'].filter(
      (f) => !filled.has(f),
    );
    console.log(
      `tabs with data: ${MUST_BE_FILLED.join(', ')}; empty everywhere: ${empty.join(', ') || 'none'}`,
    );

    // Several callers at once with the same document: a merged call must stay a caller's own.
    const lists = all.filter((c) => c.label.endsWith(' list'));
    const expected = new Map<string, unknown>();
    for (const c of lists)
      expected.set(c.label, (await postGraphql(gateway, c.token, c.body)).data);
    for (const { label, peer } of peers) {
      const burst = lists.flatMap((c) => Array.from({ length: 8 }, () => c));
      const answers = await Promise.all(burst.map((c) => postGraphql(peer.url, c.token, c.body)));
      answers.forEach((a, i) => {
        assert.deepStrictEqual(a.data, expected.get(burst[i].label), `${label}: ${burst[i].label}`);
      });
      console.log(
        `${label}: ${burst.length} concurrent lists of ${lists.length} callers, each its own`,
      );
    }

    // SQL per list page: one at a time, then 16 at once for one caller (Hive's merging).
    const listCase = all.find((c) => c.label === 'orders admin list')!;
    const targets = [
      { label: 'our gateway', url: gateway, pid: undefined as number | undefined },
      ...peers.map((p) => ({ label: p.label, url: p.peer.url, pid: p.peer.pid })),
    ];
    const perPage: Record<string, { alone: number; burst: number }> = {};
    for (const { label, url } of targets) {
      const send = () => postGraphql(url, listCase.token, listCase.body);
      const alone = await countStatements(postgresPort, async () => {
        for (let i = 0; i < 5; i++) await send();
      });
      const burst = await countStatements(postgresPort, () =>
        Promise.all(Array.from({ length: 16 }, send)),
      );
      perPage[label] = { alone: alone.total / 5, burst: burst.total / 16 };
      if (process.env.PEERS_SHOW_SQL) {
        for (const { query, calls } of alone.byQuery) console.log(`  ${calls / 5}× ${query}`);
      }
      console.log(
        `${label}: ${(alone.total / 5).toFixed(1)} SQL statements per list page alone, ${(burst.total / 16).toFixed(1)} in a burst of 16`,
      );
    }
    assert.ok(
      perPage['hive (dedupe on)'].burst <= perPage['hive (dedupe off)'].burst,
      'Hive with merging ran more statements than without',
    );

    for (const { label, peer } of peers) {
      const refused = await fetch(peer.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(all[0].body),
      });
      assert.equal(refused.status, 401, `${label} answered ${refused.status} without a token`);
    }
    console.log('every peer refuses a request without a token (401)');

    const seconds = Number(process.env.PEERS_LOAD_SECONDS ?? 0);
    const connections = (process.env.PEERS_LOAD_CONNECTIONS ?? '32').split(',').map(Number);
    // One user, or every caller of the check in turn (three workspaces).
    const shapes = { 'one user': [tokens['orders admin']], 'five users': Object.values(tokens) };
    for (const [shape, callers] of seconds > 0 ? Object.entries(shapes) : []) {
      for (const n of connections) {
        for (const { label, url, pid } of targets.filter((t) =>
          t.label.includes(process.env.PEERS_LOAD_ONLY ?? ''),
        )) {
          // CPU of every process (this one, the stack's, the peers'), of the peer, of the client.
          const before = [sampleCpu(process.pid), pid ? sampleCpu(pid) : null] as const;
          const clientBefore = process.cpuUsage();
          const run = await loadList(url, callers, LIST, seconds, n);
          const client = process.cpuUsage(clientBefore);
          const all = cpuPer(before[0], sampleCpu(process.pid), run.done);
          const peer = pid ? cpuPer(before[1], sampleCpu(pid), run.done) : null;
          const clientMs = (client.user + client.system) / 1000 / run.done;
          const { total = 0, ...parts } = all ?? {};
          const cpu = Object.entries(parts)
            .filter(([name]) => name !== 'supervisor')
            .map(([name, ms]) => `${name} ${ms}`)
            .join(', ');
          console.log(
            `${label}, ${shape}, ${n} connections: ${run.perSecond.toFixed(0)} list pages/s (${run.errors} errors); ` +
              `CPU ms/page ${(total - clientMs).toFixed(1)} without the client (${cpu}${peer ? `, peer ${peer.total}` : ''}), client ${clientMs.toFixed(1)}`,
          );
          for (const error of run.firstErrors) console.log(`  ${error.slice(0, 300)}`);
        }
      }
    }
    console.log('peers check: OK');
  } finally {
    for (const { peer } of peers) await peer.stop();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
