// bench:marketing's parts that need other work of issue 14: the large campaign's
// `Campaign.stats` through the gateway, and delivery reports ingested through
// `/webhooks/email`. Each first checks its API exists (the field in the composed graph,
// the route answering anything but 404) and otherwise reports "not available" instead
// of a figure. The campaign stats' SQL is measured straight from Postgres either way.
//
// Email webhook wire format (docs/marketing.md, "Delivery events"):
//   POST /webhooks/email
//   X-Timestamp: <unix seconds>
//   X-Signature: sha256=<hex HMAC-SHA256(EMAIL_WEBHOOK_SECRET, timestamp + "." + raw body)>
//   { "events": [ { "id": "<provider event id>", "messageId": "<our message id>",
//       "providerMessageId": "…", "type": "delivered|bounced|opened|clicked|complained|
//       unsubscribed|deferred", "at": "<ISO time>", "reason": "…"? } ] }   (≤ 1000 events)
import { createHmac, randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import type { BenchStack } from './bench-stack';
import { cpuPer, sampleCpu } from './process-cpu';

export type Post = (
  query: string,
  variables: object,
) => Promise<{ ms: number; data: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any

type Stats = (values: number[]) => object;

/** The stats' SQL straight: one grouped statement over the campaign's one month. */
export const FLOOR_CAMPAIGN_STATS = `
  SELECT split_part, count(*)::int AS total,
         count(*) FILTER (WHERE status = 'QUEUED')::int AS queued,
         count(*) FILTER (WHERE status_rank >= 1)::int AS sent,
         count(*) FILTER (WHERE status_rank >= 3)::int AS delivered,
         count(*) FILTER (WHERE status_rank >= 4)::int AS opened,
         count(*) FILTER (WHERE status_rank >= 5)::int AS clicked,
         count(*) FILTER (WHERE status = 'FAILED')::int AS failed
    FROM marketing_message
   WHERE workspace_id = $1 AND campaign_id = $2 AND created_at = $3
   GROUP BY ROLLUP (split_part)`;

interface TypeRef {
  name: string | null;
  kind: string;
  ofType: TypeRef | null;
}
const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t);
const TYPE = `query($name: String!) { __type(name: $name) { fields { name
  args { name type { kind name ofType { kind name ofType { kind name } } } }
  type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }`;

/** A selection of every argument-free leaf field of a type, one level of objects deep. */
async function selectionOf(post: Post, typeName: string, depth = 1): Promise<string> {
  const { data } = await post(TYPE, { name: typeName });
  const fields: { name: string; args: unknown[]; type: TypeRef }[] = data.__type?.fields ?? [];
  const parts: string[] = [];
  for (const f of fields) {
    if (f.args.length > 0) continue;
    const t = named(f.type);
    if (t.kind === 'SCALAR' || t.kind === 'ENUM') parts.push(f.name);
    else if (t.kind === 'OBJECT' && depth > 0 && t.name) {
      parts.push(`${f.name} { ${await selectionOf(post, t.name, depth - 1)} }`);
    }
  }
  return parts.join(' ');
}

export async function campaignStats(opts: {
  post: Post;
  stack: BenchStack;
  marketing: Client;
  ws: string;
  campaign: { id: string; startedAt: Date; members: number };
  samples: number;
  stats: Stats;
}) {
  const { post, stack, marketing, ws, campaign, samples, stats } = opts;
  const floor: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await marketing.query(FLOOR_CAMPAIGN_STATS, [ws, campaign.id, campaign.startedAt]);
    floor.push(performance.now() - t0);
  }
  const { data } = await post(TYPE, { name: 'Campaign' });
  const statsField = (data.__type?.fields ?? []).find((f: { name: string }) => f.name === 'stats');
  if (!statsField) {
    return {
      members: campaign.members,
      gateway: 'not available: Campaign.stats is not in the composed graph (H2, issue 14)',
      floor: stats(floor),
    };
  }
  const query = `query($id: ID!) { campaign(id: $id) { stats {
    ${await selectionOf(post, named(statsField.type).name!)} } } }`;
  for (let i = 0; i < 5; i++) await post(query, { id: campaign.id });
  const times: number[] = [];
  const before = sampleCpu(stack.process.pid!);
  for (let i = 0; i < samples; i++) times.push((await post(query, { id: campaign.id })).ms);
  return {
    members: campaign.members,
    gateway: stats(times),
    cpuMsPerRequest: cpuPer(before, sampleCpu(stack.process.pid!), samples),
    floor: stats(floor),
  };
}

const TYPES = ['delivered', 'opened', 'clicked'] as const;

/** Delivery reports for the large campaign's messages, signed, through the gateway. */
export async function webhookIngestion(opts: {
  stack: BenchStack;
  marketing: Client;
  ws: string;
  campaign: { id: string; startedAt: Date };
  events: number;
  batch: number;
  concurrency: number;
  secret: string;
}) {
  const { stack, marketing, ws, campaign, batch, concurrency, secret } = opts;
  const url = `${stack.gateway}/webhooks/email`;
  // An unsigned probe: a route that exists refuses it (401), a missing one is a 404.
  const probe = await fetch(url, { method: 'POST', body: '{}' });
  if (probe.status === 404) {
    return { available: false, note: 'not available: POST /webhooks/email answers 404 (H3)' };
  }
  const { rows } = await marketing.query(
    `SELECT id, provider_message_id AS "providerMessageId" FROM marketing_message
      WHERE workspace_id = $1 AND campaign_id = $2 AND created_at = $3 ORDER BY id LIMIT $4`,
    [ws, campaign.id, campaign.startedAt, opts.events],
  );
  const run = randomBytes(4).toString('hex');
  const total = Math.min(opts.events, rows.length * TYPES.length);
  const bodies: string[] = [];
  for (let from = 0; from < total; from += batch) {
    const events = [];
    for (let k = from; k < Math.min(total, from + batch); k++) {
      const m = rows[k % rows.length];
      const type = TYPES[Math.floor(k / rows.length) % TYPES.length];
      events.push({
        id: `bench-${run}-${k}`,
        messageId: m.id,
        providerMessageId: m.providerMessageId,
        type,
        at: new Date().toISOString(),
      });
    }
    bodies.push(JSON.stringify({ events }));
  }
  const send = async (body: string) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-timestamp': timestamp,
        'x-signature': `sha256=${signature}`,
      },
      body,
    });
    const text = await res.text();
    if (res.status !== 200)
      throw new Error(`webhook answered ${res.status}: ${text.slice(0, 300)}`);
  };
  const before = sampleCpu(opts.stack.process.pid!);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) await send(bodies[next++]);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuPer(before, sampleCpu(opts.stack.process.pid!), total / 1000);
  const { rows: applied } = await marketing.query(
    `SELECT count(*)::int AS n FROM message_event
      WHERE workspace_id = $1 AND message_created_at = $2 AND provider_event_id LIKE $3`,
    [ws, campaign.startedAt, `bench-${run}-%`],
  );
  return {
    available: true,
    events: total,
    batch,
    concurrency,
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSecond: Math.round(total / seconds),
    // Timeline rows written for them: each event is one, none dropped.
    applied: applied[0].n,
    cpuMsPer1000Events: cpu,
  };
}
