import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { deadlineFetch } from './subgraph-source';

let server: http.Server;
let url: string;
const received: { body: string; headers: http.IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ body, headers: req.headers });
      // Answers after 100 ms, so that calls made together are in flight together.
      setTimeout(() => res.end(JSON.stringify({ data: { n: received.length } })), 100);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
beforeEach(() => (received.length = 0));
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

type Call = (
  url: string,
  init: { headers: Record<string, string>; body?: string },
) => Promise<{ json(): Promise<unknown> }>;

const fetcher = () => deadlineFetch('contacts', url) as unknown as Call;
const read = JSON.stringify({ query: 'query { customers { id } }', variables: { first: 20 } });
const write = JSON.stringify({ query: 'mutation { deleteCustomer(id: "x") }' });
const init = (caller: string, body: string) => ({
  headers: {
    'x-cg-gateway-deadline-ms': '2000',
    'x-cg-gateway-caller': caller,
    'x-cg-context': `signed for ${caller}`,
  },
  body,
});
const alice = JSON.stringify(['ws-1', 'alice', 'editor']);
const bob = JSON.stringify(['ws-1', 'bob', 'editor']);
const aliceElsewhere = JSON.stringify(['ws-2', 'alice', 'editor']);

it('sends identical reads in flight together for one caller once; each gets its own copy', async () => {
  const call = fetcher();
  const answers = await Promise.all([1, 2, 3].map(() => call(url, init(alice, read))));
  expect(received).toHaveLength(1);
  const bodies = await Promise.all(answers.map((a) => a.json()));
  expect(bodies).toEqual([1, 2, 3].map(() => ({ data: { n: 1 } })));
  expect(bodies[0]).not.toBe(bodies[1]);
  // The gateway's own headers never reach the subgraph; the signed context does.
  expect(received[0].headers['x-cg-gateway-caller']).toBeUndefined();
  expect(received[0].headers['x-cg-gateway-deadline-ms']).toBeUndefined();
  expect(received[0].headers['x-cg-context']).toBe(`signed for ${alice}`);
});

it('never merges across users or workspaces, other documents, or mutations', async () => {
  const call = fetcher();
  await Promise.all([
    call(url, init(alice, read)),
    call(url, init(bob, read)),
    call(url, init(aliceElsewhere, read)),
    call(url, init(alice, read.replace('20', '21'))),
  ]);
  expect(received).toHaveLength(4);
  received.length = 0;
  await Promise.all([call(url, init(alice, write)), call(url, init(alice, write))]);
  expect(received).toHaveLength(2);
});

it('keeps nothing once answered: the same read later is sent again', async () => {
  const call = fetcher();
  await call(url, init(alice, read));
  await call(url, init(alice, read));
  expect(received).toHaveLength(2);
});
