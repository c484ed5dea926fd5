// The events bench's finer breakdown: with CG_EVENTS_TRACE set, every relay and
// consumer of the stack writes when each event reached each of its stages
// (infra/runtime/src/events/trace.ts). Joined here with the outbox rows, per
// webhook: the gaps between consecutive stages of the whole flow, as percentiles.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { postgresUrl } from '../src/postgres';

type Stages = Map<string, number>;

function readTraces(folder: string): Map<string, Stages> {
  const byEvent = new Map<string, Stages>();
  for (const file of readdirSync(folder)) {
    if (!file.endsWith('.trace')) continue;
    for (const line of readFileSync(path.join(folder, file), 'utf8').split('\n')) {
      const [id, stage, at] = line.split(' ');
      if (!at) continue;
      const stages = byEvent.get(id) ?? new Map<string, number>();
      // The first time an event reached a stage (a redelivery comes later).
      if (!stages.has(stage)) stages.set(stage, Number(at));
      byEvent.set(id, stages);
    }
  }
  return byEvent;
}

async function rows<T>(port: number, db: string, sql: string, params: unknown[]): Promise<T[]> {
  const client = new Client({ connectionString: postgresUrl(port, db) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

function stats(values: number[]) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 10) / 10;
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

/** Seen by the bench for a sampled webhook: when it was accepted and when it showed. */
export interface Watched {
  acceptedAt: number;
  seenAt: number;
}

/**
 * Per gap of the flow (webhook → followers outbox → contacts → contacts outbox →
 * followers), the distribution over the workspace's webhooks, in ms.
 */
export async function traceBreakdown(
  port: number,
  workspaceId: string,
  folder: string,
  watched: Map<string, Watched>,
) {
  const traces = readTraces(folder);
  type Out = { id: string; follower: string; user: string; created: Date };
  const outbox = (db: string, topic: string) =>
    rows<Out>(
      port,
      db,
      `SELECT id, value->'payload'->>'followerId' AS follower,
              value->'payload'->>'zaloUserId' AS user, created_at AS created
         FROM outbox WHERE workspace_id = $1 AND topic = $2`,
      [workspaceId, topic],
    );
  const shared = await outbox('cg_followers', 'followers.follower.phone-shared');
  const linked = new Map(
    (await outbox('cg_contacts', 'contacts.customer.zalo-linked')).map((l) => [l.follower, l]),
  );
  const gaps = new Map<string, number[]>();
  const add = (name: string, from: number | undefined, to: number | undefined) => {
    if (from === undefined || to === undefined) return;
    const list = gaps.get(name) ?? [];
    list.push(to - from);
    gaps.set(name, list);
  };
  for (const s of shared) {
    const l = linked.get(s.follower);
    const a = traces.get(s.id);
    const b = l ? traces.get(l.id) : undefined;
    if (!a || !b || !l) continue;
    const w = watched.get(s.user);
    const created = s.created.getTime();
    add('0 webhook stmt start → accepted (200)', created, w?.acceptedAt);
    add('1 followers stmt start → relay pass start', created, a.get('relay.start'));
    add(
      '2 followers relay: pass start → rows selected',
      a.get('relay.start'),
      a.get('relay.selected'),
    );
    add(
      '3 followers relay: selected → broker acked',
      a.get('relay.selected'),
      a.get('relay.acked'),
    );
    add(
      '4 followers relay: acked → UPDATE committed',
      a.get('relay.acked'),
      a.get('relay.committed'),
    );
    add(
      '5 followers relay selected → contacts eachBatch',
      a.get('relay.selected'),
      a.get('consume.received'),
    );
    add(
      '6 contacts: eachBatch → applied+committed',
      a.get('consume.received'),
      a.get('consume.committed'),
    );
    add(
      '7 contacts committed → relay pass start',
      a.get('consume.committed'),
      b.get('relay.start'),
    );
    add('8 contacts relay: pass start → selected', b.get('relay.start'), b.get('relay.selected'));
    add('9 contacts relay: selected → broker acked', b.get('relay.selected'), b.get('relay.acked'));
    add(
      '10 contacts relay selected → followers eachBatch',
      b.get('relay.selected'),
      b.get('consume.received'),
    );
    add(
      '11 followers: eachBatch → applied+committed',
      b.get('consume.received'),
      b.get('consume.committed'),
    );
    add('12 followers committed → seen by the bench', b.get('consume.committed'), w?.seenAt);
    add('total: followers stmt start → followers committed', created, b.get('consume.committed'));
    add('total: accepted → seen', w?.acceptedAt, w?.seenAt);
  }
  return Object.fromEntries(
    [...gaps].sort(([x], [y]) => parseInt(x) - parseInt(y)).map(([k, v]) => [k, stats(v)]),
  );
}
