// Reviews against a real Postgres: idempotent upsert and per-review rejections, a
// review linked to its order whichever arrives first, a review following its order
// to another customer, reply rules, filters, staff scope and workspace isolation.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';
import { seedDemoReviews } from '../src/reviews/review.seed';

const ws = `reviews-${randomUUID().slice(0, 8)}`;
const other = `reviews-other-${randomUUID().slice(0, 8)}`;
const editor: Identity = { workspaceId: ws, userId: 'e1', role: 'editor' };
const analyst: Identity = { workspaceId: ws, userId: 'a1', role: 'analyst' };
const sam: Identity = { workspaceId: ws, userId: 'sam', role: 'staff' };
const kim: Identity = { workspaceId: ws, userId: 'kim', role: 'staff' };
const otherAdmin: Identity = { workspaceId: other, userId: 'o1', role: 'admin' };
// A is Sam's customer, K is Kim's.
const [A, K] = [randomUUID(), randomUUID()];

const UPSERT = `mutation($r: [ReviewInput!]!) { upsertReviews(reviews: $r) {
  created updated unchanged rejected { index source reviewId field reason } } }`;
const LIST = `query($f: ReviewFilter, $first: Int, $after: String) {
  reviews(filter: $f, first: $first, after: $after) { totalCount
    edges { node { reviewId orderCode order { id code } customer { id } rating imageUrls
      reply { text status repliedBy } } }
    pageInfo { hasNextPage endCursor } } }`;
const TAB = `query($r: [_Any!]!, $f: CustomerReviewFilter) { _entities(representations: $r) {
  ... on Customer { id reviews(filter: $f) { totalCount edges { node { reviewId } } } } } }`;
const REPLY = `mutation($id: ID!, $t: String!) { replyToReview(id: $id, text: $t) {
  reviewId reply { text status repliedBy repliedAt } } }`;

const review = (reviewId: string, orderCode: string, extra: object = {}) => ({
  source: 'SHOPEE',
  reviewId,
  orderCode,
  productSku: 'SKU-1',
  productName: 'Áo thun',
  rating: 5,
  comment: 'Đẹp',
  imageUrls: ['https://cf.shopee.vn/file/a.jpg'],
  createdAt: '2026-03-01T10:00:00.000Z',
  ...extra,
});
const order = (code: string, customerId: string | null, hour = 0) => ({
  source: 'SHOPEE',
  code,
  status: 'COMPLETED',
  ...(customerId && { customerId }),
  items: [{ productName: 'Áo thun', sku: 'SKU-1', quantity: 1, unitPrice: 1000 }],
  subtotal: 1000,
  total: 1000,
  orderedAt: '2026-02-01T00:00:00.000Z',
  updatedAt: new Date(Date.UTC(2026, 1, 2, hour)).toISOString(),
});

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
  await subgraph.db.query(
    `INSERT INTO customer_access (workspace_id, customer_id, assigned_staff, deleted, occurred_at)
     VALUES ($1, $2, 'sam', false, now()), ($1, $3, 'kim', false, now())`,
    [ws, A, K],
  );
});
afterAll(() => subgraph?.stop());

