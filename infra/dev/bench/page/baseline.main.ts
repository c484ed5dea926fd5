// The baseline process (started by baseline.ts): POST /graphql with a bearer token and
// one of the two committed page operations; the token verified as the gateway does,
// the operation answered from its plan (baseline.plan.ts, baseline.run.ts) over the
// subgraph modules in this process. Any other document is refused: the baseline is
// not a GraphQL server, only the floor of these two pages.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Kind, parse, print } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import {
  HttpError,
  REQUEST_ID_HEADER,
  listen,
  readRepoFile,
  requestIdFrom,
  runInRequest,
  sendJson,
} from '@customer-graph/runtime';
import type { BaselineOptions } from './baseline';
import { planOperation } from './baseline.plan';
import type { OperationPlan } from './baseline.plan';
import { BadRequest, coerceVariables, runPlan } from './baseline.run';
import { openSubgraphs } from './baseline.subgraphs';
import { authenticator } from './peer-auth';
import { PEER_READY_LINE, peerOptions, stopOnSignals } from './peer-process';

/** The operations served, from the files the frontends send. */
const OPERATIONS = [
  'schema/operations/frontend/customer-list.graphql',
  'schema/operations/frontend/customer-detail.graphql',
];

const MAX_BODY_BYTES = 1024 * 1024;

function error(res: ServerResponse, status: number, message: string, code: string) {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest('request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new BadRequest('request body is not valid JSON');
  }
}

async function main(): Promise<void> {
  const options = peerOptions<BaselineOptions>();
  const authenticate = authenticator(options.jwtSecret);
  const subgraphs = await openSubgraphs(options.postgresPort);
  const plans = new Map<string, OperationPlan>();
  const printed = new Map<string, string>();
  for (const file of OPERATIONS) {
    const document = parse(readRepoFile(file));
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )!;
    const plan = planOperation(subgraphs.schemas, 'contacts', operation);
    plans.set(plan.name, plan);
    printed.set(plan.name, print(document));
  }
  // A query text seen once is known: the load client sends the same text each time.
  const known = new Map<string, OperationPlan>();
  const planOf = (query: unknown, operationName: unknown): OperationPlan => {
    const hit = typeof query === 'string' ? known.get(query) : undefined;
    if (hit) return hit;
    const plan = typeof operationName === 'string' ? plans.get(operationName) : undefined;
    if (!plan || typeof query !== 'string' || print(parse(query)) !== printed.get(plan.name)) {
      throw new BadRequest(`the baseline serves only ${[...plans.keys()].join(' and ')}`);
    }
    known.set(query, plan);
    return plan;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== '/graphql') {
        return error(res, 404, 'POST /graphql only', 'NOT_FOUND');
      }
      const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
      res.setHeader(REQUEST_ID_HEADER, requestId);
      await runInRequest({ requestId }, async () => {
        const identity = await authenticate(req.headers.authorization, requestId);
        const body = await readJson(req);
        const plan = planOf(body.query, body.operationName);
        const schema = subgraphs.schemas[plan.subgraph];
        const variables = coerceVariables(schema, plan, body.variables as never);
        const data = await runPlan(plan, await subgraphs.contexts(identity), variables);
        sendJson(res, 200, { data });
      });
    } catch (caught) {
      if (caught instanceof HttpError && caught.status === 401) {
        return error(res, 401, caught.message, 'UNAUTHENTICATED');
      }
      if (caught instanceof BadRequest) return error(res, 400, caught.message, 'BAD_REQUEST');
      const { message, extensions } = caught as { message: string; extensions?: { code?: string } };
      // A resolver's GraphQL error (bad input, access) as the gateway would put it.
      return sendJson(res, 200, {
        data: null,
        errors: [{ message, extensions: { code: extensions?.code ?? 'INTERNAL_SERVER_ERROR' } }],
      });
    }
  };
  const http = await listen((req, res) => void handle(req, res), options.port);
  stopOnSignals(async () => {
    await http.close();
    await subgraphs.close();
  });
  console.log(`${PEER_READY_LINE} (baseline)`);
}

main().catch((error) => {
  process.stderr.write(`baseline peer: ${(error as Error).stack}\n`);
  process.exit(1);
});
