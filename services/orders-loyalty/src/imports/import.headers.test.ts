import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { foldHeader } from '@customer-graph/runtime';
import { HEADERS, recogniseHeader, requireColumns } from './import.headers';
import { STATUS_WORDS } from './import.values';

const fieldsOf = (cells: string[]) =>
  Object.fromEntries(
    Object.entries(recogniseHeader(cells).columns).map(([field, c]) => [field, c!.index]),
  );

describe('recogniseHeader', () => {
  it('reads a Shopee export header, whatever the case and diacritics', () => {
    const cells = [
      'Mã đơn hàng',
      'NGÀY ĐẶT HÀNG',
      'Trang thai don hang',
      'Tên Người Nhận',
      'Số điện thoại',
      'Địa chỉ nhận hàng',
      'Đơn Vị Vận Chuyển',
      'Mã vận đơn',
      'SKU phân loại hàng',
      'Tên sản phẩm',
      'Tên phân loại hàng',
      'Số lượng',
      'Giá ưu đãi',
      'Phí vận chuyển mà người mua trả',
      'Tổng số tiền người mua thanh toán',
      'Mã giảm giá',
      'Nhận xét từ Người mua',
      'Người Mua',
    ];
    expect(fieldsOf(cells)).toEqual({
      code: 0,
      orderedAt: 1,
      status: 2,
      buyerName: 3,
      buyerPhone: 4,
      shippingAddress: 5,
      shippingCarrier: 6,
      trackingCode: 7,
      sku: 8,
      productName: 9,
      variant: 10,
      quantity: 11,
      unitPrice: 12,
      shippingFee: 13,
      total: 14,
      voucherCode: 15,
      note: 16,
    });
    // The buyer's username is not a name: left out, and said so.
    expect(recogniseHeader(cells).ignored).toEqual(['Người Mua']);
  });

  it('reads English headers and punctuation-insensitive ones', () => {
    expect(
      fieldsOf([
        'Order ID',
        'order_date',
        'Status',
        'SKU',
        'Product Name',
        'Qty',
        'Unit price',
        'E-mail',
      ]),
    ).toEqual({
      code: 0,
      orderedAt: 1,
      status: 2,
      sku: 3,
      productName: 4,
      quantity: 5,
      unitPrice: 6,
      buyerEmail: 7,
    });
  });

  it('takes the better-ranked of two headers for one field, and reports the other as ignored', () => {
    const header = recogniseHeader([
      'Tên khách hàng',
      'Mã ĐH',
      'Tên người nhận',
      'Đơn giá',
      'Giá bán',
      '',
    ]);
    expect(header.columns.buyerName).toEqual({ index: 2, header: 'Tên người nhận' });
    expect(header.columns.unitPrice).toEqual({ index: 4, header: 'Giá bán' });
    expect(header.ignored).toEqual(['Tên khách hàng', 'Đơn giá']);
  });

  it('refuses a header without the required columns, naming each on csv', () => {
    let error: unknown;
    try {
      requireColumns(recogniseHeader(['Mã đơn hàng', 'Tên sản phẩm', 'Số lượng', 'Ghi chú']));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'csv',
    });
    expect((error as GraphQLError).message).toBe(
      'the header row has no column for orderedAt (Ngày đặt hàng / Thời gian đặt hàng), status (Trạng thái đơn hàng / Trạng thái), unitPrice (Giá bán / Đơn giá)',
    );
  });

  it('names no header for two fields', () => {
    const folded = Object.values(HEADERS).flat().map(foldHeader);
    const owners = new Map<string, number>();
    for (const [i, headers] of Object.values(HEADERS).entries()) {
      for (const h of headers) {
        const f = foldHeader(h);
        expect(owners.get(f) ?? i).toBe(i);
        owners.set(f, i);
      }
    }
    expect(folded.length).toBeGreaterThan(100);
  });
});

describe('docs/orders.md', () => {
  const docs = readFileSync(path.join(__dirname, '../../../../docs/orders.md'), 'utf8');

  it('shows every recognised header and status word', () => {
    const missing = [
      ...Object.values(HEADERS).flat(),
      ...Object.values(STATUS_WORDS).flat(),
    ].filter((h) => !docs.includes(`\`${h}\``));
    expect(missing).toEqual([]);
  });
});
