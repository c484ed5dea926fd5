// Vouchers against a real Postgres: campaigns, issuing with limits, codes unique
// without regard to case, orders using codes (one use even when two orders race for
// it, given back on cancellation, refused with a reason), the customer's tab by
// status, what staff and another workspace see, and bad input naming the field.
import { randomBytes, randomUUID } from 'node:crypto';
import { CUSTOMER_MERGED, CUSTOMER_PHONES_CHANGED, createEvent } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents } from '@customer-graph/runtime/testing';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { GraphQLBody, TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';
import { applyShopeeStatus } from '../src/shops/shopee.ingest';
import { applyVouchers } from '../src/vouchers/voucher.apply';

const ws = `vouchers-${randomUUID().slice(0, 8)}`;
const other = `vouchers-other-${randomUUID().slice(0, 8)}`;
const editor: Identity = { workspaceId: ws, userId: 'e1', role: 'editor' };
const sam: Identity = { workspaceId: ws, userId: 'sam', role: 'staff' };
const otherAdmin: Identity = { workspaceId: other, userId: 'o1', role: 'admin' };
const [A, B] = [randomUUID(), randomUUID()];
const DAY = 86_400_000;

const CREATE = `mutation($i: VoucherCampaignInput!) { createVoucherCampaign(input: $i) {
  id detail issuedCount } }`;
const ISSUE = `mutation($c: ID!, $ids: [ID!]!, $codes: [String!], $note: String) {
  issueVouchers(campaignId: $c, customerIds: $ids, codes: $codes, note: $note) { id code } }`;
const UPSERT = `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { rejected { field } } }`;
const TAB = `query($r: [_Any!]!, $status: VoucherStatus) { _entities(representations: $r) {
  ... on Customer { id vouchers(status: $status) { totalCount edges { node {
    code detail status issuedAt expiresAt usedAt note usedBy { code } } } } } } }`;

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
  await subgraph.db.query(
    `INSERT INTO customer_access (workspace_id, customer_id, assigned_staff, deleted, occurred_at)
     VALUES ($1, $2, 'sam', false, now()), ($1, $3, 'kim', false, now())`,
    [ws, A, B],
  );
});
afterAll(() => subgraph?.stop());

const campaignInput = (over: object = {}) => ({
  name: 'Tết',
  valueType: 'PERCENT',
  value: 10,
  minimumOrder: 200_000,
  maximumDiscount: 50_000,
  validFrom: new Date(Date.now() - 30 * DAY).toISOString(),
  validTo: new Date(Date.now() + 30 * DAY).toISOString(),
  ...over,
});

async function campaign(who: Identity, over: object = {}): Promise<string> {
  const body = await subgraph.query(who, CREATE, { i: campaignInput(over) });
  expect(body.errors).toBeUndefined();
  return body.data!.createVoucherCampaign.id;
}

async function issue(who: Identity, c: string, ids: string[], codes?: string[], note?: string) {
  return subgraph.query(who, ISSUE, { c, ids, codes, note });
}

const order = (code: string, customerId: string, voucherCode: string, over: object = {}) => ({
  source: 'SHOPEE',
  code,
  status: 'CONFIRMED',
  customerId,
  voucherCode,
  items: [{ productName: 'Áo', quantity: 1, unitPrice: 300_000 }],
  subtotal: 300_000,
  total: 300_000,
  orderedAt: new Date(Date.now() - DAY).toISOString(),
  updatedAt: new Date(Date.now() - DAY).toISOString(),
  ...over,
});

async function upsert(who: Identity, orders: object[]) {
  const body = await subgraph.query(who, UPSERT, { o: orders });
  expect(body.errors).toBeUndefined();
  expect(body.data!.upsertOrders.rejected).toEqual([]);
}

async function stateOf(workspaceId: string, orderCode: string) {
  const [row] = await subgraph.db.query(
    `SELECT o.voucher_rejection AS rejection, v.code AS used FROM customer_order o
       LEFT JOIN voucher v ON v.workspace_id = o.workspace_id AND v.used_order_id = o.id
      WHERE o.workspace_id = $1 AND o.code = $2`,
    [workspaceId, orderCode],
  );
  return row as { rejection: string | null; used: string | null };
}

const tab = async (who: Identity, id: string, status?: string) => {
  const body = await subgraph.query(who, TAB, {
    r: [{ __typename: 'Customer', id }],
    status,
  });
  expect(body.errors).toBeUndefined();
  return body.data!._entities[0]?.vouchers ?? null;
};

