// The audit trail end to end (docs/audit.md): a caller's x-request-id goes through the
// gateway (answered in the response header), into the signed context and onto
// contacts' entry; an OA connected in followers reaches contacts' auditLog through the
// real broker with that request's id; a request id that is not sane is replaced; the
// gateway's own routes and forwarded webhooks answer with one too.
import { randomBytes } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import { eventually } from './webhooks';
import type { TestStack } from './stack';

const ws = `audit-e2e-${randomBytes(3).toString('hex')}`;
const admin: Identity = { workspaceId: ws, userId: 'owner-1', role: 'admin' };
const editor: Identity = { workspaceId: ws, userId: 'editor-1', role: 'editor' };

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);
afterAll(() => stack?.stop());

const LOG = `query($f: AuditLogFilter) { auditLog(filter: $f, first: 20) {
  edges { node { action actorUserId targetType targetIds requestId service detail } } } }`;

interface Entry {
  action: string;
  actorUserId: string;
  targetType: string;
  targetIds: string[];
  requestId: string | null;
  service: string;
  detail: Record<string, unknown>;
}

async function post(identity: Identity, query: string, variables: object, requestId?: string) {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await stack.token(identity)}`,
      ...(requestId && { 'x-request-id': requestId }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { requestId: res.headers.get('x-request-id'), data: body.data! };
}

async function auditLog(filter: object): Promise<Entry[]> {
  const { data } = await post(admin, LOG, { f: filter });
  return data.auditLog.edges.map((e: { node: Entry }) => e.node);
}

it("carries the caller's request id from the gateway to contacts' audit entry", async () => {
  const created = await post(
    editor,
    'mutation($i: CustomerInput!) { createCustomer(input: $i) { id } }',
    { i: { name: 'Phạm Minh Châu', phone: '0977 000 111' } },
    'client-req-0001',
  );
  expect(created.requestId).toBe('client-req-0001');
  const [entry] = await auditLog({ actions: ['CUSTOMER_CREATED'] });
  expect(entry).toEqual({
    action: 'CUSTOMER_CREATED',
    actorUserId: 'editor-1',
    targetType: 'Customer',
    targetIds: [created.data.createCustomer.id],
    requestId: 'client-req-0001',
    service: 'contacts',
    detail: {},
  });
});

it("brings an OA connected in followers into contacts' auditLog through the broker", async () => {
  const oaId = `oa${randomBytes(4).toString('hex')}`;
  const connected = await post(
    admin,
    'mutation($o: String!) { connectZaloOA(oaId: $o, appId: "app-audit", secretKey: "secret-audit-1") { oaId } }',
    { o: oaId },
    'bad id with spaces',
  );
  // Not a sane id: the gateway made one, and that is the one the entry carries.
  expect(connected.requestId).toMatch(/^[0-9a-f-]{36}$/);
  const entries = await eventually(
    () => auditLog({ actions: ['ZALO_OA_CONNECTED'], targetId: oaId }),
    (found) => found.length > 0,
  );
  expect(entries).toEqual([
    {
      action: 'ZALO_OA_CONNECTED',
      actorUserId: 'owner-1',
      targetType: 'ZaloOA',
      targetIds: [oaId],
      requestId: connected.requestId,
      service: 'followers',
      detail: { status: 'PENDING' },
    },
  ]);
  // The OA's secret is not in it.
  const rows: { t: string }[] = await stack
    .db('contacts')
    .query('SELECT a::text AS t FROM audit_entry a WHERE a.workspace_id = $1', [ws]);
  expect(rows.map((r) => r.t).join('\n')).not.toContain('secret-audit-1');
});

it('refuses auditLog to an editor through the gateway', async () => {
  const res = await stack.query(await stack.token(editor), LOG, {});
  expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

it("answers the gateway's own routes and forwarded webhooks with a request id", async () => {
  const origin = stack.gateway.url.replace('/graphql', '');
  const health = await fetch(`${origin}/health`, { headers: { 'x-request-id': 'probe-0000001' } });
  expect(health.headers.get('x-request-id')).toBe('probe-0000001');
  const webhook = await fetch(`${origin}/webhooks/zalo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'hook-00000001' },
    body: '{}',
  });
  // Unsigned, so refused by followers; still answered under the request's id.
  expect(webhook.status).toBeGreaterThanOrEqual(400);
  expect(webhook.headers.get('x-request-id')).toBe('hook-00000001');
});
