// importOrdersCsv against a real Postgres: a small export (BOM, quoted values, two items
// per order, a bad row) imported in the background to DONE, imported again unchanged;
// who may import and read; the caps refused before parsing; a job resumed after its
// process died mid-batch (orders and checkpoint commit together); workspaces taking turns.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Identity } from '@customer-graph/runtime';
import { openDatabase } from '@customer-graph/runtime';
import { subgraphDatabaseOptions } from '@customer-graph/runtime';
import { createTestDatabase, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';
import { ORDERS_PER_CHUNK, runImportBatch } from '../src/imports/import.job';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, startImport } from '../src/imports/import.service';

const ws = (label: string) => `import-${label}-${randomUUID().slice(0, 8)}`;
const as = (workspaceId: string, role: Identity['role'] = 'editor'): Identity => ({
  workspaceId,
  userId: `${role}-1`,
  role,
});

const IMPORT = `mutation($source: OrderSource!, $csv: String!) {
  importOrdersCsv(source: $source, csv: $csv) { id status rowsTotal ignoredColumns } }`;
const JOB = `query($id: ID!) { orderImport(id: $id) {
  id source status rowsTotal rowsProcessed ordersCreated ordersUpdated ordersUnchanged
  ordersRejected errorCount failure startedAt finishedAt
  errors(first: 10) { edges { node { line row code column message } } pageInfo { hasNextPage } } } }`;

// A Shopee-style export as Excel saves it: a BOM, CRLF, quoted values with commas,
// quotes and a line break, money written three ways; A1 and C3 have two items each.
const EXPORT = [
  '\uFEFFMã đơn hàng,Ngày đặt hàng,Trạng thái đơn hàng,Tên người nhận,Số điện thoại,Địa chỉ nhận hàng,Đơn vị vận chuyển,Mã vận đơn,SKU phân loại hàng,Tên sản phẩm,Tên phân loại hàng,Số lượng,Giá bán,Phí vận chuyển,Tổng thanh toán,Mã giảm giá,Người Mua',
  'A1,05/03/2025 14:30,Hoàn thành,Nguyễn Văn An,0912 345 678,"12 Lê Lợi, P. Bến Nghé\r\nQuận 1, TP.HCM",SPX Express,SPXVN01,AO-L,"Áo thun ""basic""","Trắng, L",2,"150.000",30.000,"1.310.000 ₫",SHOPEE10,an.nguyen',
  'A1,05/03/2025 14:30,Hoàn thành,Nguyễn Văn An,0912 345 678,"12 Lê Lợi, P. Bến Nghé\r\nQuận 1, TP.HCM",SPX Express,SPXVN01,MU-1,Mũ lưỡi trai,,1,"1,000,000",30.000,"1.310.000 ₫",SHOPEE10,an.nguyen',
  'B2,06/03/2025 09:00,Đang giao,Trần Thị Bình,+84 987 654 321,"5 Hai Bà Trưng, Hà Nội",GHN,GHN123,QU-M,Quần jean,M,1,450000,0,450000,,binh.tran',
  'C3,07/03/2025 10:00,Chờ xác nhận,Lê Cường,0901234567,Đà Nẵng,GHTK,,AO-S,Áo sơ mi,,1,200.000,,,,cuong',
  'C3,07/03/2025 10:00,Chờ xác nhận,Lê Cường,0901234567,Đà Nẵng,GHTK,,VO-1,Vớ,,hai,20.000,,,,cuong',
  '',
].join('\r\n');

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
});
afterAll(() => subgraph?.stop());

async function start(who: Identity, csv: string, source = 'SHOPEE') {
  const body = await subgraph.query(who, IMPORT, { source, csv });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!.importOrdersCsv as { id: string; status: string; rowsTotal: number };
}

async function read(who: Identity, id: string, on = subgraph) {
  const body = await on.query(who, JOB, { id });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!.orderImport;
}

