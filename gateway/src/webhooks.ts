// Webhooks from outside (Zalo OA, Shopee, later other marketplaces) arrive at
// the gateway under /webhooks/<source> and are forwarded, body untouched, to the
// service that owns the source; that service verifies the sender's signature.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '@customer-graph/runtime';
import type { Logger, RouteHandler } from '@customer-graph/runtime';

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
// and identity (Authorization, Cookie, our own x-cg-*) never are. fetch refuses some
// of those (an `Expect: 100-continue` or `Upgrade` from Zalo lost the event), and the
// rest are this hop's business or would let a sender speak for the gateway. The
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
    let upstream: Response;
    try {
      upstream = await fetch(target, {
        method: 'POST',
        headers: forwardedHeaders(req, signedIn),
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      // The cause (host, port, socket error) is for the log, not for the sender.
      logger.warn('webhook not delivered', { source, owner, error: (error as Error).message });
      sendJson(res, 502, { error: `the ${owner} service is unavailable` });
      return;
    }
    const payload = Buffer.from(await upstream.arrayBuffer());
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
      'content-length': payload.length,
    });
    res.end(payload);
  };
}
