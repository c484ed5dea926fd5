// The delivery reports the sandbox posts, in the providers' wire formats our webhooks
// take (docs/marketing.md, "Delivery events"; the contract of issue 14):
//
// POST <base>/webhooks/email
//   X-Timestamp: <unix seconds>
//   X-Signature: sha256=<hex HMAC-SHA256(EMAIL_WEBHOOK_SECRET, timestamp + "." + raw body)>
//   { "events": [ { "id", "messageId", "providerMessageId",
//       "type": "delivered|bounced|opened|clicked|…", "at": "<ISO>", "reason"? } ] }  (≤ 1000)
// POST <base>/webhooks/sms — the same signing with SMS_WEBHOOK_SECRET;
//   { "reports": [ { "id", "messageId", "providerMessageId",
//       "status": "DELIVERED|FAILED|EXPIRED|REJECTED", "at", "errorCode"?, "reason"? } ] }
// POST <base>/webhooks/zalo — one event per request, as Zalo sends them:
//   X-ZEvent-Signature: mac=<hex SHA-256(app_id + raw body + timestamp + OA secret key)>
//   { "app_id", "oa_id", "event_name": "user_received_message", "timestamp": "<ms>",
//     "sender": { "id": <oa id> }, "recipient": { "id": <address> },
//     "message": { "msg_id": <provider id>, "tracking_id": <our id>, "delivery_time": "<ms>" } }
import { createHash, createHmac } from 'node:crypto';
import type { SandboxOutcome } from './sandbox.outcome';

/** A sandbox message whose report is due. */
export interface DueReport {
  channel: string;
  messageId: string;
  providerMessageId: string;
  address: string;
  outcome: SandboxOutcome;
  reason: string | null;
  dueAt: Date;
}

export interface SignedPost {
  path: string;
  headers: Record<string, string>;
  body: string;
}

const later = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000).toISOString();

export function emailEvents(r: DueReport): object[] {
  const base = { messageId: r.messageId, providerMessageId: r.providerMessageId };
  const event = (type: string, seconds: number, reason?: string) => ({
    id: `${r.providerMessageId}:${type}`,
    ...base,
    type,
    at: later(r.dueAt, seconds),
    ...(reason ? { reason } : {}),
  });
  if (r.outcome === 'FAILED') return [event('bounced', 0, r.reason ?? undefined)];
  const events = [event('delivered', 0)];
  if (r.outcome === 'OPENED' || r.outcome === 'CLICKED') events.push(event('opened', 60));
  if (r.outcome === 'CLICKED') events.push(event('clicked', 90));
  return events;
}

export function smsReport(r: DueReport): object {
  const failed = r.outcome === 'FAILED';
  const status = !failed ? 'DELIVERED' : r.reason?.startsWith('EXPIRED') ? 'EXPIRED' : 'FAILED';
  return {
    id: `${r.providerMessageId}:dlr`,
    messageId: r.messageId,
    providerMessageId: r.providerMessageId,
    status,
    at: r.dueAt.toISOString(),
    ...(failed ? { errorCode: status, reason: r.reason } : {}),
  };
}

/** An email or SMS body, signed with the webhook's secret at `now`. */
export function signedHmacPost(
  path: string,
  payload: object,
  secret: string,
  now = Date.now(),
): SignedPost {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(now / 1000));
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return {
    path,
    headers: {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      'x-signature': `sha256=${mac}`,
    },
    body,
  };
}

/** A Zalo user_received_message for the report, signed as Zalo signs for the OA. */
export function signedZaloPost(
  r: DueReport,
  zalo: { appId: string; oaId: string; oaSecret: string },
  now = Date.now(),
): SignedPost {
  const timestamp = String(now);
  const body = JSON.stringify({
    app_id: zalo.appId,
    oa_id: zalo.oaId,
    event_name: 'user_received_message',
    timestamp,
    sender: { id: zalo.oaId },
    recipient: { id: r.address },
    message: {
      msg_id: r.providerMessageId,
      tracking_id: r.messageId,
      delivery_time: String(r.dueAt.getTime()),
    },
  });
  const mac = createHash('sha256')
    .update(zalo.appId)
    .update(body)
    .update(timestamp)
    .update(zalo.oaSecret)
    .digest('hex');
  return {
    path: '/webhooks/zalo',
    headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` },
    body,
  };
}
