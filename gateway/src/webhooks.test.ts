import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@customer-graph/runtime';
import { webhookForwarder } from './webhooks';

/** The owner (a subgraph): records what reached it and answers as told. */
let owner: http.Server;
let ownerUrl: string;
const received: { url?: string; headers: http.IncomingHttpHeaders; body: Buffer; port: number }[] =
  [];

const CUT = '{"cut":true}';

/** The gateway side: the forwarder as a route, with the body read as the HTTP layer does. */
let gateway: http.Server;
let gatewayOrigin: string;

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  owner = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({
        url: req.url,
        headers: req.headers,
        body,
        port: req.socket.remotePort!,
      });
      // The owner dies with the webhook received but unanswered (was it applied?).
      if (body.toString() === CUT) {
        req.socket.destroy();
        return;
      }
      if (req.url === '/webhooks/shopee') {
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end('no');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end('{"ok":true}');
    });
  });
  ownerUrl = `${await listen(owner)}/graphql`;
  const forward = webhookForwarder(
    { followers: ownerUrl, 'orders-loyalty': ownerUrl, marketing: 'http://127.0.0.1:1/graphql' },
    createLogger('error'),
  );
  gateway = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void forward(req, res, Buffer.concat(chunks)));
  });
  gatewayOrigin = await listen(gateway);
});
beforeEach(() => (received.length = 0));
afterAll(async () => {
  for (const server of [owner, gateway]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function post(path: string, headers: Record<string, string>, body: Buffer) {
  return new Promise<{ status: number; type?: string; body: string }>((resolve, reject) => {
    const req = http.request(`${gatewayOrigin}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(body.length) },
      agent: false,
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, type: res.headers['content-type'], body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

it('forwards the body byte for byte with the sender’s own headers only, and answers with the owner’s', async () => {
  // Not valid UTF-8: a signature over these bytes must still hold at the owner.
  const body = Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x7d]);
  const answer = await post(
    '/webhooks/zalo',
    {
      'content-type': 'application/json',
      'x-zevent-signature': 'mac=abc',
      authorization: 'Bearer forged',
      cookie: 'a=1',
      'x-cg-context': 'forged',
      te: 'trailers',
      connection: 'x-hop',
      'x-hop': '1',
      'proxy-authorization': 'Basic forged',
      upgrade: 'h2c',
      expect: '100-continue',
    },
    body,
  );
  expect(answer).toEqual({
    status: 200,
    type: 'application/json; charset=utf-8',
    body: '{"ok":true}',
  });
  expect(received).toHaveLength(1);
  const [got] = received;
  expect(got.url).toBe('/webhooks/zalo');
  expect(got.body.equals(body)).toBe(true);
  expect(got.headers['content-length']).toBe(String(body.length));
  expect(got.headers['x-zevent-signature']).toBe('mac=abc');
  for (const name of [
    'authorization',
    'cookie',
    'x-cg-context',
    'te',
    'x-hop',
    'proxy-authorization',
    'upgrade',
    'expect',
  ]) {
    expect(got.headers[name]).toBeUndefined();
  }
  // The owner's own host, not the sender's.
  expect(got.headers.host).toBe(new URL(ownerUrl).host);
});

it('passes on the signature header a source names (Shopee’s Authorization), and the owner’s refusal', async () => {
  const answer = await post(
    '/webhooks/shopee',
    { 'content-type': 'application/json', authorization: 'shopee-hmac' },
    Buffer.from('{}'),
  );
  expect(answer).toEqual({ status: 401, type: 'text/plain', body: 'no' });
  expect(received[0].headers.authorization).toBe('shopee-hmac');
});

it('keeps its sockets to an owner alive between webhooks', async () => {
  for (let i = 0; i < 3; i++) await post('/webhooks/zalo', {}, Buffer.from(`{"n":${i}}`));
  expect(received).toHaveLength(3);
  expect(new Set(received.map((r) => r.port)).size).toBe(1);
});

it('answers 502 when the owner cannot be reached, and 404 for a source nobody owns', async () => {
  expect((await post('/webhooks/sms', {}, Buffer.from('{}'))).status).toBe(502);
  expect((await post('/webhooks/nobody', {}, Buffer.from('{}'))).status).toBe(404);
  expect((await post('/webhooks/calls', {}, Buffer.from('{}'))).status).toBe(404);
  expect(received).toHaveLength(0);
});

it('never sends a webhook twice: the owner cut off before answering is 502, and got it once', async () => {
  // A kept-alive socket first, as in steady traffic.
  await post('/webhooks/zalo', {}, Buffer.from('{"n":1}'));
  const answer = await post('/webhooks/zalo', {}, Buffer.from(CUT));
  expect(answer.status).toBe(502);
  // The owner may have applied it: the sender, answered 502, is the one to send again.
  expect(received.filter((r) => r.body.toString() === CUT)).toHaveLength(1);
});
