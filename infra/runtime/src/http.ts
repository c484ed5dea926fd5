// A small Node HTTP server hosting an ApolloServer beside plain routes (/health,
// /ready, webhooks). Apollo Server 5 ships no web framework; this is its documented
// integration point (executeHTTPGraphQLRequest), which keeps us free of Express.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer, BaseContext } from '@apollo/server';
import type { Logger } from './logger';
import { REQUEST_ID_HEADER, requestIdFrom, runInRequest } from './request-id';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'BAD_REQUEST',
  ) {
    super(message);
  }
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => unknown;

const STREAMING = Symbol('streaming route');

/**
 * A route that reads its request body itself, as a stream (a file upload larger than
 * any buffered body should be): it is called with an empty body, the request unread.
 */
export function streamingRoute(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
): RouteHandler {
  return Object.assign((req: IncomingMessage, res: ServerResponse) => handler(req, res), {
    [STREAMING]: true,
  });
}

function isStreaming(route: RouteHandler): boolean {
  return (route as { [STREAMING]?: boolean })[STREAMING] === true;
}

/** Headers of a Node request as `get(name)`, the shape verifyIdentity reads. */
export function headerReader(req: IncomingMessage): { get(name: string): string | undefined } {
  return {
    get: (name) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

export interface HttpAppOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  /**
   * Builds the per-request context; throw HttpError to refuse (e.g. 401). `requestId`
   * is the request's id as the HTTP layer took or made it (request-id.ts).
   */
  context: (headers: HeaderMap, requestId: string) => Promise<C>;
  /** Extra routes by "METHOD /path" (e.g. "GET /health") or "METHOD /prefix/*". */
  routes?: Record<string, RouteHandler>;
  /** Largest body of a route (a webhook); default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Largest GraphQL request body; default 8 MiB, so a phone list of 100,000 numbers
   * (about 1.8 MB as JSON) fits in one mutation.
   */
  maxGraphqlBodyBytes?: number;
  logger: Logger;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function graphqlErrorBody(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/**
 * The whole body, refused past `limit` (413; the rest is left unread, and the answer
 * closes the connection). Read with listeners rather than `for await`: a body is
 * mostly one chunk, and the async iterator cost more than the read (bench:page).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        req.pause();
        reject(new HttpError(413, `request body over ${limit} bytes`, 'PAYLOAD_TOO_LARGE'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => {
      stop();
      reject(new Error('request closed before its body was read'));
    };
    if (req.destroyed) {
      reject(new Error('request closed before its body was read'));
      return;
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * A path of letters, digits, '/', '_' and '-' reads the same through URL, unless it
 * starts with '//' (which URL reads as a host: `//x/webhooks/zalo` is `/webhooks/zalo`).
 */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9/_-]*$/;

/** The request's path and query string, as `new URL` reads them. */
function pathAndSearch(url: string): { pathname: string; search: string } {
  if (PLAIN_PATH.test(url)) return { pathname: url, search: '' };
  const parsed = new URL(url, 'http://localhost');
  return { pathname: parsed.pathname, search: parsed.search };
}

function findRoute(
  routes: Record<string, RouteHandler>,
  method: string,
  path: string,
): RouteHandler | undefined {
  const exact = routes[`${method} ${path}`];
  if (exact) return exact;
  const prefix = Object.keys(routes).find((key) => {
    const [m, p] = key.split(' ');
    return m === method && p.endsWith('/*') && path.startsWith(p.slice(0, -1));
  });
  return prefix ? routes[prefix] : undefined;
}

export function createHttpHandler<C extends BaseContext>(options: HttpAppOptions<C>) {
  const { apollo, routes = {}, logger } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const maxGraphqlBodyBytes = options.maxGraphqlBodyBytes ?? 8 * 1024 * 1024;
  // One line per request at debug level, when it is answered: the path (never the
  // query string, which may hold ids or documents), the status and the time taken.
  // Below debug, no request pays for it.
  const logsRequests = logger.enabled?.('debug') ?? true;
  const logWhenAnswered = (
    req: IncomingMessage,
    res: ServerResponse,
    scope: { requestId: string },
  ) => {
    const started = performance.now();
    res.once('finish', () =>
      logger.debug('request', {
        method: req.method,
        path: (req.url ?? '/').split('?')[0],
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        // The id settled on during the request (a subgraph takes the signed one).
        requestId: scope.requestId,
      }),
    );
  };
  // Every request gets an id (the caller's when sane), answered in x-request-id, seen
  // by routes in the same header (a forwarded webhook carries it on) and by the logger.
  return (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const scope = { requestId };
    if (logsRequests) logWhenAnswered(req, res, scope);
    return runInRequest(scope, () => handle(req, res, requestId));
  };

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const url = pathAndSearch(req.url ?? '/');
    const method = (req.method ?? 'GET').toUpperCase();
    // A body is read only once the request has earned it: a route's (webhooks verify
    // their sender from the body, so they read at most maxBodyBytes), or /graphql's
    // after the caller is identified from the headers. Anything else is answered at
    // once, and a body left unread closes the connection rather than being drained.
    let bodyRead = false;
    const read = async (limit: number) => {
      const body = await readBody(req, limit);
      bodyRead = true;
      return body;
    };
    try {
      const route = findRoute(routes, method, url.pathname);
      if (route) {
        if (isStreaming(route)) {
          // The route reads (or refuses) the body itself; it counts as read.
          bodyRead = true;
          await route(req, res, Buffer.alloc(0));
          return;
        }
        await route(req, res, await read(maxBodyBytes));
        return;
      }
      if (url.pathname !== '/graphql') {
        throw new HttpError(404, `no route for ${method} ${url.pathname}`, 'NOT_FOUND');
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const context = await options.context(headers, requestId);
      const body = await read(maxGraphqlBodyBytes);
      let parsed: unknown = undefined;
      if (method === 'POST' && body.length > 0) {
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          throw new HttpError(400, 'request body is not valid JSON');
        }
      }
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method, headers, search: url.search, body: parsed },
        context: async () => context,
      });
      const outHeaders: Record<string, string> = {};
      for (const [key, value] of result.headers) outHeaders[key] = value;
      res.writeHead(result.status ?? 200, outHeaders);
      if (result.body.kind === 'complete') {
        res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      if (error instanceof HttpError) {
        // A body refused unread (or half-read) leaves the rest of it on the socket,
        // where it would be parsed as the next request: answer, then close.
        if (!bodyRead && !req.complete) res.setHeader('connection', 'close');
        sendJson(res, error.status, graphqlErrorBody(error.message, error.code));
        return;
      }
      logger.error('request failed', { path: url.pathname, error });
      if (!res.headersSent) {
        sendJson(res, 500, graphqlErrorBody('internal error', 'INTERNAL_SERVER_ERROR'));
      } else {
        res.destroy();
      }
    }
  }
}

export interface RunningHttpServer {
  server: http.Server;
  port: number;
  /** Stops accepting, lets in-flight requests finish (up to graceMs), then closes. */
  close(graceMs?: number): Promise<void>;
}

export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  port: number,
  host = '127.0.0.1',
): Promise<RunningHttpServer> {
  const server = http.createServer({ keepAliveTimeout: 65_000 }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} is already in use (set another port or stop what holds it)`)
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    port: boundPort,
    close: (graceMs = 5000) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
