// A text search's pages (customer.walk-first.ts): the newest WALK_FIRST customers are
// walked first, and the trigram index is asked only when they hold less than a page.
// Either way, paging through a search gives every match once, in the sort's order —
// for a common text (the walk serves the pages), a rare one (the index does), and one
// that is common among the newest and rare after them (the two take turns).
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import {
  MOST_OF_TABLE,
  WALK_FIRST,
  forgetCustomerShares,
} from '../src/customers/customer.walk-first';

const ws = 'search-pages-ws';
const admin: Identity = { workspaceId: ws, userId: 'boss', role: 'admin' };
const CUSTOMERS = WALK_FIRST + 1_000;
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1)', [ws]);
  // Customer i was created i minutes after 2024 began. Every third is a Nguyễn Văn; one
  // in 500 a Trần Thị Hiếm; the newest 300 Lê Mới, among them every tenth a Trần Thị
  // Hiếm too, and the rest Phạm.
  await subgraph.db.query(
    `INSERT INTO customer (workspace_id, name, name_search, created_at, updated_at)
     SELECT $1, k.name || ' ' || i, k.folded || ' ' || i,
            timestamptz '2024-01-01' + i * interval '1 minute', now()
       FROM generate_series(1, $2::int) AS i
       JOIN LATERAL (SELECT CASE
              WHEN i % 500 = 0 OR (i > $2 - 300 AND i % 10 = 0) THEN 1
              WHEN i > $2 - 300 THEN 2
              WHEN i % 3 = 0 THEN 3
              ELSE 4 END AS kind) w ON true
       JOIN (VALUES (1, 'Trần Thị Hiếm', 'tran thi hiem'), (2, 'Lê Mới', 'le moi'),
                    (3, 'Nguyễn Văn', 'nguyen van'), (4, 'Phạm', 'pham')) AS k(kind, name, folded)
         ON k.kind = w.kind`,
    [ws, CUSTOMERS],
  );
});
afterAll(() => subgraph?.stop());

/** Every match, page by page, as the list gives them. */
async function pages(contains: string, sort: object[] = [], first = 20): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const body = await subgraph.query(
      admin,
      `query($f: CustomerFilter, $s: [CustomerSort!], $first: Int, $after: String) {
         customers(filter: $f, sort: $s, first: $first, after: $after) {
           edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
      { f: { name: { contains } }, s: sort, first, after },
    );
    expect(body.errors).toBeUndefined();
    const page = (body.data as any).customers;
    ids.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
}

/** The same matches straight from SQL, in `order`. */
async function expected(folded: string, order: string): Promise<string[]> {
  const rows: { id: string }[] = await subgraph.db.query(
    `SELECT id FROM customer WHERE workspace_id = $1 AND strpos(name_search, $2) > 0
      ORDER BY ${order}`,
    [ws, folded],
  );
  return rows.map((r) => r.id);
}

/** Each search paged through, beside what SQL says it should give. */
async function searches(): Promise<{ got: string[][]; want: string[][] }> {
  const newest = 'created_at DESC, id DESC';
  const got = [
    await pages('nguyễn văn'),
    await pages('Thị Hiếm'),
    await pages('khong co ai'),
    await pages('hiem', [{ field: 'NAME', direction: 'ASC' }], 7),
    await pages('hiem', [], 100),
  ];
  const want = [
    await expected('nguyen van', newest),
    await expected('thi hiem', newest),
    [],
    await expected('hiem', 'name_search ASC, id ASC'),
    await expected('hiem', newest),
  ];
  return { got, want };
}

// A common text (every third of the older 2,700, less the rare), a rare one (30 among the newest 300, then one in 500), one
// nobody has, a rare one sorted by name in pages of 7, and in pages of 100.
const SIZES = [899, 30 + Math.floor((CUSTOMERS - 300) / 500), 0];

describe('before ANALYZE (no statistics): the index is asked with the workspace key', () => {
  it('pages give every match once, in the sort’s order', async () => {
    const { got, want } = await searches();
    expect(got.slice(0, 3).map((ids) => ids.length)).toEqual(SIZES);
    expect(got).toEqual(want);
  });
});

describe('the workspace holds most customers: it is checked on the rows instead', () => {
  it('pages give every match once, in the sort’s order', async () => {
    await subgraph.db.query('ANALYZE customer');
    forgetCustomerShares();
    const [{ share }] = await subgraph.db.query(
      `SELECT most_common_freqs[array_position(most_common_vals::text::text[], $1)] AS share
         FROM pg_stats WHERE tablename = 'customer' AND attname = 'workspace_id'`,
      [ws],
    );
    expect(share).toBeGreaterThan(MOST_OF_TABLE);
    const { got, want } = await searches();
    expect(got.slice(0, 3).map((ids) => ids.length)).toEqual(SIZES);
    expect(got).toEqual(want);
  });
});
