// Files (exports, import error files, a person's data export, uploads to import) are
// kept by contacts. The gateway serves them at /files with the same bearer token as
// GraphQL: it authenticates the caller, signs their identity for contacts as it does
// for a query, and streams the request and the answer through without holding either
// (an export of a million customers is over 100 MB).
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { HttpError, sendJson, signIdentity, streamingRoute } from '@customer-graph/runtime';
import type { Identity, Logger, RouteHandler } from '@customer-graph/runtime';

/** The subgraph keeping files. */
export const FILE_OWNER = 'contacts';

/** What of the caller's request is passed on (a file's description; never identity). */
const FORWARDED = ['content-type', 'content-length', 'x-file-name'];
/** What of contacts' answer is passed back. */
const RETURNED = [
  'content-type',
  'content-length',
  'content-disposition',
  'cache-control',
  'connection',
];

export interface FileForwarding {
  subgraphUrl: string;
  signingSecret: string;
  authenticate(authorization: string | undefined): Promise<Identity>;
  logger: Logger;
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, body: object): void {
  if (!req.complete) res.setHeader('connection', 'close');
  sendJson(res, status, body);
}

function forward(options: FileForwarding): RouteHandler {
  return streamingRoute(async (req, res) => {
    let identity: Identity;
    try {
      identity = await options.authenticate(req.headers.authorization);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 401;
      refuse(req, res, status, { error: (error as Error).message, code: 'UNAUTHENTICATED' });
      return;
    }
    const target = new URL(req.url ?? '/', options.subgraphUrl);
    const headers: Record<string, string> = signIdentity(
      identity,
      options.signingSecret,
      FILE_OWNER,
    );
    for (const name of FORWARDED) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const upstream = http.request(target, { method: req.method, headers });
    // Errors after the answer (a socket closed mid-stream) end the pipelines below.
    upstream.on('error', () => undefined);
    try {
      const answer = new Promise<IncomingMessage>((resolve, reject) => {
        upstream.once('response', resolve);
        upstream.once('error', reject);
      });
      // An early answer (contacts refusing an upload too large) ends the sending: its
      // error is not the caller's answer, contacts' is.
      if (req.method === 'POST') pipeline(req, upstream).catch(() => undefined);
      else upstream.end();
      const from = await answer;
      const out: Record<string, string> = {};
      for (const name of RETURNED) {
        const value = from.headers[name];
        if (typeof value === 'string') out[name] = value;
      }
      if (!req.complete) out.connection = 'close';
      res.writeHead(from.statusCode ?? 502, out);
      await pipeline(from, res);
    } catch (error) {
      upstream.destroy();
      options.logger.warn('file request not completed', {
        path: target.pathname,
        error: (error as Error).message,
      });
      if (!res.headersSent) {
        refuse(req, res, 502, { error: `the ${FILE_OWNER} service is unavailable` });
      } else res.destroy();
    }
  });
}

/** The gateway's /files routes. */
export function fileRoutes(options: FileForwarding): Record<string, RouteHandler> {
  const handler = forward(options);
  return { 'GET /files/*': handler, 'POST /files': handler };
}
