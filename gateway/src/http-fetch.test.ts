import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeadlineError, httpFetch, mutates } from './http-fetch';

let server: http.Server;
let origin: string;
/** Requests seen per socket: the second on one socket is cut off, as an idle close would. */
const seen = new WeakMap<object, number>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const n = (seen.get(req.socket) ?? 0) + 1;
    seen.set(req.socket, n);
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/cut' && n > 1) return req.socket.destroy();
      if (req.url === '/slow') return setTimeout(() => res.end('{}'), 500);
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Seen': String(n) });
      res.end(JSON.stringify({ echo: JSON.parse(body), header: req.headers['x-cg-test'] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

it('posts the body with its headers and reads the whole answer', async () => {
  const post = httpFetch(origin);
  const answer = await post(
    `${origin}/graphql`,
    { headers: { 'content-type': 'application/json', 'x-cg-test': 'yes' }, body: '{"a":1}' },
    1_000,
  );
  expect(answer).toMatchObject({ ok: true, status: 201 });
  expect(answer.headers.get('Content-Type')).toBe('application/json');
  expect(answer.headers.get('x-missing')).toBeNull();
  expect(await answer.json()).toEqual({ echo: { a: 1 }, header: 'yes' });
  expect(await answer.clone().text()).toBe('{"echo":{"a":1},"header":"yes"}');
});

it('keeps the socket alive between calls', async () => {
  const post = httpFetch(origin);
  const init = { headers: {}, body: '{}' };
  await post(`${origin}/x`, init, 1_000);
  const second = await post(`${origin}/x`, init, 1_000);
  expect(second.headers.get('x-seen')).toBe('2');
});

it('sends a query again, once, when the kept-alive socket was closed under it', async () => {
  const post = httpFetch(origin);
  const init = { headers: {}, body: JSON.stringify({ query: '{ customers { id } }' }) };
  await post(`${origin}/cut`, init, 1_000);
  const again = await post(`${origin}/cut`, init, 1_000);
  expect(again.headers.get('x-seen')).toBe('1'); // answered on a fresh socket
});

it('never sends a mutation twice: the reset is the caller’s to see', async () => {
  const post = httpFetch(origin);
  const init = { headers: {}, body: JSON.stringify({ query: 'mutation { m }' }) };
  await post(`${origin}/cut`, init, 1_000);
  await expect(post(`${origin}/cut`, init, 1_000)).rejects.toMatchObject({ code: 'ECONNRESET' });
});

it('gives up at the deadline', async () => {
  const post = httpFetch(origin);
  await expect(post(`${origin}/slow`, { headers: {}, body: '{}' }, 50)).rejects.toBeInstanceOf(
    DeadlineError,
  );
});

it('tells a mutation from a query in any body, the gateway’s own read without parsing', () => {
  const body = (query: unknown, rest: object = {}) => JSON.stringify({ query, ...rest });
  const cases: [string | undefined, boolean][] = [
    [undefined, false],
    [body('query Q { a }', { variables: { first: 5 } }), false],
    [body('{ a }'), false],
    [body('mutation M { a }'), true],
    [body('\n\t  mutation { a }'), true],
    [body('\u000b\ufeff mutation{ a }'), true],
    [body('mutations { a }'), false],
    [body(' query { mutation }'), false],
    [body('query { a }', { variables: { query: 'mutation' } }), false],
    [body('mutation { a }', { variables: { note: '"query":"x"' } }), true],
    [JSON.stringify({ variables: {}, query: 'mutation { a }' }), true],
    [JSON.stringify({ variables: {}, query: 'query { a }' }), false],
    [body(42), true],
    ['not json', true],
  ];
  for (const [text, expected] of cases) {
    // The same as parsing the body and reading its query.
    let parsed = true;
    try {
      const { query } = text === undefined ? { query: '' } : JSON.parse(text);
      parsed = text !== undefined && (typeof query !== 'string' || /^\s*mutation\b/.test(query));
    } catch {
      parsed = true;
    }
    expect([text, mutates(text)]).toEqual([text, expected]);
    expect(parsed).toBe(expected);
  }
});
