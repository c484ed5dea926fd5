// marketing's audit entries (docs/audit.md) go through the outbox in the action's
// transaction: a staff consent change appends marketing.audit.recorded with
// the signed request id, ids and kinds; a refused change appends nothing.
import { randomBytes, randomUUID } from 'node:crypto';
import { MARKETING_AUDIT_RECORDED } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { marketingSubgraph } from '../src';

const SET = `mutation($id: ID!, $channel: MarketingChannel!, $out: Boolean!) {
  setChannelConsent(customerId: $id, channel: $channel, optedOut: $out) { optedOut } }`;

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(marketingSubgraph);
});
afterAll(() => subgraph?.stop());

const audited = async (ws: string) =>
  (
    (await subgraph.db.query(
      'SELECT value FROM outbox WHERE workspace_id = $1 AND topic = $2 ORDER BY seq',
      [ws, MARKETING_AUDIT_RECORDED],
    )) as { value: { id: string; key: string; payload: Record<string, unknown> } }[]
  ).map((r) => r.value);

it('appends an audit event with the consent change, and none for a refused one', async () => {
  const ws = `au-${randomBytes(4).toString('hex')}`;
  const editor: Identity = {
    workspaceId: ws,
    userId: 'u-ed',
    role: 'editor',
    requestId: 'rq-consent-1',
  };
  const id = randomUUID();
  const body = await subgraph.query(editor, SET, { id, channel: 'EMAIL', out: true });
  expect(body.errors).toBeUndefined();
  const refused = await subgraph.query(editor, SET, {
    id: 'not-an-id',
    channel: 'EMAIL',
    out: true,
  });
  expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const events = await audited(ws);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    key: id,
    payload: {
      action: 'CHANNEL_CONSENT_CHANGED',
      actorUserId: 'u-ed',
      actorRole: 'editor',
      targetType: 'Customer',
      targetIds: [id],
      requestId: 'rq-consent-1',
      detail: { channel: 'EMAIL', optedOut: true },
    },
  });
});
