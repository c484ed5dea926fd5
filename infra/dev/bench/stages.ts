// Where an event's time goes, read back from the services' own tables after a run:
// outbox commit → published (relay), published → applied by the consumer, for each
// hop of the Zalo flow. Timestamps are the databases' (one server, one clock).
import { Client } from 'pg';
import { postgresUrl } from '../src/postgres';

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
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
  return { count: sorted.length, p50: at(0.5), p99: at(0.99) };
}

export async function stageLatencies(port: number, workspaceId: string) {
  type Out = { id: string; follower: string; created: Date; sent: Date | null };
  const outbox = (db: string, topic: string) =>
    rows<Out>(
      port,
      db,
      `SELECT id, value->'payload'->>'followerId' AS follower, created_at AS created, sent_at AS sent
         FROM outbox WHERE workspace_id = $1 AND topic = $2`,
      [workspaceId, topic],
    );
  const shared = await outbox('cg_followers', 'followers.follower.phone-shared');
  const linked = await outbox('cg_contacts', 'contacts.customer.zalo-linked');
  const applied = new Map(
    (
      await rows<{ event_id: string; at: Date }>(
        port,
        'cg_followers',
        `SELECT event_id, processed_at AS at FROM inbox WHERE workspace_id = $1`,
        [workspaceId],
      )
    ).map((r) => [r.event_id, r.at.getTime()]),
  );
  const linkedByFollower = new Map(linked.map((l) => [l.follower, l]));
  const ms = (a: Date | null, b: Date | number | null | undefined) =>
    a && b ? (typeof b === 'number' ? b : b.getTime()) - a.getTime() : NaN;
  const hops = {
    followersRelay: [] as number[],
    contactsConsume: [] as number[],
    contactsRelay: [] as number[],
    followersConsume: [] as number[],
  };
  for (const s of shared) {
    const l = linkedByFollower.get(s.follower);
    hops.followersRelay.push(ms(s.created, s.sent));
    if (!l) continue;
    // A consumer's rows carry its transaction's start time: applied ≈ that moment.
    hops.contactsConsume.push(ms(s.sent, l.created));
    hops.contactsRelay.push(ms(l.created, l.sent));
    hops.followersConsume.push(ms(l.sent, applied.get(l.id)));
  }
  return Object.fromEntries(
    Object.entries(hops).map(([k, v]) => [k, stats(v.filter((x) => Number.isFinite(x)))]),
  );
}
