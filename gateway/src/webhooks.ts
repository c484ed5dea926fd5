// Webhooks from outside (Zalo OA, later marketplaces and message providers) arrive at
// the gateway under /webhooks/<source> and are forwarded, body untouched, to the
// service that owns the source; that service verifies the sender's signature.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '@customer-graph/runtime';
import type { Logger, RouteHandler } from '@customer-graph/runtime';

/** Webhook source → owning subgraph. */
export const WEBHOOK_OWNERS: Record<string, string> = { zalo: 'followers' };

// Hop-by-hop and identity headers are not the sender's to pass on.
const DROPPED = new Set([
  'host',
  'connection',
  'content-length',
  'authorization',
  'keep-alive',
  'transfer-encoding',
]);

function forwardedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || DROPPED.has(name) || name.startsWith('x-cg-')) continue;
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
    const owner = WEBHOOK_OWNERS[source];
    if (!owner || !subgraphUrls[owner]) {
      sendJson(res, 404, { error: `no webhook source "${source}"` });
      return;
    }
    const target = new URL(`/webhooks/${source}`, subgraphUrls[owner]);
    let upstream: Response;
    try {
      upstream = await fetch(target, {
        method: 'POST',
        headers: forwardedHeaders(req),
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
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