describe('campaigns and issuing', () => {
  it('describes the value and generates readable codes', async () => {
    const body = await subgraph.query(editor, CREATE, { i: campaignInput() });
    expect(body.data!.createVoucherCampaign.detail).toBe(
      'Giảm 10%, tối đa 50.000 ₫, đơn từ 200.000 ₫',
    );
    const issued = await issue(editor, body.data!.createVoucherCampaign.id, [A, B]);
    expect(issued.errors).toBeUndefined();
    for (const v of issued.data!.issueVouchers) {
      expect(v.code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    }
  });

  it('enforces the limits per customer and in total, refusing the whole call', async () => {
    const c = await campaign(editor, { limitPerCustomer: 1, limitTotal: 2 });
    const twice = await issue(editor, c, [A, A]);
    expect(twice.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'customerIds',
    });
    expect((await issue(editor, c, [A])).errors).toBeUndefined();
    expect((await issue(editor, c, [A])).errors![0].extensions!.field).toBe('customerIds');
    expect((await issue(editor, c, [B])).errors).toBeUndefined();
    const third = await issue(editor, c, [randomUUID()]);
    expect(third.errors![0].message).toMatch(/at most 2 codes/);
    const [{ n, issued }] = await subgraph.db.query(
      `SELECT (SELECT count(*)::int FROM voucher WHERE workspace_id = $1 AND campaign_id = $2) AS n,
              (SELECT issued_count FROM voucher_campaign WHERE id = $2) AS issued`,
      [ws, c],
    );
    expect({ n, issued }).toEqual({ n: 2, issued: 2 });
  });

  it('keeps codes unique in a workspace without regard to case, not across workspaces', async () => {
    const c = await campaign(editor);
    expect((await issue(editor, c, [A], ['Summer-24'])).errors).toBeUndefined();
    const taken = await issue(editor, c, [B, A], ['FRESH-1', 'summer-24']);
    expect(taken.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'codes[1]',
    });
    // Nothing of the refused call was written.
    const fresh = await subgraph.db.query(
      `SELECT 1 FROM voucher WHERE workspace_id = $1 AND code = 'FRESH-1'`,
      [ws],
    );
    expect(fresh).toEqual([]);
    const twice = await issue(editor, c, [A, B], ['abcd', 'ABCD']);
    expect(twice.errors![0].extensions!.field).toBe('codes[1]');
    const elsewhere = await campaign(otherAdmin);
    expect((await issue(otherAdmin, elsewhere, [A], ['SUMMER-24'])).errors).toBeUndefined();
  });

  it('names the field of bad input', async () => {
    const cases: [object, string][] = [
      [{ value: 101 }, 'input.value'],
      [{ valueType: 'FIXED', value: 0 }, 'input.value'],
      [{ validTo: new Date(Date.now() - 60 * DAY).toISOString() }, 'input.validTo'],
      [{ name: '  ' }, 'input.name'],
      [{ limitTotal: 0 }, 'input.limitTotal'],
      [{ minimumOrder: -1 }, 'input.minimumOrder'],
    ];
    for (const [over, field] of cases) {
      const body = await subgraph.query(editor, CREATE, { i: campaignInput(over) });
      expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const c = await campaign(editor);
    expect((await issue(editor, c, ['nope'])).errors![0].extensions!.field).toBe('customerIds[0]');
    expect((await issue(editor, c, [A], ['a b'])).errors![0].extensions!.field).toBe('codes[0]');
    expect((await issue(editor, c, [A], ['AAAA', 'BBBB'])).errors![0].extensions!.field).toBe(
      'codes',
    );
    expect((await issue(editor, randomUUID(), [A])).errors![0].extensions).toMatchObject({
      code: 'NOT_FOUND',
      field: 'campaignId',
    });
    // Staff may not run campaigns.
    expect(
      (await subgraph.query(sam, CREATE, { i: campaignInput() })).errors![0].extensions!.code,
    ).toBe('FORBIDDEN');
  });

  it('ends a campaign: its unused codes expire, none can be issued', async () => {
    const c = await campaign(editor);
    await issue(editor, c, [A], ['END-ME']);
    const ended = await subgraph.query(
      editor,
      `mutation($id: ID!) { endVoucherCampaign(id: $id) { endedAt } }`,
      { id: c },
    );
    expect(ended.data!.endVoucherCampaign.endedAt).not.toBeNull();
    expect((await issue(editor, c, [A])).errors![0].extensions!.field).toBe('campaignId');
    const expired = await tab(editor, A, 'EXPIRED');
    expect(expired.edges.map((e: { node: { code: string } }) => e.node.code)).toContain('END-ME');
    // An order placed after the end (one placed before it would still use the code).
    const after = new Date().toISOString();
    await upsert(editor, [order('END-1', A, 'end-me', { orderedAt: after, updatedAt: after })]);
    expect(await stateOf(ws, 'END-1')).toEqual({ rejection: 'EXPIRED', used: null });
  });
});

