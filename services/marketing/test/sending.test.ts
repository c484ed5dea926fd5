// The sender and the sandbox provider on real Postgres: a split part of 10,000 (100
// RESTRICTED and 50 opted out left out by contacts, simulated by its events) sent with
// the sender killed halfway and restarted — one message per member, one acceptance per
// message id; the pace per channel; temporary and permanent refusals.
import { randomUUID } from 'node:crypto';
import {
  AUDIENCE_MEMBERS,
  AUDIENCE_RESOLVED,
  MARKETING_CHANNELS,
  createEvent,
} from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { marketingSubgraph } from '../src';
import { campaignsModule } from '../src/campaigns/campaigns.module';
import type { MarketingChannel } from '../src/messages/message.entity';
import type { ChannelProvider, OutgoingMessage, SendOutcome } from '../src/sending/provider.port';
import { createSandboxProvider } from '../src/sending/sandbox/sandbox.provider';
import { startChannelSender } from '../src/sending/sender.worker';
import { MAX_SEND_ATTEMPTS } from '../src/sending/sender.store';

const paused = Object.fromEntries(MARKETING_CHANNELS.map((c) => [c, 0])) as Record<
  MarketingChannel,
  number
>;
let subgraph: TestSubgraph;
beforeAll(async () => {
  // The module's own senders are paused: each test runs the sender it needs.
  subgraph = await startTestSubgraph(marketingSubgraph, {
    marketingSending: { sendRates: paused },
  });
});
afterAll(() => subgraph?.stop());

const ws = `m-send-${randomUUID().slice(0, 8)}`;
const editor: Identity = { workspaceId: ws, userId: 'e1', role: 'editor' };
const noReports = { baseUrl: 'http://127.0.0.1:9' };
const warnings: string[] = [];
const logger = {
  debug() {},
  info() {},
  warn: (message: string, fields: { error?: string }) =>
    warnings.push(`${message}: ${fields.error}`),
  error() {},
} as never;
beforeEach(() => warnings.splice(0));

function addressOf(channel: MarketingChannel, i: number): string {
  if (channel === 'SMS' || channel === 'ZNS') return `+8490${String(1_000_000 + i).slice(1)}`;
  if (channel === 'EMAIL') return `k${i}@example.vn`;
  return `fb-${i}`;
}

/** A started campaign whose audience (`count` members in batches of 1,000) has arrived. */
async function startedCampaign(
  channel: MarketingChannel,
  count: number,
  excluded = { restricted: 0, optedOut: 0, noAddress: 0 },
  part: number | null = null,
): Promise<string> {
  const created = await subgraph.query(
    editor,
    `mutation($input: CampaignInput!) { createCampaign(input: $input) { id } }`,
    {
      input: {
        name: `${channel} ${count}`,
        channel,
        audience: part ? { listId: randomUUID(), splitParts: 3, part } : { listId: randomUUID() },
      },
    },
  );
  const id: string = created.data!.createCampaign.id;
  await subgraph.query(editor, `mutation($id: ID!) { startCampaign(id: $id) { id } }`, { id });
  const events = [];
  for (let batch = 1, from = 0; from < count; batch++, from += 1000) {
    events.push(
      createEvent({
        type: AUDIENCE_MEMBERS,
        workspaceId: ws,
        key: id,
        payload: {
          campaignId: id,
          batch,
          members: Array.from({ length: Math.min(1000, count - from) }, (_, i) => ({
            customerId: randomUUID(),
            address: addressOf(channel, from + i),
            part,
          })),
        },
      }),
    );
  }
  events.push(
    createEvent({
      type: AUDIENCE_RESOLVED,
      workspaceId: ws,
      key: id,
      payload: { campaignId: id, batches: events.length, members: count, excluded, refused: null },
    }),
  );
  await applyEvents(subgraph.db, campaignsModule, ...events);
  return id;
}

const statusOf = async (id: string): Promise<string> =>
  (await subgraph.db.query('SELECT status FROM campaign WHERE id = $1', [id]))[0].status;

/** Waits (polling, no timed assertion) until the campaign has left SENDING. */
async function finished(id: string): Promise<string> {
  for (let poll = 0; poll < 600; poll++) {
    const status = await statusOf(id);
    if (status !== 'SENDING') return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`campaign ${id} still SENDING; warnings: ${warnings.slice(0, 3).join('; ')}`);
}

