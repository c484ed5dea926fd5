// The sandbox provider's delivery reports, posted to a tiny local HTTP server standing
// in for our webhooks (POST /webhooks/email, /sms, /zalo) that checks each signature as
// the real ones do: every accepted message gets its report once, in the wire format,
// signed; a refused post is tried again later; Facebook gets none.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MARKETING_CHANNELS } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { marketingSubgraph } from '../src';
import type { MarketingChannel } from '../src/messages/message.entity';
import { createSandboxProvider } from '../src/sending/sandbox/sandbox.provider';
import { postDueReports } from '../src/sending/sandbox/sandbox.reports';
import type { ReportTargets } from '../src/sending/sandbox/sandbox.reports';

const EMAIL_SECRET = 'e'.repeat(40);
const SMS_SECRET = 's'.repeat(40);
const zalo = { appId: 'app-1', oaId: 'oa-1', oaSecret: 'z'.repeat(32) };

interface Received {
  path: string;
  body: Record<string, unknown>;
}
const received: Received[] = [];
let refuseNext = 0;
let server: Server;
let subgraph: TestSubgraph;
let targets: ReportTargets;

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The receiving side's checks, written from the wire format (not the sandbox's code). */
function signedOk(path: string, headers: Record<string, unknown>, raw: string): boolean {
  if (path === '/webhooks/zalo') {
    const body = JSON.parse(raw);
    const mac = createHash('sha256')
      .update(body.app_id + raw + body.timestamp + zalo.oaSecret)
      .digest('hex');
    const fresh = Math.abs(Date.now() - Number(body.timestamp)) <= 300_000;
    return fresh && same(String(headers['x-zevent-signature']), `mac=${mac}`);
  }
  const secret = path === '/webhooks/email' ? EMAIL_SECRET : SMS_SECRET;
  const timestamp = String(headers['x-timestamp']);
  const mac = createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
  return fresh && same(String(headers['x-signature']), `sha256=${mac}`);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '';
      if (refuseNext > 0) {
        refuseNext -= 1;
        res.writeHead(503).end('busy');
        return;
      }
      if (!signedOk(path, req.headers, raw)) {
        res.writeHead(401).end('bad signature');
        return;
      }
      received.push({ path, body: JSON.parse(raw) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  targets = { baseUrl: base, emailSecret: EMAIL_SECRET, smsSecret: SMS_SECRET, zalo };
  const paused = Object.fromEntries(MARKETING_CHANNELS.map((c) => [c, 0]));
  subgraph = await startTestSubgraph(marketingSubgraph, {
    marketingSending: { sendRates: paused as Record<MarketingChannel, number> },
  });
});
afterAll(async () => {
  await subgraph?.stop();
  await new Promise((resolve) => server.close(resolve));
});

const ws = `m-sbx-${randomUUID().slice(0, 8)}`;
const logger = { debug() {}, info() {}, warn() {}, error() {} } as never;
const later = () => new Date(Date.now() + 60_000);

async function accept(channel: MarketingChannel, addresses: string[]) {
  const sandbox = createSandboxProvider(subgraph.db, channel, { failureRate: 0.3, targets });
  const batch = addresses.map((address) => ({
    messageId: randomUUID(),
    workspaceId: ws,
    address,
    contentSummary: 'Tết',
    templateId: null,
    voucherCode: null,
  }));
  const outcomes = await sandbox.send(batch);
  return { batch, outcomes, sandbox };
}

const fates = async (channel: string) =>
  new Map<string, { outcome: string; reason: string | null; providerId: string }>(
    (
      await subgraph.db.query(
        `SELECT idempotency_key AS key, outcome, reason, provider_message_id AS "providerId"
           FROM sandbox_provider_message WHERE workspace_id = $1 AND channel = $2`,
        [ws, channel],
      )
    ).map((r: { key: string }) => [r.key, r]),
  );

it('posts each email its events once, signed: delivered (then opened, clicked) or bounced', async () => {
  const { batch, outcomes, sandbox } = await accept(
    'EMAIL',
    Array.from({ length: 120 }, (_, i) => `k${i}@example.vn`).concat(['not-an-email']),
  );
  const refused = outcomes.find((o) => 'error' in o);
  expect(refused).toEqual({
    messageId: batch[120].messageId,
    error: { reason: 'INVALID_ADDRESS: not an email address', permanent: true },
  });
  // A second send of the same ids is answered the first acceptance's provider ids.
  const again = await sandbox.send(batch.slice(0, 120));
  const byId = (list: typeof outcomes) =>
    Object.fromEntries(
      list.flatMap((o) => ('providerMessageId' in o ? [[o.messageId, o.providerMessageId]] : [])),
    );
  expect(byId(again)).toEqual(byId(outcomes));

  received.splice(0);
  expect(await postDueReports(subgraph.db, targets, logger, later())).toBe(120);
  expect(await postDueReports(subgraph.db, targets, logger, later())).toBe(0);
  const events = received.flatMap((r) => {
    expect(r.path).toBe('/webhooks/email');
    return (
      r.body as {
        events: { messageId: string; type: string; reason?: string; providerMessageId: string }[];
      }
    ).events;
  });
  const fate = await fates('EMAIL');
  const expected = [...fate].flatMap(([messageId, f]) => {
    const types = {
      FAILED: ['bounced'],
      DELIVERED: ['delivered'],
      OPENED: ['delivered', 'opened'],
      CLICKED: ['delivered', 'opened', 'clicked'],
    }[f.outcome]!;
    return types.map(
      (type) => `${messageId} ${f.providerId} ${type} ${f.outcome === 'FAILED' ? f.reason : ''}`,
    );
  });
  expect(
    events.map((e) => `${e.messageId} ${e.providerMessageId} ${e.type} ${e.reason ?? ''}`).sort(),
  ).toEqual(expected.sort());
  expect(new Set([...fate.values()].map((f) => f.outcome))).toEqual(
    new Set(['DELIVERED', 'OPENED', 'CLICKED', 'FAILED']),
  );
});

it('posts SMS delivery reports, and tries a refused post again later', async () => {
  const { batch } = await accept(
    'SMS',
    Array.from({ length: 30 }, (_, i) => `+849000000${10 + i}`),
  );
  received.splice(0);
  refuseNext = 1;
  expect(await postDueReports(subgraph.db, targets, logger, new Date(Date.now() + 15_000))).toBe(0);
  expect(received).toEqual([]);
  // Not due again at once: 30 s later.
  expect(await postDueReports(subgraph.db, targets, logger, new Date(Date.now() + 20_000))).toBe(0);
  expect(await postDueReports(subgraph.db, targets, logger, new Date(Date.now() + 120_000))).toBe(
    30,
  );
  const reports = received.flatMap(
    (r) => (r.body as { reports: { messageId: string; status: string }[] }).reports,
  );
  const fate = await fates('SMS');
  expect(reports.map((r) => r.messageId).sort()).toEqual(batch.map((m) => m.messageId).sort());
  for (const r of reports) {
    expect(r.status === 'DELIVERED').toBe(fate.get(r.messageId)!.outcome === 'DELIVERED');
  }
});

it('posts Zalo deliveries one signed user_received_message each; nothing for Facebook', async () => {
  const { batch } = await accept(
    'ZNS',
    Array.from({ length: 10 }, (_, i) => `+849100000${10 + i}`),
  );
  await accept('FACEBOOK', ['fb-1', 'fb-2']);
  received.splice(0);
  const delivered = [...(await fates('ZNS'))].filter(([, f]) => f.outcome !== 'FAILED');
  expect(await postDueReports(subgraph.db, targets, logger, later())).toBe(delivered.length);
  expect(received.every((r) => r.path === '/webhooks/zalo')).toBe(true);
  expect(
    received
      .map((r) => (r.body as { message: { tracking_id: string } }).message.tracking_id)
      .sort(),
  ).toEqual(delivered.map(([id]) => id).sort());
  expect(received[0]?.body).toMatchObject({ event_name: 'user_received_message', oa_id: 'oa-1' });
  expect(batch).toHaveLength(10);
  const [{ due }] = await subgraph.db.query(
    `SELECT count(*)::int AS due FROM sandbox_provider_message
      WHERE channel = 'FACEBOOK' AND report_due_at IS NOT NULL`,
  );
  expect(due).toBe(0);
});
