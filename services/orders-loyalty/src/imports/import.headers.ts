// Which column of an order export holds what. Headers are matched folded (the
// runtime's foldHeader: no case, diacritics, spaces or punctuation), so "Mã đơn hàng",
// "MÃ ĐƠN HÀNG" and "Ma_don_hang" are one header. Each field lists the headers that
// name it, best first: when a file has two of them ("Tên người nhận" and "Tên khách
// hàng"), the better-ranked one is read and the other is ignored (reported in
// `ignoredColumns`), as is any header not listed here. docs/orders.md shows this table;
// a test keeps the two in step.
import { badInput, foldHeader, headerIndex } from '@customer-graph/runtime';

/** What an order export's row says: order-level fields repeat on each of its rows. */
export type ImportField =
  | 'code'
  | 'orderedAt'
  | 'updatedAt'
  | 'status'
  | 'buyerName'
  | 'buyerPhone'
  | 'buyerEmail'
  | 'shippingAddress'
  | 'shippingCarrier'
  | 'trackingCode'
  | 'shippingFee'
  | 'orderDiscount'
  | 'total'
  | 'voucherCode'
  | 'note'
  | 'sku'
  | 'productName'
  | 'variant'
  | 'quantity'
  | 'unitPrice'
  | 'discount';

// A table, one field per line.
// prettier-ignore
export const HEADERS: Record<ImportField, readonly string[]> = {
  code: ['Mã đơn hàng', 'Mã đơn', 'Mã ĐH', 'Mã đặt hàng', 'Mã hóa đơn', 'Order ID', 'Order code', 'Order number', 'Order No'],
  orderedAt: ['Ngày đặt hàng', 'Thời gian đặt hàng', 'Ngày tạo đơn', 'Ngày tạo', 'Thời gian tạo', 'Ngày đặt', 'Order date', 'Ordered at', 'Created at', 'Create time'],
  updatedAt: ['Ngày cập nhật', 'Thời gian cập nhật', 'Cập nhật lúc', 'Updated at', 'Update time', 'Last updated'],
  status: ['Trạng thái đơn hàng', 'Trạng thái', 'Tình trạng', 'Order status', 'Status'],
  buyerName: ['Tên người nhận', 'Người nhận', 'Tên khách hàng', 'Khách hàng', 'Tên người mua', 'Họ tên', 'Họ và tên', 'Recipient name', 'Recipient', 'Customer name', 'Buyer name', 'Shipping name'],
  buyerPhone: ['Số điện thoại', 'Số điện thoại người nhận', 'SĐT', 'SĐT người nhận', 'Điện thoại', 'Số ĐT', 'Phone', 'Phone number', 'Recipient phone', 'Customer phone', 'Buyer phone', 'Mobile'],
  buyerEmail: ['Email', 'Email khách hàng', 'Customer email', 'Buyer email'],
  shippingAddress: ['Địa chỉ nhận hàng', 'Địa chỉ giao hàng', 'Địa chỉ người nhận', 'Địa chỉ', 'Shipping address', 'Delivery address', 'Address'],
  shippingCarrier: ['Đơn vị vận chuyển', 'Nhà vận chuyển', 'Hãng vận chuyển', 'Đối tác giao hàng', 'Carrier', 'Shipping carrier', 'Shipping provider'],
  trackingCode: ['Mã vận đơn', 'Mã vận chuyển', 'Mã theo dõi', 'Tracking code', 'Tracking number', 'Tracking no'],
  shippingFee: ['Phí vận chuyển mà người mua trả', 'Phí vận chuyển', 'Phí giao hàng', 'Phí ship', 'Shipping fee', 'Delivery fee'],
  orderDiscount: ['Giảm giá đơn hàng', 'Chiết khấu đơn hàng', 'Giảm giá hóa đơn', 'Order discount', 'Discount total'],
  total: ['Tổng tiền', 'Tổng thanh toán', 'Tổng số tiền người mua thanh toán', 'Khách cần trả', 'Tổng cộng', 'Total', 'Order total', 'Grand total', 'Total amount'],
  voucherCode: ['Mã giảm giá', 'Mã voucher', 'Mã khuyến mãi', 'Mã khuyến mại', 'Voucher', 'Voucher code', 'Coupon', 'Coupon code', 'Discount code', 'Promo code'],
  note: ['Ghi chú', 'Ghi chú đơn hàng', 'Ghi chú của người mua', 'Nhận xét từ người mua', 'Lời nhắn', 'Note', 'Notes', 'Remark', 'Buyer note', 'Buyer message'],
  sku: ['SKU', 'Mã SKU', 'SKU phân loại hàng', 'SKU sản phẩm', 'Mã hàng', 'Mã sản phẩm', 'Seller SKU'],
  productName: ['Tên sản phẩm', 'Tên hàng', 'Tên mặt hàng', 'Sản phẩm', 'Product name', 'Product', 'Item name', 'Item'],
  variant: ['Tên phân loại hàng', 'Phân loại hàng', 'Phân loại', 'Biến thể', 'Thuộc tính', 'Variant', 'Variation', 'Variation name', 'Option'],
  quantity: ['Số lượng', 'SL', 'Quantity', 'Qty'],
  unitPrice: ['Giá bán', 'Đơn giá', 'Giá ưu đãi', 'Giá', 'Unit price', 'Price', 'Sale price', 'Paid price', 'Item price'],
  discount: ['Giảm giá', 'Chiết khấu', 'Giảm giá sản phẩm', 'Discount', 'Item discount', 'Line discount'],
};

