import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { createHttpHandler, HttpError, listen } from './http';
import type { RunningHttpServer } from './http';
import { createLogger } from './logger';

let server: RunningHttpServer;
let origin: string;
let apollo: ApolloServer<{ who: string }>;
const bodies: { path: string; body: string }[] = [];

beforeAll(async () => {
  apollo = new ApolloServer<{ who: string }>({
    typeDefs: 'type Query { hello(name: String): String, who: String }',
    resolvers: {
      Query: {
        hello: (_: unknown, { name }: { name?: string }) => `hello ${name ?? 'you'}`,
        who: (_: unknown, __: unknown, { who }: { who: string }) => who,
      },
    },
  });
  await apollo.start();
  const handler = createHttpHandler<{ who: string }>({
    apollo,
    logger: createLogger('error', () => {}),
    maxBodyBytes: 1000,
    maxGraphqlBodyBytes: 2000,
    context: async (headers) => {
      if (headers.get('authorization') !== 'yes') throw new HttpError(401, 'no', 'UNAUTHENTICATED');
      return { who: headers.get('x-who') ?? 'nobody' };
    },
    routes: {
      'GET /health': (_req, res) => res.end('ok'),
      'POST /hooks/*': (req, res, body) => {
        bodies.push({ path: req.url!, body: body.toString() });
        res.end(`read ${body.length}`);
      },
    },
  });
  server = await listen(handler, 0);
  origin = `http://127.0.0.1:${server.port}`;
});
beforeEach(() => (bodies.length = 0));
afterAll(async () => {
  await server.close(100);
  await apollo.stop();
});

function request(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = http.request(`${origin}${path}`, { method, headers, agent: false });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    },
  );
}

const graphql = (body: object, headers: Record<string, string> = {}) =>
  request(
    'POST',
    '/graphql',
    { 'content-type': 'application/json', authorization: 'yes', ...headers },
    JSON.stringify(body),
  );

it('answers GraphQL over POST, with the context the caller’s headers make', async () => {
  const res = await graphql({ query: '{ who hello(name: "x") }' }, { 'x-who': 'ann' });
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body)).toEqual({ data: { who: 'ann', hello: 'hello x' } });
  expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

it('answers GraphQL over GET from the query string', async () => {
  const res = await request('GET', `/graphql?query=${encodeURIComponent('{ hello }')}`, {
    authorization: 'yes',
    'apollo-require-preflight': 'true',
  });
  expect(JSON.parse(res.body)).toEqual({ data: { hello: 'hello you' } });
});

it('reads a route’s body whole, in one chunk or many, or none', async () => {
  const big = 'x'.repeat(900);
  expect((await request('POST', '/hooks/a', {}, big)).body).toBe('read 900');
  expect((await request('POST', '/hooks/b', {})).body).toBe('read 0');
  expect(bodies).toEqual([
    { path: '/hooks/a', body: big },
    { path: '/hooks/b', body: '' },
  ]);
});

it('refuses a body over the limit with 413 and closes the connection', async () => {
  const res = await request('POST', '/hooks/a', {}, 'x'.repeat(5_000));
  expect(res.status).toBe(413);
  expect(res.headers.connection).toBe('close');
  expect(JSON.parse(res.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  expect(bodies).toEqual([]);
  const graphqlTooBig = await graphql({ query: `{ hello(name: "${'y'.repeat(3_000)}") }` });
  expect(graphqlTooBig.status).toBe(413);
});

it('refuses an unidentified GraphQL caller before reading the body', async () => {
  const res = await graphql({ query: '{ hello }' }, { authorization: 'no' });
  expect(res.status).toBe(401);
});

it('routes by the path as URL reads it: dots and escapes resolved, the query string apart', async () => {
  expect((await request('GET', '/health')).body).toBe('ok');
  expect((await request('GET', '/x/../health')).body).toBe('ok');
  expect((await request('GET', '/%68ealth')).status).toBe(404);
  expect((await request('GET', '/health?verbose=1')).body).toBe('ok');
  expect((await request('GET', '/nowhere')).status).toBe(404);
  // '//x/health' is host x and path /health to URL, with or without a query string.
  expect((await request('GET', '//x/health')).body).toBe('ok');
  expect((await request('GET', '//x/health?verbose=1')).body).toBe('ok');
});