/** Polls until the import is finished (the worker runs in the background). */
async function finished(who: Identity, id: string, on = subgraph) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = await read(who, id, on);
    if (job.status === 'DONE' || job.status === 'FAILED') return job;
    if (Date.now() > deadline) throw new Error(`not finished: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('importOrdersCsv', () => {
  const shop = ws('small');
  let firstId: string;

  it('imports a small export in the background: two orders, one rejected with its line', async () => {
    const queued = await start(as(shop), EXPORT);
    firstId = queued.id;
    expect(queued).toMatchObject({ status: 'QUEUED', rowsTotal: 5, ignoredColumns: ['Người Mua'] });
    const job = await finished(as(shop), queued.id);
    expect(job).toMatchObject({
      source: 'SHOPEE',
      status: 'DONE',
      rowsTotal: 5,
      rowsProcessed: 5,
      ordersCreated: 2,
      ordersUpdated: 0,
      ordersUnchanged: 0,
      ordersRejected: 1,
      errorCount: 1,
      failure: null,
    });
    expect(job.errors).toEqual({
      edges: [
        {
          node: {
            // The quoted line break of A1's address moves file lines past rows.
            line: 8,
            row: 6,
            code: 'C3',
            column: 'Số lượng',
            message: 'column "Số lượng": "hai" is not a whole number',
          },
        },
      ],
      pageInfo: { hasNextPage: false },
    });
    const orders = await subgraph.db.query(
      `SELECT code, source, status, buyer_name, buyer_phone_e164, shipping_address,
              shipping_carrier, tracking_code, items, subtotal, discount_total, shipping_fee,
              total, voucher_code, ordered_at
         FROM customer_order WHERE workspace_id = $1 ORDER BY code`,
      [shop],
    );
    expect(orders).toEqual([
      {
        code: 'A1',
        source: 'SHOPEE',
        status: 'COMPLETED',
        buyer_name: 'Nguyễn Văn An',
        buyer_phone_e164: '+84912345678',
        shipping_address: '12 Lê Lợi, P. Bến Nghé\r\nQuận 1, TP.HCM',
        shipping_carrier: 'SPX Express',
        tracking_code: 'SPXVN01',
        items: [
          {
            sku: 'AO-L',
            productName: 'Áo thun "basic"',
            variant: 'Trắng, L',
            quantity: 2,
            unitPrice: 150_000,
            discount: 0,
          },
          {
            sku: 'MU-1',
            productName: 'Mũ lưỡi trai',
            variant: null,
            quantity: 1,
            unitPrice: 1_000_000,
            discount: 0,
          },
        ],
        subtotal: '1300000',
        // What the total (1.310.000) leaves out of 1.300.000 + 30.000 shipping.
        discount_total: '20000',
        shipping_fee: '30000',
        total: '1310000',
        voucher_code: 'SHOPEE10',
        ordered_at: new Date('2025-03-05T07:30:00.000Z'),
      },
      expect.objectContaining({
        code: 'B2',
        status: 'SHIPPING',
        buyer_phone_e164: '+84987654321',
        total: '450000',
      }),
    ]);
  });

  it('imports the same file again as unchanged, writing nothing', async () => {
    const before = await subgraph.db.query(
      `SELECT code, updated_at FROM customer_order WHERE workspace_id = $1 ORDER BY code`,
      [shop],
    );
    const again = await finished(as(shop), (await start(as(shop), EXPORT)).id);
    expect(again).toMatchObject({
      status: 'DONE',
      rowsProcessed: 5,
      ordersCreated: 0,
      ordersUpdated: 0,
      ordersUnchanged: 2,
      ordersRejected: 1,
    });
    expect(
      await subgraph.db.query(
        `SELECT code, updated_at FROM customer_order WHERE workspace_id = $1 ORDER BY code`,
        [shop],
      ),
    ).toEqual(before);
    const list = await subgraph.query(as(shop), '{ orderImports { edges { node { id } } } }');
    expect(list.data!.orderImports.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([
      again.id,
      firstId,
    ]);
  });

  it('refuses staff and analysts, and never shows a job to another workspace', async () => {
    for (const role of ['staff', 'analyst'] as const) {
      const refused = await subgraph.query(as(shop, role), IMPORT, {
        source: 'SHOPEE',
        csv: EXPORT,
      });
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const denied = await subgraph.query(as(shop, role), JOB, { id: firstId });
      expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const other = ws('other');
    expect(await read(as(other), firstId)).toBeNull();
    const list = await subgraph.query(as(other), '{ orderImports { edges { node { id } } } }');
    expect(list.data!.orderImports.edges).toEqual([]);
    expect(
      await subgraph.db.query(
        'SELECT count(*)::int AS n FROM order_import WHERE workspace_id = $1',
        [other],
      ),
    ).toEqual([{ n: 0 }]);
  });
});

describe('OrderImport.errors', () => {
  it('pages the errors by line with a cursor', async () => {
    const shop = ws('errors');
    const bad = (i: number) => `E${i},01/02/2025,Hoàn thành,,Áo,${i},x`;
    const csv = exportOf(2, 'OK')
      .split('\n')
      .concat([bad(1), bad(2), bad(3)])
      .join('\n');
    const { id } = await start(as(shop), csv);
    expect(await finished(as(shop), id)).toMatchObject({
      ordersCreated: 2,
      ordersRejected: 3,
      errorCount: 3,
    });
    const page = async (after: string | null) =>
      (
        await subgraph.query(
          as(shop),
          `query($id: ID!, $after: String) { orderImport(id: $id) {
            errors(first: 2, after: $after) { edges { cursor node { line code } } pageInfo { hasNextPage endCursor } } } }`,
          { id, after },
        )
      ).data!.orderImport.errors;
    const first = await page(null);
    expect(first.edges.map((e: { node: object }) => e.node)).toEqual([
      { line: 4, code: 'E1' },
      { line: 5, code: 'E2' },
    ]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.pageInfo.endCursor);
    expect(second.edges.map((e: { node: object }) => e.node)).toEqual([{ line: 6, code: 'E3' }]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });
});

describe('importOrdersCsv refusals', () => {
  const shop = ws('caps');
  const refusal = async (csv: string) => {
    const body = await subgraph.query(as(shop), IMPORT, { source: 'LAZADA', csv });
    expect(body.data).toBeNull();
    return body.errors![0];
  };

  it('refuses a file over 5 MiB before parsing it: its unclosed quote is never seen', async () => {
    const csv = `"${'x'.repeat(MAX_IMPORT_BYTES)}`;
    const error = await refusal(csv);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv' });
    expect(error.message).toBe(
      'the file is 5,242,881 bytes, more than the 5,242,880 (5 MiB) one import takes: split it',
    );
  });

  it('refuses more than 20,000 rows from their count, before reading the header', async () => {
    const csv = [
      'not a header we know',
      ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => 'x'),
    ].join('\n');
    const error = await refusal(csv);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv' });
    expect(error.message).toBe(
      'the file has 20,001 rows after its header, more than the 20,000 one import takes: split it',
    );
  });

  it('refuses an unclosed quote and a header without the required columns', async () => {
    expect((await refusal('Mã đơn hàng,Ghi chú\nA1,"oops\n')).message).toBe(
      'line 2: a quoted value opened here is never closed',
    );
    expect((await refusal('Mã đơn hàng,Ghi chú\nA1,x\n')).message).toMatch(
      /^the header row has no column for orderedAt/,
    );
    const jobs = await subgraph.db.query(
      'SELECT count(*)::int AS n FROM order_import WHERE workspace_id = $1',
      [shop],
    );
    expect(jobs).toEqual([{ n: 0 }]);
  });
});

