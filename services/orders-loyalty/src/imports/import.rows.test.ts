import { readCsv, runToEnd } from '@customer-graph/runtime';
import { recogniseHeader } from './import.headers';
import { rejectionError } from './import.order';
import { groupRows } from './import.rows';

const HEADER =
  'Mã đơn hàng,Ngày đặt hàng,Trạng thái đơn hàng,Số điện thoại,Tên sản phẩm,Số lượng,Giá bán,Giảm giá,Phí vận chuyển,Tổng tiền';

function group(lines: string[]) {
  const records = readCsv([HEADER, ...lines].join('\r\n'));
  const cells = records.next().value!.cells;
  const header = { ...recogniseHeader(cells), width: cells.length };
  return { header, grouped: runToEnd(groupRows(records, header, 'SHOPEE')) };
}

describe('groupRows', () => {
  it('groups the rows of an order by its code, anywhere in the file, into one order with its items', () => {
    const { grouped } = group([
      'A1,05/03/2025 14:30,Hoàn thành,0912345678,Áo thun,2,"150.000",10.000,30.000,"320.000"',
      'B2,06/03/2025 09:00,Đang giao,,Mũ,1,50000,,,50000',
      // The second item of A1 leaves the order's values blank.
      'A1,,,,Quần,1,"20.000",,,',
    ]);
    expect(grouped).toMatchObject({ rows: 3, rejectedOrders: 0, rejectedRows: 0, errors: [] });
    expect(grouped.orders.map((o) => o.input)).toEqual([
      {
        source: 'SHOPEE',
        code: 'A1',
        status: 'COMPLETED',
        buyerName: null,
        buyerPhone: '0912345678',
        buyerEmail: null,
        shippingAddress: null,
        shippingCarrier: null,
        trackingCode: null,
        shippingFee: 30_000,
        note: null,
        items: [
          {
            sku: null,
            productName: 'Áo thun',
            variant: null,
            quantity: 2,
            unitPrice: 150_000,
            discount: 10_000,
          },
          {
            sku: null,
            productName: 'Quần',
            variant: null,
            quantity: 1,
            unitPrice: 20_000,
            discount: 0,
          },
        ],
        subtotal: 310_000,
        // What the total leaves out: 310.000 + 30.000 − 320.000.
        discountTotal: 20_000,
        total: 320_000,
        voucherCode: null,
        orderedAt: '2025-03-05T07:30:00.000Z',
        updatedAt: '2025-03-05T07:30:00.000Z',
      },
      expect.objectContaining({
        code: 'B2',
        status: 'SHIPPING',
        subtotal: 50_000,
        total: 50_000,
        discountTotal: 0,
        shippingFee: 0,
      }),
    ]);
    expect(grouped.orders[0]).toMatchObject({
      first: { line: 2, row: 2 },
      items: [
        { line: 2, row: 2 },
        { line: 4, row: 4 },
      ],
      rows: 2,
    });
  });

  it('rejects an order with a bad row, every row of it, naming line, code and column', () => {
    const { grouped } = group([
      'A1,05/03/2025 14:30,Hoàn thành,,Áo,1,100000,,,100000',
      'C3,05/03/2025 14:30,Hoàn thành,,Áo,hai,100000,,,100000',
      'C3,05/03/2025 14:30,Hoàn thành,,Quần,1,1.5,,,100000',
      ',05/03/2025 14:30,Hoàn thành,,Áo,1,100000,,,100000',
    ]);
    expect(grouped.orders.map((o) => o.input.code)).toEqual(['A1']);
    expect(grouped).toMatchObject({ rows: 4, rejectedOrders: 1, rejectedRows: 3 });
    expect(grouped.errors).toEqual([
      {
        line: 3,
        row: 3,
        code: 'C3',
        column: 'Số lượng',
        message: 'column "Số lượng": "hai" is not a whole number',
      },
      {
        line: 4,
        row: 4,
        code: 'C3',
        column: 'Giá bán',
        message: 'column "Giá bán": "1.5" has a fraction of a đồng',
      },
      {
        line: 5,
        row: 5,
        code: null,
        column: 'Mã đơn hàng',
        message: 'column "Mã đơn hàng": is empty: the row belongs to no order',
      },
    ]);
  });

  it('rejects rows of one order that disagree on an order-level value', () => {
    const { grouped } = group([
      'A1,05/03/2025 14:30,Hoàn thành,,Áo,1,100000,,,150000',
      'A1,05/03/2025 14:30,Đã hủy,,Quần,1,50000,,,150000',
    ]);
    expect(grouped.orders).toEqual([]);
    expect(grouped.errors).toEqual([
      expect.objectContaining({
        line: 3,
        column: 'Trạng thái đơn hàng',
        message:
          'column "Trạng thái đơn hàng": "Đã hủy" here but "Hoàn thành" on line 2, a row of the same order',
      }),
    ]);
  });

  it('rejects an order whose total is more than its items and shipping, or that lacks a status', () => {
    const { grouped } = group([
      'A1,05/03/2025 14:30,Hoàn thành,,Áo,1,100.000,,10.000,200.000',
      'B2,05/03/2025 14:30,,,Áo,1,100000,,,100000',
      'C3,05/03/2025 14:30,Hoàn thành,,Áo,1,100000,,,',
    ]);
    expect(grouped.orders.map((o) => o.input)).toEqual([
      expect.objectContaining({ code: 'C3', total: 100_000, discountTotal: 0 }),
    ]);
    expect(grouped.errors.map((e) => [e.line, e.code, e.message])).toEqual([
      [
        2,
        'A1',
        'column "Tổng tiền": 200.000 is more than the items (100.000) plus the shipping fee (10.000)',
      ],
      [3, 'B2', 'column "Trạng thái đơn hàng": is empty on every row of the order'],
    ]);
  });

  it('rejects a row with more cells than the header, and one missing an item value', () => {
    const { grouped } = group([
      'A1,05/03/2025 14:30,Hoàn thành,,Áo, size L,1,100000,,,100000',
      'B2,05/03/2025 14:30,Hoàn thành,,,1,100000,,,100000',
    ]);
    expect(grouped.orders).toEqual([]);
    expect(grouped.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [2, null, 'has 11 cells but the header 10: a value holding the delimiter must be in quotes'],
      [3, 'Tên sản phẩm', 'column "Tên sản phẩm": is empty'],
    ]);
  });

  it('yields to the event loop every 500 rows when driven in chunks', () => {
    const lines = Array.from(
      { length: 1200 },
      (_, i) => `C${i},05/03/2025,Hoàn thành,,Áo,1,1000,,,1000`,
    );
    const records = readCsv([HEADER, ...lines].join('\n'));
    const cells = records.next().value!.cells;
    const work = groupRows(records, { ...recogniseHeader(cells), width: cells.length }, 'LAZADA');
    let yields = 0;
    for (let step = work.next(); !step.done; step = work.next()) yields++;
    expect(yields).toBe(2);
  });
});

describe('rejectionError', () => {
  it("places an upsert's rejection on the item's line and column", () => {
    const { header, grouped } = group([
      'A1,05/03/2025 14:30,Hoàn thành,0123,Áo,1,100000,,,',
      'A1,05/03/2025 14:30,Hoàn thành,0123,Quần,1,50000,,,',
    ]);
    const [order] = grouped.orders;
    expect(
      rejectionError(order, header, { field: 'items[1].quantity', reason: 'is too many' }),
    ).toEqual({
      line: 3,
      row: 3,
      code: 'A1',
      column: 'Số lượng',
      message: 'column "Số lượng": is too many',
    });
    expect(
      rejectionError(order, header, {
        field: 'buyerPhone',
        reason: '"0123" is not a valid phone number',
      }),
    ).toEqual({
      line: 2,
      row: 2,
      code: 'A1',
      column: 'Số điện thoại',
      message: 'column "Số điện thoại": "0123" is not a valid phone number',
    });
  });
});
