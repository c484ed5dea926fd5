// Checks bench:page's peers against our gateway on a small stack: Hive Gateway (with
// its in-flight merging and without) and the single-process baseline must answer the
// two page operations with the same `data` as the gateway, for several callers at
// once (merging must never hand one caller another's answer), and refuse a request
// without a token. With PEERS_LOAD_SECONDS set, it then loads each target with the
// list page (one user, then five users in three workspaces; PEERS_LOAD_CONNECTIONS,
// e.g. "16,32", default 32; PEERS_LOAD_ONLY=<part of a target's label>) and prints
// requests/s and CPU per page — with nothing else measuring on the machine:
//   node --conditions=source --import tsx infra/dev/bench/page/peers.check.ts
import assert from 'node:assert/strict';
import { signDevToken } from '@customer-graph/gateway';
import { DEMO_WORKSPACE_ID, readRepoFile } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { freePort } from '../../src/ports';
import { startBenchStack } from '../bench-stack';
import { startBaseline } from './baseline';
import { startHiveGateway } from './hive';
import type { RunningPeer } from './hive';
import { loadReport } from './peers.load';
import { postGraphql } from './peers.post';
import { seed, seedThroughGateway } from './peers.seed';
import { countStatements } from './peers.statements';

const LIST = readRepoFile('schema/operations/frontend/customer-list.graphql');
const DETAIL = readRepoFile('schema/operations/frontend/customer-detail.graphql');

interface Case {
  label: string;
  token: string;
  body: { query: string; operationName: string; variables: Record<string, unknown> };
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
        for (const target of targets.filter((t) =>
          t.label.includes(process.env.PEERS_LOAD_ONLY ?? ''),
        )) {
          console.log(await loadReport(target, callers, LIST, seconds, n, shape));
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