/** An export of `n` orders of one item each. */
function exportOf(n: number, prefix: string): string {
  const rows = Array.from(
    { length: n },
    (_, i) => `${prefix}${i},01/02/2025 08:00,Hoàn thành,09${String(10_000_000 + i)},Áo,1,100.000`,
  );
  return ['Mã đơn hàng,Ngày đặt hàng,Trạng thái,SĐT,Tên sản phẩm,Số lượng,Đơn giá', ...rows].join(
    '\n',
  );
}

describe('the import worker', () => {
  it("takes turns between workspaces: a small import does not wait for another's big one", async () => {
    const big = ws('big');
    const small = ws('small-after');
    const bigJob = await start(as(big), exportOf(8 * ORDERS_PER_CHUNK, 'B'));
    const smallJob = await start(as(small), exportOf(3, 'S'));
    const [bigDone, smallDone] = [
      await finished(as(big), bigJob.id),
      await finished(as(small), smallJob.id),
    ];
    expect(bigDone).toMatchObject({ status: 'DONE', ordersCreated: 8 * ORDERS_PER_CHUNK });
    expect(smallDone).toMatchObject({ status: 'DONE', ordersCreated: 3 });
    // Oldest first alone would have run all eight chunks of the big one first.
    expect(new Date(smallDone.finishedAt).getTime()).toBeLessThan(
      new Date(bigDone.finishedAt).getTime(),
    );
  });
});

