// The events bench's load: signed Zalo `user_submit_info` webhooks through the gateway
// at a steady rate, and (when watching) the gateway polled (customerByPhone, batched
// as aliases every POLL_MS) until each sampled webhook's follower shows on its
// customer. Visibility is therefore measured with POLL_MS granularity, on
// SAMPLES_PER_SECOND webhooks a second (polling them all would load the gateway more
// than the webhooks do).
import { randomBytes } from 'node:crypto';
import { signDevToken } from '@customer-graph/gateway';
import { postSigned, submitInfoBody } from '../test/webhooks';
import type { ZaloOA } from '../test/webhooks';
import type { Watched } from './events-trace';

export const POLL_MS = 25;
/** Webhooks in flight at once, as a sender's connection pool would allow. */
const MAX_IN_FLIGHT = 64;
const ALIASES_PER_QUERY = 50;
/** Webhooks watched per second, whatever the rate: the watching must not be the load. */
export const SAMPLES_PER_SECOND = Number(process.env.BENCH_SAMPLES_PER_SECOND ?? 25);

export type GraphQL = (
  query: string,
) => Promise<{ data?: Record<string, unknown>; errors?: unknown[] }>;

export interface BenchWorkspace {
  workspaceId: string;
  oa: ZaloOA;
  graphql: GraphQL;
}

/** A workspace of its own with a connected OA (so each phase's figures are its own). */
export async function benchWorkspace(
  gateway: string,
  jwtSecret: string,
  label: string,
): Promise<BenchWorkspace> {
  const workspaceId = `bench-${label}-${randomBytes(3).toString('hex')}`;
  const token = await signDevToken({ workspaceId, userId: 'bench', role: 'admin' }, jwtSecret);
  const graphql: GraphQL = async (query) => {
    const res = await fetch(`${gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  };
  const oa: ZaloOA = {
    oaId: `oa-${randomBytes(4).toString('hex')}`,
    appId: 'bench-app',
    secret: 'bench-secret',
  };
  const connected = await graphql(
    `mutation { connectZaloOA(oaId: "${oa.oaId}", appId: "${oa.appId}", secretKey: "${oa.secret}") { oaId } }`,
  );
  if (connected.errors) throw new Error(JSON.stringify(connected.errors));
  return { workspaceId, oa, graphql };
}

interface Pending {
  phone: string;
  userId: string;
  acceptedAt: number;
}

export interface Driven {
  sent: number;
  refused: number;
  achievedRatePerSecond: number;
  /** Sampled webhooks (watching only): user id → accepted and seen. */
  watched: Map<string, Watched>;
  notLinkedWithin60s: number;
}

let serial = 0;

/** Sends `rate` webhooks a second for `seconds`; with `watch`, waits to see the sampled ones. */
export async function drive(
  gateway: string,
  ws: BenchWorkspace,
  rate: number,
  seconds: number,
  watch: boolean,
): Promise<Driven> {
  const sampleEvery = Math.max(1, Math.round(rate / SAMPLES_PER_SECOND));
  const pending = new Map<string, Pending>();
  const watched = new Map<string, Watched>();
  let sent = 0;
  let refused = 0;
  let sending = true;
  let lastSentAt = Date.now();

  const poller = (async () => {
    while (watch && (sending || pending.size > 0)) {
      const batch = [...pending.values()];
      const chunks = [];
      for (let i = 0; i < batch.length; i += ALIASES_PER_QUERY)
        chunks.push(batch.slice(i, i + ALIASES_PER_QUERY));
      await Promise.all(
        chunks.map(async (chunk) => {
          const query = `{ ${chunk
            .map(
              (p, i) =>
                `p${i}: customerByPhone(phone: "${p.phone}") { zaloFollower { zaloUserId } }`,
            )
            .join(' ')} }`;
          const { data } = await ws.graphql(query);
          const now = Date.now();
          chunk.forEach((p, i) => {
            const found = (data?.[`p${i}`] as { zaloFollower?: { zaloUserId: string } } | null)
              ?.zaloFollower;
            if (found?.zaloUserId === p.userId) {
              watched.set(p.userId, { acceptedAt: p.acceptedAt, seenAt: now });
              pending.delete(p.userId);
            }
          });
        }),
      );
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (!sending && Date.now() - lastSentAt > 60_000) break;
    }
  })();

  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  const total = rate * seconds;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // A saturated stack slows the sender down (the achieved rate says by how much).
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    const n = serial++;
    const userId = `b${n}`;
    const phone = `09${String(100_000_000 + n).slice(1)}`;
    const body = submitInfoBody(ws.oa, userId, { name: `Khách ${n}`, phone });
    const request = postSigned(`${gateway}/webhooks/zalo`, ws.oa, body).then((res) => {
      if (res.status !== 200) refused++;
      else if (watch && n % sampleEvery === 0)
        pending.set(userId, { phone, userId, acceptedAt: Date.now() });
    });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
    sent++;
    lastSentAt = Date.now();
  }
  await Promise.all(inFlight);
  const sendSeconds = (Date.now() - started) / 1000;
  sending = false;
  await poller;
  return {
    sent,
    refused,
    achievedRatePerSecond: Math.round(sent / sendSeconds),
    watched,
    notLinkedWithin60s: pending.size,
  };
}
