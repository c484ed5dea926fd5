// A stand-in for a subgraph a team does not run (`npm start -- --only <name>`): its
// committed SDL with placeholder answers (mock-resolvers.ts) behind the same signed
// caller context as the real one — a request without the gateway's valid signature for
// this subgraph is refused 401, as the runtime's startSubgraph refuses it. No database,
// no broker: it answers /graphql, /health and /ready, and nothing else (no webhooks).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { execute, parse, validate } from 'graphql';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import {
  HttpError,
  REQUEST_ID_HEADER,
  headerReader,
  listen,
  requestIdFrom,
  runInRequest,
  sendJson,
  verifyIdentity,
} from '@customer-graph/runtime';
import type { Logger } from '@customer-graph/runtime';
import { buildMockSchema, mockFieldResolver } from './mock-resolvers';

/** The largest GraphQL body a mock reads (the gateway's calls are small). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface MockSubgraphOptions {
  name: string;
  port: number;
  host?: string;
  contextSigningSecret: string;
  logger: Logger;
}

export interface RunningMockSubgraph {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`, 'PAYLOAD_TOO_LARGE');
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
}

/** Runs one GraphQL request on the mock schema: the spec's result shape. */
export async function executeMock(
  schema: GraphQLSchema,
  body: { query?: unknown; variables?: unknown; operationName?: unknown },
): Promise<{ data?: unknown; errors?: unknown[] }> {
  if (typeof body.query !== 'string') throw new HttpError(400, 'no query in the body');
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return { errors: [{ message: (error as Error).message }] };
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return { errors: invalid.map((e) => e.toJSON()) };
  const result = await execute({
    schema,
    document,
    variableValues: (body.variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
    fieldResolver: mockFieldResolver,
  });
  return {
    ...(result.data !== undefined && { data: result.data }),
    ...(result.errors && { errors: result.errors.map((e) => e.toJSON()) }),
  };
}

export async function startMockSubgraph(
  options: MockSubgraphOptions,
): Promise<RunningMockSubgraph> {
  const { name, contextSigningSecret, logger } = options;
  const schema = buildMockSchema(name);
  const host = options.host ?? '127.0.0.1';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'GET' && path === '/health') {
      return sendJson(res, 200, { status: 'ok', service: name, mock: true });
    }
    if (method === 'GET' && path === '/ready') {
      return sendJson(res, 200, { service: name, ready: true, mock: true, checks: {} });
    }
    if (path !== '/graphql' || method !== 'POST') {
      throw new HttpError(404, `no route for ${method} ${path} (a mock of ${name})`, 'NOT_FOUND');
    }
    // The runtime's own check: the gateway's signed context, for this subgraph.
    const verified = verifyIdentity(headerReader(req), contextSigningSecret, name);
    if (!verified.ok) {
      throw new HttpError(401, `unauthenticated: ${verified.reason}`, 'UNAUTHENTICATED');
    }
    const body = await readJson(req);
    if (typeof body !== 'object' || body === null)
      throw new HttpError(400, 'the body is not an object');
    sendJson(res, 200, await executeMock(schema, body));
  }

  const http = await listen(
    (req, res) => {
      const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
      res.setHeader(REQUEST_ID_HEADER, requestId);
      void runInRequest({ requestId }, () =>
        handle(req, res).catch((error: unknown) => {
          const status = error instanceof HttpError ? error.status : 500;
          const code = error instanceof HttpError ? error.code : 'INTERNAL_SERVER_ERROR';
          if (status >= 500) logger.error('mock request failed', { service: name, error });
          if (!res.headersSent) {
            sendJson(res, status, {
              errors: [{ message: (error as Error).message, extensions: { code } }],
            });
          } else res.end();
        }),
      );
    },
    options.port,
    host,
  );
  const url = `http://${host}:${http.port}/graphql`;
  logger.info('mock subgraph ready', { service: name, url });
  return { url, port: http.port, stop: () => http.close() };
}