describe('an import whose process died', () => {
  const shop = ws('crash');
  const ORDERS = 2 * ORDERS_PER_CHUNK + 50;
  let databaseUrl: string;
  let resumed: TestSubgraph | undefined;
  afterAll(() => resumed?.stop());

  it('is resumed by the next process, writing each order once', async () => {
    databaseUrl = await createTestDatabase('orders-import-crash');
    // A process of its own, without the worker, to stop the job where a crash would.
    const db: DataSource = await openDatabase(
      subgraphDatabaseOptions(ordersLoyaltySubgraph, databaseUrl),
    );
    try {
      await db.query('INSERT INTO workspace (id) VALUES ($1)', [shop]);
      const job = await startImport(db, as(shop), 'TIKTOK_SHOP', exportOf(ORDERS, 'T'));
      expect(await runImportBatch(db, job.id)).toBe('more'); // the parse
      expect(await runImportBatch(db, job.id)).toBe('more'); // chunk 0
      // Chunk 1: the process dies after its orders were written, before the batch's
      // commit (here: its checkpoint fails). Orders and checkpoint go together.
      await db.query(`
        CREATE FUNCTION die_once() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the process died'; END $$`);
      await db.query(`CREATE TRIGGER die_once BEFORE UPDATE ON order_import
        FOR EACH ROW WHEN (OLD.next_chunk = 1) EXECUTE FUNCTION die_once()`);
      await expect(runImportBatch(db, job.id)).rejects.toThrow('the process died');
      await db.query('DROP TRIGGER die_once ON order_import; DROP FUNCTION die_once()');
      expect(
        await db.query('SELECT status, next_chunk FROM order_import WHERE id = $1', [job.id]),
      ).toEqual([{ status: 'RUNNING', next_chunk: 1 }]);
      const [written] = await db.query(
        'SELECT count(*)::int AS n FROM customer_order WHERE workspace_id = $1',
        [shop],
      );
      expect(written.n).toBe(ORDERS_PER_CHUNK); // chunk 0's only
      resumed = await startTestSubgraph(ordersLoyaltySubgraph, { databaseUrl });
      const done = await finished(as(shop), job.id, resumed);
      expect(done).toMatchObject({
        status: 'DONE',
        rowsProcessed: ORDERS,
        // Every order counted once, as created: the counts match what was written.
        ordersCreated: ORDERS,
        ordersUnchanged: 0,
        ordersUpdated: 0,
      });
      const [counts] = await resumed.db.query(
        `SELECT (SELECT count(*)::int FROM customer_order WHERE workspace_id = $1) AS orders,
                (SELECT count(DISTINCT code)::int FROM customer_order WHERE workspace_id = $1) AS codes,
                (SELECT count(*)::int FROM customer_order_status WHERE workspace_id = $1) AS history,
                (SELECT count(*)::int FROM order_import_chunk WHERE workspace_id = $1) AS chunks`,
        [shop],
      );
      expect(counts).toEqual({ orders: ORDERS, codes: ORDERS, history: ORDERS, chunks: 0 });
    } finally {
      await db.destroy();
    }
  });
});