/** Without these a file is refused before it is queued. */
export const REQUIRED_FIELDS: readonly ImportField[] = [
  'code',
  'orderedAt',
  'status',
  'productName',
  'quantity',
  'unitPrice',
];

/** Fields that describe the order, written again on each of its rows. */
export const ORDER_FIELDS: readonly ImportField[] = [
  'orderedAt',
  'updatedAt',
  'status',
  'buyerName',
  'buyerPhone',
  'buyerEmail',
  'shippingAddress',
  'shippingCarrier',
  'trackingCode',
  'shippingFee',
  'orderDiscount',
  'total',
  'voucherCode',
  'note',
];

/** Folded header → its field and rank (0 is best). */
const BY_FOLDED = headerIndex(HEADERS);

/** A recognised column: where it is and its header as the file writes it. */
export interface Column {
  index: number;
  header: string;
}

export interface HeaderMap {
  columns: Partial<Record<ImportField, Column>>;
  /** Non-empty headers not read, in file order. */
  ignored: string[];
}

/** Which column holds each field, from a header record. */
export function recogniseHeader(cells: readonly string[]): HeaderMap {
  const best = new Map<ImportField, Column & { rank: number }>();
  cells.forEach((cell, index) => {
    const known = BY_FOLDED.get(foldHeader(cell));
    if (!known) return;
    const held = best.get(known.field);
    if (!held || known.rank < held.rank) {
      best.set(known.field, { index, header: cell.trim(), rank: known.rank });
    }
  });
  const columns: HeaderMap['columns'] = {};
  const used = new Set<number>();
  for (const [field, { index, header }] of best) {
    columns[field] = { index, header };
    used.add(index);
  }
  const ignored = cells.flatMap((cell, index) =>
    used.has(index) || cell.trim() === '' ? [] : [cell.trim()],
  );
  return { columns, ignored };
}

/** The header map, or BAD_USER_INPUT on `csv` naming each missing column. */
export function requireColumns(header: HeaderMap): HeaderMap {
  const missing = REQUIRED_FIELDS.filter((field) => !header.columns[field]);
  if (missing.length > 0) {
    const named = missing.map((field) => `${field} (${HEADERS[field].slice(0, 2).join(' / ')})`);
    throw badInput('csv', `the header row has no column for ${named.join(', ')}`);
  }
  return header;
}