describe('orders using codes', () => {
  it('uses a code once: later versions keep it, another order is refused with a reason', async () => {
    const c = await campaign(editor);
    await issue(editor, c, [A], ['ONCE-1'], 'sinh nhật');
    await upsert(editor, [order('U-1', A, 'once-1')]);
    expect(await stateOf(ws, 'U-1')).toEqual({ rejection: null, used: 'ONCE-1' });
    // A later version of the same order, same code: still one use, by U-1.
    await upsert(editor, [
      order('U-1', A, 'ONCE-1', { status: 'SHIPPING', updatedAt: new Date().toISOString() }),
    ]);
    await upsert(editor, [order('U-2', A, 'ONCE-1')]);
    expect(await stateOf(ws, 'U-1')).toEqual({ rejection: null, used: 'ONCE-1' });
    expect(await stateOf(ws, 'U-2')).toEqual({ rejection: 'ALREADY_USED', used: null });
    await upsert(editor, [
      order('U-3', B, 'ONCE-1'),
      order('U-4', A, 'NO-SUCH'),
      order('U-5', A, 'ONCE-1', {
        subtotal: 100,
        total: 100,
        items: [{ productName: 'x', quantity: 1, unitPrice: 100 }],
      }),
    ]);
    expect((await stateOf(ws, 'U-3')).rejection).toBe('NOT_THIS_CUSTOMER');
    expect((await stateOf(ws, 'U-4')).rejection).toBe('UNKNOWN_CODE');
    expect((await stateOf(ws, 'U-5')).rejection).toBe('ALREADY_USED');
    const body = await subgraph.query(
      editor,
      `query($c: String!) { orders(filter: { code: $c }) { edges { node { code voucherRejection } } } }`,
      { c: 'U-2' },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.orders.edges[0].node.voucherRejection).toBe('ALREADY_USED');
  });

  it('refuses an order below the minimum, or placed outside the window', async () => {
    const c = await campaign(editor, { validFrom: new Date(Date.now() - 2 * DAY).toISOString() });
    await issue(editor, c, [A, A, A], ['MIN-1', 'OLD-1', 'OK-1']);
    const cheap = {
      subtotal: 100_000,
      total: 100_000,
      items: [{ productName: 'x', quantity: 1, unitPrice: 100_000 }],
    };
    const old = new Date(Date.now() - 5 * DAY).toISOString();
    await upsert(editor, [
      order('M-1', A, 'MIN-1', cheap),
      order('M-2', A, 'OLD-1', { orderedAt: old, updatedAt: old }),
      order('M-3', A, 'OK-1'),
    ]);
    expect((await stateOf(ws, 'M-1')).rejection).toBe('BELOW_MINIMUM');
    expect((await stateOf(ws, 'M-2')).rejection).toBe('NOT_YET_VALID');
    expect(await stateOf(ws, 'M-3')).toEqual({ rejection: null, used: 'OK-1' });
  });

  it('gives the code back when the order is cancelled, by upsert or by Shopee’s push', async () => {
    const c = await campaign(editor);
    await issue(editor, c, [A], ['BACK-1']);
    await upsert(editor, [order('C-1', A, 'BACK-1')]);
    const now = new Date().toISOString();
    await upsert(editor, [order('C-1', A, 'BACK-1', { status: 'CANCELLED', updatedAt: now })]);
    expect(await stateOf(ws, 'C-1')).toEqual({ rejection: null, used: null });
    await upsert(editor, [order('C-2', A, 'BACK-1')]);
    expect((await stateOf(ws, 'C-2')).used).toBe('BACK-1');
    const applied = await applyShopeeStatus(
      subgraph.db,
      ws,
      { code: 'C-2', status: 'CANCELLED', at: new Date() },
      { shopId: '1', bodySha256: randomBytes(32) },
    );
    expect(applied.applied).toBe(true);
    expect((await stateOf(ws, 'C-2')).used).toBeNull();
    expect(
      (await tab(editor, A, 'AVAILABLE')).edges.map((e: { node: { code: string } }) => e.node.code),
    ).toContain('BACK-1');
  });

  it('lets exactly one of two racing orders use a single-use code', async () => {
    const c = await campaign(editor);
    await issue(editor, c, [A], ['RACE-1']);
    // Order R-1 takes the code in a transaction held open …
    const runner = subgraph.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const [{ id }] = await runner.query(
      `INSERT INTO customer_order (workspace_id, customer_id, code, source, status, items,
         subtotal, discount_total, shipping_fee, total, voucher_code, ordered_at,
         source_updated_at, updated_at)
       VALUES ($1, $2, 'R-1', 'SHOPEE', 'CONFIRMED', '[]', 300000, 0, 0, 300000, 'RACE-1',
         now() - interval '1 hour', now(), now()) RETURNING id`,
      [ws, A],
    );
    await applyVouchers(runner.manager, ws, [id]);
    // … while R-2, carrying the same code, is upserted: it waits on the code's row lock.
    const upserting = subgraph.query(editor, UPSERT, { o: [order('R-2', A, 'race-1')] });
    let done = false;
    void upserting.then(() => (done = true));
    while (!done) {
      const [{ n }] = await subgraph.db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (n === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await runner.commitTransaction();
    await runner.release();
    const body = await upserting;
    expect(body.errors).toBeUndefined();
    expect(await stateOf(ws, 'R-1')).toEqual({ rejection: null, used: 'RACE-1' });
    expect(await stateOf(ws, 'R-2')).toEqual({ rejection: 'ALREADY_USED', used: null });
  });
});

describe('the voucher tab', () => {
  it('lists by status with the seed’s columns and the order that used it', async () => {
    const C = randomUUID();
    const c = await campaign(editor, {
      valueType: 'FIXED',
      value: 30_000,
      minimumOrder: 0,
      maximumDiscount: null,
    });
    await issue(editor, c, [C, C], ['TAB-USED', 'TAB-FREE'], 'khách quen');
    await upsert(editor, [order('T-1', C, 'tab-used')]);
    const all = await tab(editor, C);
    expect(all.totalCount).toBe(2);
    const used = await tab(editor, C, 'USED');
    expect(used.edges).toHaveLength(1);
    expect(used.edges[0].node).toMatchObject({
      code: 'TAB-USED',
      detail: 'Giảm 30.000 ₫',
      status: 'USED',
      note: 'khách quen',
      usedBy: { code: 'T-1' },
    });
    expect(used.edges[0].node.usedAt).not.toBeNull();
    expect(used.edges[0].node.expiresAt).toBeTruthy();
    const available = await tab(editor, C, 'AVAILABLE');
    expect(available.edges.map((e: { node: { code: string } }) => e.node.code)).toEqual([
      'TAB-FREE',
    ]);
    expect((await tab(editor, C, 'EXPIRED')).totalCount).toBe(0);
  });

  it('moves the merged customers’ codes to the survivor, once', async () => {
    const [survivor, merged] = [randomUUID(), randomUUID()];
    const c = await campaign(editor, { limitPerCustomer: null });
    await issue(editor, c, [survivor, merged, merged], ['MG-S', 'MG-1', 'MG-2']);
    const event = createEvent({
      type: CUSTOMER_MERGED,
      workspaceId: ws,
      key: survivor,
      payload: { mergeId: randomUUID(), survivorId: survivor, mergedIds: [merged], mergedBy: 'e' },
    });
    await applyEvents(subgraph.db, ordersLoyaltySubgraph, event, event);
    const codes = (await tab(editor, survivor)).edges.map(
      (e: { node: { code: string } }) => e.node.code,
    );
    expect(codes.sort()).toEqual(['MG-1', 'MG-2', 'MG-S']);
    expect((await tab(editor, merged)).totalCount).toBe(3); // the merged id names the survivor
    // A code issued to the merged id afterwards goes to the survivor.
    await issue(editor, c, [merged], ['MG-3']);
    expect((await tab(editor, survivor)).totalCount).toBe(4);
  });

  it('tries a refused code again when its order gets its customer: by phone, by a merge', async () => {
    const c = await campaign(editor);
    // By phone: the order came with no customer, and the code was refused.
    const holder = randomUUID();
    await issue(editor, c, [holder], ['LATE-PHONE']);
    const phone = `09${String(Date.now()).slice(-8)}`;
    await upsert(editor, [
      order('LATE-1', '', 'late-phone', { customerId: undefined, buyerPhone: phone }),
    ]);
    expect(await stateOf(ws, 'LATE-1')).toEqual({ rejection: 'NOT_THIS_CUSTOMER', used: null });
    const e164 = `+84${phone.slice(1)}`;
    const phones = createEvent({
      type: CUSTOMER_PHONES_CHANGED,
      workspaceId: ws,
      key: holder,
      payload: { customerId: holder, phones: [e164] },
    });
    await applyEvents(subgraph.db, ordersLoyaltySubgraph, phones);
    expect(await stateOf(ws, 'LATE-1')).toEqual({ rejection: null, used: 'LATE-PHONE' });
    // By a merge: the order is the merged customer's, the code the survivor's.
    const [survivor, merged] = [randomUUID(), randomUUID()];
    await issue(editor, c, [survivor], ['LATE-MERGE']);
    await upsert(editor, [order('LATE-2', merged, 'late-merge')]);
    expect(await stateOf(ws, 'LATE-2')).toEqual({ rejection: 'NOT_THIS_CUSTOMER', used: null });
    const merge = createEvent({
      type: CUSTOMER_MERGED,
      workspaceId: ws,
      key: survivor,
      payload: { mergeId: randomUUID(), survivorId: survivor, mergedIds: [merged], mergedBy: 'e' },
    });
    await applyEvents(subgraph.db, ordersLoyaltySubgraph, merge);
    expect(await stateOf(ws, 'LATE-2')).toEqual({ rejection: null, used: 'LATE-MERGE' });
  });

  it('shows staff only their customers’ vouchers, and another workspace none', async () => {
    const c = await campaign(editor);
    await issue(editor, c, [A, B], ['SEEN-A', 'SEEN-B']);
    const mine = await tab(sam, A);
    expect(mine.edges.map((e: { node: { code: string } }) => e.node.code)).toContain('SEEN-A');
    expect(await tab(sam, B)).toBeNull();
    const elsewhere = await tab(otherAdmin, A);
    const codes = (elsewhere?.edges ?? []).map((e: { node: { code: string } }) => e.node.code);
    expect(codes).not.toContain('SEEN-A');
    expect(codes).not.toContain('SUMMER-24'.toLowerCase());
  });
});

describe('the campaign list', () => {
  const listWs = `vouchers-list-${randomUUID().slice(0, 8)}`;
  const listAdmin: Identity = { workspaceId: listWs, userId: 'a', role: 'admin' };
  const LIST = `query($running: Boolean, $first: Int, $after: String) {
    voucherCampaigns(running: $running, first: $first, after: $after) {
      totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`;
  const names = (body: GraphQLBody) =>
    body.data!.voucherCampaigns.edges.map((e: { node: { name: string } }) => e.node.name);

  beforeAll(async () => {
    for (const name of ['một', 'hai', 'ba']) {
      await campaign(listAdmin, { name });
    }
    const over = await campaign(listAdmin, { name: 'hết' });
    await subgraph.query(listAdmin, `mutation($id: ID!) { endVoucherCampaign(id: $id) { id } }`, {
      id: over,
    });
  });

  it('pages newest first, running or over, counted on every page', async () => {
    const first = await subgraph.query(listAdmin, LIST, { first: 2 });
    expect(first.errors).toBeUndefined();
    expect(names(first)).toEqual(['hết', 'ba']);
    expect(first.data!.voucherCampaigns.totalCount).toBe(4);
    const next = await subgraph.query(listAdmin, LIST, {
      first: 2,
      after: first.data!.voucherCampaigns.pageInfo.endCursor,
    });
    expect(names(next)).toEqual(['hai', 'một']);
    expect(next.data!.voucherCampaigns.pageInfo.hasNextPage).toBe(false);
    expect(names(await subgraph.query(listAdmin, LIST, { running: true }))).toEqual([
      'ba',
      'hai',
      'một',
    ]);
    expect(names(await subgraph.query(listAdmin, LIST, { running: false }))).toEqual(['hết']);
  });

  it('shows another workspace none, and refuses a page over 100', async () => {
    const elsewhere = await subgraph.query(otherAdmin, LIST, {});
    expect(names(elsewhere)).not.toContain('hết');
    const big = await subgraph.query(listAdmin, LIST, { first: 101 });
    expect(big.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});
