// For tests and benchmarks: Zalo OA webhooks signed the way Zalo signs them.
import { zaloSignature } from '@customer-graph/followers';

export interface ZaloOA {
  oaId: string;
  appId: string;
  secret: string;
}

export function submitInfoBody(oa: ZaloOA, userId: string, info: Record<string, unknown>): string {
  return JSON.stringify({
    app_id: oa.appId,
    user_id_by_app: `app-${userId}`,
    event_name: 'user_submit_info',
    timestamp: String(Date.now()),
    sender: { id: userId },
    recipient: { id: oa.oaId },
    info,
  });
}

export async function postSigned(
  url: string,
  oa: ZaloOA,
  body: string,
): Promise<{ status: number; body: string }> {
  const { app_id, timestamp } = JSON.parse(body);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zevent-signature': zaloSignature(app_id, Buffer.from(body), timestamp, oa.secret),
    },
    body,
  });
  return { status: res.status, body: await res.text() };
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