async function ok(who: Identity, query: string, variables: object) {
  const body = await subgraph.query(who, query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}
const upsert = async (who: Identity, reviews: object[]) =>
  (await ok(who, UPSERT, { r: reviews })).upsertReviews;
const upsertOrders = (who: Identity, orders: object[]) =>
  ok(who, `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created updated } }`, {
    o: orders,
  });
interface Listed {
  totalCount: number;
  edges: { node: Record<string, unknown> & { reviewId: string } }[];
}
const list = async (who: Identity, f: object = {}) =>
  (await ok(who, LIST, { f, first: 50 })).reviews as Listed;
const ids = (l: Listed | null) => (l ? l.edges.map((e) => e.node.reviewId).sort() : null);
const tab = async (who: Identity, customerIds: string[], f: object = {}) =>
  (
    (await ok(who, TAB, { r: customerIds.map((id) => ({ __typename: 'Customer', id })), f }))
      ._entities as { reviews: Listed | null }[]
  ).map((c) => c.reviews);
const idOf = async (reviewId: string, workspaceId = ws) =>
  (
    await subgraph.db.query(
      'SELECT id FROM order_review WHERE workspace_id = $1 AND review_id = $2',
      [workspaceId, reviewId],
    )
  )[0].id as string;

describe('upsertReviews', () => {
  const wsU = `reviews-upsert-${randomUUID().slice(0, 8)}`;
  const ed: Identity = { workspaceId: wsU, userId: 'e1', role: 'editor' };
  it('is idempotent on (source, review id) and counts what changed', async () => {
    const batch = [review('U-1', 'X-1'), review('U-2', 'X-2'), review('U-1', 'X-1', { rating: 4 })];
    expect(await upsert(ed, batch)).toEqual({ created: 2, updated: 0, unchanged: 1, rejected: [] });
    expect(await upsert(ed, batch)).toEqual({ created: 0, updated: 0, unchanged: 3, rejected: [] });
    // The last version in a batch won: rating 4.
    const [row] = await subgraph.db.query(
      `SELECT rating, image_urls FROM order_review WHERE workspace_id = $1 AND review_id = 'U-1'`,
      [wsU],
    );
    expect(row).toEqual({ rating: 4, image_urls: ['https://cf.shopee.vn/file/a.jpg'] });
    const changed = await upsert(ed, [review('U-2', 'X-2', { comment: 'Đẹp lắm' })]);
    expect(changed).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    // The same review id on another marketplace is another review.
    expect(await upsert(ed, [review('U-1', 'X-1', { source: 'LAZADA' })])).toMatchObject({
      created: 1,
    });
  });

  it('ends on the newest version whatever order the versions arrive in', async () => {
    const at = (day: number) => `2026-03-0${day}T10:00:00.000Z`;
    const v2 = review('E-1', 'X-1', { rating: 2, comment: 'Rách', editedAt: at(3) });
    const v3 = review('E-1', 'X-1', { rating: 4, comment: 'Shop đổi rồi', editedAt: at(5) });
    expect(await upsert(ed, [v3])).toMatchObject({ created: 1 });
    // The first version (no editedAt: createdAt) and v2, late: nothing of them is kept.
    expect(await upsert(ed, [review('E-1', 'X-1'), v2])).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 2,
    });
    // In one batch, the newest wins wherever it stands.
    expect(
      await upsert(ed, [
        review('E-2', 'X-2', { editedAt: at(9) }),
        review('E-2', 'X-2', { rating: 1, editedAt: at(4) }),
      ]),
    ).toMatchObject({ created: 1 });
    const rows = await subgraph.db.query(
      `SELECT review_id AS id, rating, comment FROM order_review
        WHERE workspace_id = $1 AND review_id LIKE 'E-%' ORDER BY review_id`,
      [wsU],
    );
    expect(rows).toEqual([
      { id: 'E-1', rating: 4, comment: 'Shop đổi rồi' },
      { id: 'E-2', rating: 5, comment: 'Đẹp' },
    ]);
    const bad = await upsert(ed, [review('E-3', 'X-1', { editedAt: '2026-02-01T00:00:00Z' })]);
    expect(bad.rejected.map((r: { field: string }) => r.field)).toEqual(['editedAt']);
  });

  it('rejects a bad review with its index and field, writing nothing of it', async () => {
    const result = await upsert(ed, [
      review('B-1', 'X-1', { rating: 6 }),
      review('B-2', 'X-1', { source: 'EBAY' }),
      review('B-3', 'X-1', { imageUrls: ['https://a.vn/1.jpg', 'http://a.vn/2.jpg'] }),
      review('B-4', 'X-1', {
        imageUrls: Array.from({ length: 10 }, (_, i) => `https://a.vn/${i}`),
      }),
      review('B-5', 'X-1', { productName: '  ' }),
      review('B-6', 'X-1', { comment: 'a'.repeat(4001) }),
      review('B-7', 'X-1', { sellerReply: { text: '', repliedAt: '2026-03-02T00:00:00Z' } }),
      review('B-8', 'X-1'),
    ]);
    expect(result.created).toBe(1);
    expect(result.rejected.map((r: { field: string }) => r.field)).toEqual([
      'rating',
      'source',
      'imageUrls[1]',
      'imageUrls',
      'productName',
      'comment',
      'sellerReply.text',
    ]);
    expect(result.rejected[0]).toMatchObject({ index: 0, source: 'SHOPEE', reviewId: 'B-1' });
    const stored = await subgraph.db.query(
      `SELECT review_id FROM order_review WHERE workspace_id = $1 AND review_id LIKE 'B-%'`,
      [wsU],
    );
    expect(stored).toEqual([{ review_id: 'B-8' }]);
  });

  it('refuses more than 500 reviews at once, naming the argument', async () => {
    const many = Array.from({ length: 501 }, (_, i) => review(`M-${i}`, 'X'));
    const body = await subgraph.query(ed, UPSERT, { r: many });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reviews' });
    const [{ n }] = await subgraph.db.query(
      `SELECT count(*)::int AS n FROM order_review WHERE workspace_id = $1 AND review_id LIKE 'M-%'`,
      [wsU],
    );
    expect(n).toBe(0);
  });

  it('needs workspace.edit', async () => {
    const body = await subgraph.query({ ...ed, role: 'staff' }, UPSERT, { r: [review('S', 'X')] });
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('a review and its order', () => {
  beforeAll(async () => {
    // R-1's order comes before it, R-2's after it; R-3's never; R-K is of Kim's customer.
    await upsertOrders(editor, [order('O-1', A), order('O-K', K)]);
    await upsert(editor, [
      review('R-1', 'O-1', { rating: 5 }),
      review('R-2', 'O-2', { rating: 2, productSku: 'SKU-2', imageUrls: [] }),
      review('R-3', 'O-3', { rating: 1, source: 'SHOPEE' }),
      review('R-K', 'O-K', { rating: 4 }),
    ]);
  });

  it('shows a review whose order is not stored yet without order or customer, to roles that see everyone only', async () => {
    const all = await list(editor);
    const r2 = all.edges.find((e) => e.node.reviewId === 'R-2')!.node;
    expect(r2).toMatchObject({ order: null, customer: null });
    expect(ids(await list(sam))).toEqual(['R-1']);
    expect(ids((await tab(editor, [A]))[0])).toEqual(['R-1']);
  });

  it('links the review once its order arrives, and the customer follows the order', async () => {
    await upsertOrders(editor, [order('O-2', A)]);
    expect(ids((await tab(editor, [A]))[0])).toEqual(['R-1', 'R-2']);
    const r2 = (await list(sam)).edges.find((e) => e.node.reviewId === 'R-2')!.node;
    expect(r2).toMatchObject({ order: { code: 'O-2' }, customer: { id: A } });
    // A newer version of O-2 names Kim's customer: the review goes with it.
    await upsertOrders(editor, [order('O-2', K, 5)]);
    const [a, k] = await tab(editor, [A, K]);
    expect(ids(a)).toEqual(['R-1']);
    expect(ids(k)).toEqual(['R-2', 'R-K']);
    expect(ids(await list(sam))).toEqual(['R-1']);
    expect(ids(await list(kim))).toEqual(['R-2', 'R-K']);
  });

  it('filters the tab by rating and reply, and the workspace list by its filter', async () => {
    const [k] = await tab(editor, [K], { rating: [2, 3] });
    expect(ids(k)).toEqual(['R-2']);
    expect(k!.totalCount).toBe(1);
    expect((await list(editor, { ratingMin: 2, ratingMax: 4 })).totalCount).toBe(2);
    expect(ids(await list(editor, { productSku: 'SKU-2' }))).toEqual(['R-2']);
    expect(ids(await list(editor, { source: ['LAZADA'] }))).toEqual([]);
    const bad = await subgraph.query(editor, LIST, { f: { ratingMin: 0 } });
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.ratingMin',
    });
  });

  it('pages the workspace list by cursor', async () => {
    const first = await ok(editor, LIST, { first: 2 });
    expect(first.reviews.edges).toHaveLength(2);
    expect(first.reviews.pageInfo.hasNextPage).toBe(true);
    const next = await ok(editor, LIST, { first: 2, after: first.reviews.pageInfo.endCursor });
    const seen = [...first.reviews.edges, ...next.reviews.edges].map(
      (e: { node: { reviewId: string } }) => e.node.reviewId,
    );
    expect(new Set(seen).size).toBe(4);
  });
});

describe('replyToReview', () => {
  beforeAll(async () => {
    await upsertOrders(editor, [order('P-A', A), order('P-K', K)]);
    await upsert(editor, [
      review('Q-A', 'P-A'),
      review('Q-K', 'P-K'),
      review('Q-none', 'P-none'),
      review('Q-sent', 'P-A', {
        sellerReply: { text: 'Cảm ơn bạn', repliedAt: '2026-03-02T00:00:00.000Z' },
      }),
    ]);
  });
  const reply = (who: Identity, id: string, t: string) => subgraph.query(who, REPLY, { id, t });

  it('keeps who replied and when, PENDING_SEND, and replaces the text while it is', async () => {
    const id = await idOf('Q-A');
    const first = await reply(sam, id, ' Cảm ơn bạn đã ủng hộ ');
    expect(first.data!.replyToReview.reply).toMatchObject({
      text: 'Cảm ơn bạn đã ủng hộ',
      status: 'PENDING_SEND',
      repliedBy: 'sam',
    });
    const again = await reply(editor, id, 'Shop cảm ơn bạn!');
    expect(again.data!.replyToReview.reply).toMatchObject({
      text: 'Shop cảm ơn bạn!',
      status: 'PENDING_SEND',
      repliedBy: 'e1',
    });
    expect(ids(await list(editor, { awaitingReply: true }))).not.toContain('Q-A');
    expect(ids((await tab(editor, [A], { replied: true }))[0])).toEqual(['Q-A', 'Q-sent']);
  });

  it('stores a reply the marketplace shows as SENT, which is no longer changed here', async () => {
    const sent = await reply(editor, await idOf('Q-sent'), 'Khác');
    expect(sent.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    // The connector sent Q-A's reply: the marketplace now shows it; who wrote it stays.
    await upsert(editor, [
      review('Q-A', 'P-A', {
        sellerReply: { text: 'Shop cảm ơn bạn!', repliedAt: '2026-03-03T00:00:00.000Z' },
      }),
    ]);
    const q = (await list(editor)).edges.find((e) => e.node.reviewId === 'Q-A')!.node;
    expect(q.reply).toEqual({ text: 'Shop cảm ơn bạn!', status: 'SENT', repliedBy: 'e1' });
    // Sent again without a reply, the review keeps it.
    await upsert(editor, [review('Q-A', 'P-A', { rating: 3 })]);
    const q2 = (await list(editor)).edges.find((e) => e.node.reviewId === 'Q-A')!.node;
    expect(q2.reply).toMatchObject({ status: 'SENT' });
  });

  it('answers NOT_FOUND for a review out of sight, FORBIDDEN without customers.write, BAD_USER_INPUT for no text', async () => {
    const qk = await idOf('Q-K');
    const notFound = await reply(sam, qk, 'x');
    expect(notFound.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const none = await reply(sam, await idOf('Q-none'), 'x');
    expect(none.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect((await reply(editor, await idOf('Q-none'), 'x')).errors).toBeUndefined();
    expect((await reply(analyst, qk, 'x')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const empty = await reply(kim, qk, '   ');
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    const tooLong = await reply(kim, qk, 'a'.repeat(1001));
    expect(tooLong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    const [row] = await subgraph.db.query(
      'SELECT reply_text FROM order_review WHERE workspace_id = $1 AND id = $2',
      [ws, qk],
    );
    expect(row.reply_text).toBeNull();
  });
});

describe('another workspace', () => {
  it('never sees, counts or replies to this workspace’s reviews', async () => {
    await upsert(otherAdmin, [review('R-1', 'O-1', { rating: 1 })]);
    expect(ids(await list(otherAdmin))).toEqual(['R-1']);
    expect((await list(otherAdmin)).edges[0].node).toMatchObject({ order: null, customer: null });
    expect(ids((await tab(otherAdmin, [A]))[0])).toEqual([]);
    const body = await subgraph.query(otherAdmin, REPLY, { id: await idOf('R-1'), t: 'x' });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    // This workspace's R-1 is untouched.
    const mine = (await list(editor)).edges.find((e) => e.node.reviewId === 'R-1')!.node;
    expect(mine).toMatchObject({ rating: 5, customer: { id: A } });
  });
});

it('seeds a demo review per demo customer, once', async () => {
  const demo = `reviews-demo-${randomUUID().slice(0, 8)}`;
  await seedDemoReviews(subgraph.db, demo);
  await seedDemoReviews(subgraph.db, demo);
  const [{ n, replied }] = await subgraph.db.query(
    `SELECT count(*)::int AS n, count(reply_text)::int AS replied FROM order_review
      WHERE workspace_id = $1`,
    [demo],
  );
  expect(n).toBeGreaterThan(0);
  expect(replied).toBe(Math.ceil(n / 2));
});
