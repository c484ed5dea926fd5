// Webhooks from outside (Zalo OA, Shopee, later other marketplaces) arrive at
// the gateway under /webhooks/<source> and are forwarded, body untouched, to the
// service that owns the source; that service verifies the sender's signature.
//
// Forwarded over node:http with a keep-alive agent per owner (http-fetch.ts), as the
// gateway's GraphQL calls are: with fetch (undici) the gateway spent 1.4 ms of CPU per
// webhook, with this 0.5 (bench:events at 200/s, docs/performance.md).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '@customer-graph/runtime';
import type { Logger, RouteHandler } from '@customer-graph/runtime';
import { httpFetch } from './http-fetch';
import type { Answer } from './http-fetch';

/** How long the owner has to answer a forwarded webhook. */
const FORWARD_TIMEOUT_MS = 10_000;
// Idle sockets to an owner close before its keep-alive timeout (http-fetch.ts,
// IDLE_SOCKET_MS). A webhook is never sent twice: a reset cannot prove the owner did not
// apply it, and the sender, answered 502, sends it again.

export interface WebhookSource {
  /** The subgraph that verifies and applies the source's requests. */
  owner: string;
  /**
   * Headers outside the allow-list below that carry the sender's signature. Shopee signs
   * in `Authorization` (an HMAC of the URL and body, not a credential of ours), so it is
   * passed on for Shopee alone.
   */
  signedIn?: readonly string[];
}

/** Webhook source → who owns it. */
export const WEBHOOK_SOURCES: Record<string, WebhookSource> = {
  zalo: { owner: 'followers' },
  shopee: { owner: 'orders-loyalty', signedIn: ['authorization'] },
  // Signed in X-Signature, which passes as any sender's x- header does.
  calls: { owner: 'contacts' },
  // Delivery reports, signed in X-Signature with X-Timestamp (docs/marketing.md).
  email: { owner: 'marketing' },
  sms: { owner: 'marketing' },
};

// Only the sender's description of its request is passed on: an allow-list, so that
// hop-by-hop and request-control headers (Connection and what it names, Keep-Alive,
// Expect, Upgrade, TE, Trailer, Transfer-Encoding, Content-Length, Host, Proxy-*)
// and identity (Authorization, Cookie, our own x-cg-*) never are. They are this hop's
// business or would let a sender speak for the gateway (and fetch, which forwarded
// webhooks before, refused some: an `Expect: 100-continue` or `Upgrade` from Zalo lost
// the event). The
// request's `x-request-id` passes as an x- header: the gateway's own id for the request
// (the HTTP layer replaced the sender's unless it was sane), so the owner's log lines
// name the same request.
const FORWARDED = new Set(['content-type', 'content-encoding', 'user-agent', 'accept']);

function forwardedHeaders(
  req: IncomingMessage,
  signedIn: readonly string[],
): Record<string, string> {
  const named = new Set(
    String(req.headers.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase()),
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    const sendersOwn =
      FORWARDED.has(name) ||
      signedIn.includes(name) ||
      (name.startsWith('x-') && !name.startsWith('x-cg-'));
    if (value === undefined || !sendersOwn || named.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export function webhookForwarder(
  subgraphUrls: Record<string, string>,
  logger: Logger,
): RouteHandler {
  const clients = new Map<string, ReturnType<typeof httpFetch>>();
  const clientFor = (origin: string) => {
    let client = clients.get(origin);
    if (!client) {
      client = httpFetch(origin, { resend: () => false });
      clients.set(origin, client);
    }
    return client;
  };
  return async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const source = new URL(req.url ?? '/', 'http://localhost').pathname.split('/')[2] ?? '';
    const { owner, signedIn = [] } = Object.hasOwn(WEBHOOK_SOURCES, source)
      ? WEBHOOK_SOURCES[source]
      : { owner: '' };
    if (!owner || !subgraphUrls[owner]) {
      sendJson(res, 404, { error: `no webhook source "${source}"` });
      return;
    }
    const target = new URL(`/webhooks/${source}`, subgraphUrls[owner]);
    let upstream: Answer;
    try {
      upstream = await clientFor(target.origin)(
        target,
        { method: 'POST', headers: forwardedHeaders(req, signedIn), body },
        FORWARD_TIMEOUT_MS,
      );
    } catch (error) {
      // The cause (host, port, socket error) is for the log, not for the sender.
      logger.warn('webhook not delivered', { source, owner, error: (error as Error).message });
      sendJson(res, 502, { error: `the ${owner} service is unavailable` });
      return;
    }
    const payload = upstream.body;
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
      'content-length': payload.length,
    });
    res.end(payload);
  };
}
