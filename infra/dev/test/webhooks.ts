// For tests and benchmarks: Zalo OA webhooks signed the way Zalo signs them, dated
// now unless told otherwise (the service refuses a timestamp more than
// EVENT_FRESHNESS_MS away).
import http from 'node:http';
import { zaloSignature } from '@customer-graph/followers';

export interface ZaloOA {
  oaId: string;
  appId: string;
  secret: string;
}

export function submitInfoBody(
  oa: ZaloOA,
  userId: string,
  info: Record<string, unknown>,
  at = Date.now(),
): string {
  return JSON.stringify({
    app_id: oa.appId,
    user_id_by_app: `app-${userId}`,
    event_name: 'user_submit_info',
    timestamp: String(at),
    sender: { id: userId },
    recipient: { id: oa.oaId },
    info,
  });
}

/** A follow or unfollow event, as Zalo sends it. */
export function followBody(
  oa: ZaloOA,
  userId: string,
  eventName: 'follow' | 'unfollow' = 'follow',
  at = Date.now(),
): string {
  return JSON.stringify({
    app_id: oa.appId,
    oa_id: oa.oaId,
    user_id_by_app: `app-${userId}`,
    event_name: eventName,
    timestamp: String(at),
    follower: { id: userId },
  });
}

/** The signature header Zalo would send with `body` for this OA's secret. */
export function signatureHeader(oa: ZaloOA, body: string): { 'x-zevent-signature': string } {
  const { app_id, timestamp } = JSON.parse(body);
  return {
    'x-zevent-signature': zaloSignature(app_id, Buffer.from(body), timestamp, oa.secret),
  };
}

export async function postSigned(
  url: string,
  oa: ZaloOA,
  body: string,
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signatureHeader(oa, body) },
    body,
  });
  return { status: res.status, body: await res.text() };
}

/**
 * A POST through node:http, which (unlike fetch) sends any header asked for, e.g.
 * `Expect: 100-continue` or `Upgrade`. With Expect, the body waits for the 100.
 */
export function postRaw(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // A server may answer an upgrade request by switching protocols: not a webhook.
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 101, body: '' });
    });
    if (/100-continue/i.test(headers.expect ?? headers.Expect ?? '')) {
      req.on('continue', () => req.end(body));
    } else {
      req.end(body);
    }
  });
}

/** Runs tasks with at most `limit` at once; resolves with their results in order. */
export async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