it('sends a split part of 10,000 once per member though the sender dies halfway', async () => {
  const id = await startedCampaign(
    'SMS',
    9_850,
    { restricted: 100, optedOut: 50, noAddress: 0 },
    2,
  );
  const sandbox = createSandboxProvider(subgraph.db, 'SMS', {
    failureRate: 0.05,
    targets: noReports,
  });
  // Call 40: the provider accepts the batch, then the process dies before the answer is
  // stored; from then on nothing is accepted (the calls in flight when it died).
  let calls = 0;
  const lostAnswers = new Set<string>();
  let died!: () => void;
  const dead = new Promise<void>((resolve) => (died = resolve));
  const dying: ChannelProvider = {
    channel: 'SMS',
    async send(batch) {
      calls += 1;
      if (calls < 40) return sandbox.send(batch);
      if (calls === 40) {
        await sandbox.send(batch);
        batch.forEach((m) => lostAnswers.add(m.messageId));
        died();
      }
      throw new Error('killed');
    },
  };
  const first = startChannelSender(subgraph.db, dying, logger, { rate: 5_000, idlePollMs: 20 });
  await dead;
  await first.stop();
  const [left] = await subgraph.db.query(
    `SELECT count(*) FILTER (WHERE send_state = 'SENDING')::int AS sending,
            count(*) FILTER (WHERE send_state = 'PENDING')::int AS pending
       FROM marketing_message WHERE campaign_id = $1`,
    [id],
  );
  expect(left.sending).toBeGreaterThanOrEqual(100);
  expect(left.pending).toBeGreaterThan(0);

  // The restarted sender takes what was left SENDING again (lease 0: the first is gone).
  const resent = new Set<string>();
  const watching: ChannelProvider = {
    channel: 'SMS',
    send: (batch: OutgoingMessage[]): Promise<SendOutcome[]> => {
      batch.forEach((m) => lostAnswers.has(m.messageId) && resent.add(m.messageId));
      return sandbox.send(batch);
    },
  };
  const second = startChannelSender(subgraph.db, watching, logger, {
    rate: 5_000,
    leaseMs: 0,
    idlePollMs: 20,
  });
  expect(await finished(id)).toBe('SENT');
  await second.stop();
  expect(resent).toEqual(lostAnswers);

  const [messages] = await subgraph.db.query(
    `SELECT count(*)::int AS n, count(DISTINCT customer_id)::int AS customers,
            count(*) FILTER (WHERE status = 'SENT' AND send_state = 'DONE')::int AS sent,
            bool_and(split_part = 2) AS "inPart"
       FROM marketing_message WHERE campaign_id = $1`,
    [id],
  );
  expect(messages).toEqual({ n: 9_850, customers: 9_850, sent: 9_850, inPart: true });
  // The sandbox accepted each message once, and every message holds that acceptance's id.
  await subgraph.db.query('ANALYZE sandbox_provider_message, marketing_message');
  const [accepted] = await subgraph.db.query(
    `SELECT count(*)::int AS n,
            count(*) FILTER (WHERE s.provider_message_id = m.provider_message_id)::int AS same
       FROM sandbox_provider_message s
       JOIN marketing_message m ON m.id::text = s.idempotency_key AND m.campaign_id = $1
      WHERE s.channel = 'SMS' AND s.workspace_id = $2`,
    [id, ws],
  );
  expect(accepted).toEqual({ n: 9_850, same: 9_850 });
  const [{ total }] = await subgraph.db.query(
    `SELECT count(*)::int AS total FROM sandbox_provider_message WHERE workspace_id = $1 AND channel = 'SMS'`,
    [ws],
  );
  expect(total).toBe(9_850);
  const count = await subgraph.query(
    editor,
    `query($id: ID!) { campaign(id: $id) { audienceCount { members restricted optedOut }
      stats { total sent byPart { part total } } } }`,
    { id },
  );
  expect(count.data!.campaign).toEqual({
    audienceCount: { members: 9_850, restricted: 100, optedOut: 50 },
    stats: { total: 9_850, sent: 9_850, byPart: [{ part: 2, total: 9_850 }] },
  });
});

it('hands a channel no more than its rate in any one second', async () => {
  const rate = 40;
  const id = await startedCampaign('ZNS', 130);
  const sandbox = createSandboxProvider(subgraph.db, 'ZNS', { failureRate: 0, targets: noReports });
  const sender = startChannelSender(subgraph.db, sandbox, logger, { rate, idlePollMs: 20 });
  expect(await finished(id)).toBe('SENT');
  await sender.stop();
  const times: number[] = (
    await subgraph.db.query(
      'SELECT sent_at FROM marketing_message WHERE campaign_id = $1 ORDER BY sent_at',
      [id],
    )
  ).map((r: { sent_at: Date }) => r.sent_at.getTime());
  expect(times).toHaveLength(130);
  // The busiest second (any window [t, t + 1 s) starting at a send) holds at most `rate`.
  const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
  expect(busiest).toBe(rate);
  expect(warnings).toEqual([]);
});

it('retries a temporary refusal up to the limit and fails a permanent one at once', async () => {
  const id = await startedCampaign('FACEBOOK', 6);
  const rows: { id: string; address: string }[] = await subgraph.db.query(
    'SELECT id, address FROM marketing_message WHERE campaign_id = $1',
    [id],
  );
  const calls = new Map<string, number>();
  const flaky: ChannelProvider = {
    channel: 'FACEBOOK',
    async send(batch) {
      return batch.map((m) => {
        const n = (calls.get(m.address) ?? 0) + 1;
        calls.set(m.address, n);
        if (m.address === 'fb-0')
          return {
            messageId: m.messageId,
            error: { reason: '(#551) user unavailable', permanent: true },
          };
        if (m.address === 'fb-1' || n === 1) {
          return {
            messageId: m.messageId,
            error: { reason: '(#613) rate limited', permanent: false },
          };
        }
        return { messageId: m.messageId, providerMessageId: `fb-msg-${m.address}` };
      });
    },
  };
  const sender = startChannelSender(subgraph.db, flaky, logger, { rate: 1_000, idlePollMs: 20 });
  expect(await finished(id)).toBe('SENT');
  await sender.stop();
  const after: Record<string, { status: string; reason: string | null; attempts: number }> =
    Object.fromEntries(
      (
        await subgraph.db.query(
          `SELECT address, status, failure_reason AS reason, attempts FROM marketing_message
            WHERE campaign_id = $1`,
          [id],
        )
      ).map((r: { address: string }) => [r.address, { ...r, address: undefined }]),
    );
  expect(after['fb-0']).toMatchObject({
    status: 'FAILED',
    reason: '(#551) user unavailable',
    attempts: 1,
  });
  expect(after['fb-1']).toMatchObject({
    status: 'FAILED',
    reason: '(#613) rate limited',
    attempts: MAX_SEND_ATTEMPTS,
  });
  for (const address of ['fb-2', 'fb-3', 'fb-4', 'fb-5']) {
    expect(after[address]).toMatchObject({ status: 'SENT', reason: null, attempts: 2 });
  }
  expect(rows).toHaveLength(6);
  expect(warnings).toEqual([]);
});
