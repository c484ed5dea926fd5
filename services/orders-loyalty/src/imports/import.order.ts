// An order read from an export's rows, as upsertOrders takes it, and upsertOrders'
// rejections placed back on the file's lines and columns.
// - Money: subtotal = Σ(quantity × unit price − line discount). With a total column,
//   the order-level discount is what the total leaves out (subtotal + shipping −
//   total) unless a column gives it; without one, total = subtotal − order discount +
//   shipping. upsertOrders checks every sum again.
// - `updatedAt` (the version upserts compare) is the file's update time when it has a
//   column for it, else the order time: importing the same file again changes
//   nothing, and a later export with a later status wins (see order.upsert.ts).
import type { OrderSource } from '../orders/order.entity';
import type { HeaderMap, ImportField } from './import.headers';
import type { ImportedOrder, Pending, RowError, Value } from './import.rows';

const vnd = new Intl.NumberFormat('vi-VN');

/** The order for upsertOrders, or the error that rejects it. */
export function toOrder(
  order: Pending,
  header: Pick<HeaderMap, 'columns'>,
  source: OrderSource,
): ImportedOrder | RowError {
  const { columns } = header;
  const v = <T extends Value>(field: ImportField) =>
    (order.values[field]?.value ?? null) as T | null;
  const fail = (field: ImportField, message: string): RowError => {
    const column = columns[field]?.header ?? null;
    return {
      ...(order.values[field]?.at ?? order.first),
      code: order.code,
      column,
      message: column ? `column "${column}": ${message}` : message,
    };
  };
  const status = v<string>('status');
  if (status === null) return fail('status', 'is empty on every row of the order');
  const orderedAt = v<Date>('orderedAt');
  if (orderedAt === null) return fail('orderedAt', 'is empty on every row of the order');
  const items = order.items.map((i) => i.item);
  const subtotal = items.reduce(
    (sum, i) => sum + i.quantity * Number(i.unitPrice) - Number(i.discount ?? 0),
    0,
  );
  const shippingFee = v<number>('shippingFee') ?? 0;
  let total = v<number>('total');
  let discountTotal = v<number>('orderDiscount');
  if (total !== null) {
    discountTotal ??= subtotal + shippingFee - total;
    if (discountTotal < 0) {
      return fail(
        'total',
        `${vnd.format(total)} is more than the items (${vnd.format(subtotal)}) plus the shipping fee (${vnd.format(shippingFee)})`,
      );
    }
  } else {
    discountTotal ??= 0;
    total = subtotal - discountTotal + shippingFee;
    if (total < 0) {
      return fail('orderDiscount', 'is more than the items plus the shipping fee');
    }
  }
  const text = (field: ImportField) => v<string>(field);
  return {
    input: {
      source,
      code: order.code,
      status,
      buyerName: text('buyerName'),
      buyerPhone: text('buyerPhone'),
      buyerEmail: text('buyerEmail'),
      shippingAddress: text('shippingAddress'),
      shippingCarrier: text('shippingCarrier'),
      trackingCode: text('trackingCode'),
      shippingFee,
      note: text('note'),
      items,
      subtotal,
      discountTotal,
      total,
      voucherCode: text('voucherCode'),
      orderedAt: orderedAt.toISOString(),
      updatedAt: (v<Date>('updatedAt') ?? orderedAt).toISOString(),
    },
    first: order.first,
    fields: Object.fromEntries(
      Object.entries(order.values).map(([field, held]) => [field, held.at]),
    ) as ImportedOrder['fields'],
    items: order.items.map((i) => i.at),
    rows: order.rows,
  };
}

// upsertOrders' input field → the column it was read from.
const COLUMN_OF: Record<string, ImportField> = {
  code: 'code',
  status: 'status',
  buyerName: 'buyerName',
  buyerPhone: 'buyerPhone',
  buyerEmail: 'buyerEmail',
  shippingAddress: 'shippingAddress',
  shippingCarrier: 'shippingCarrier',
  trackingCode: 'trackingCode',
  shippingFee: 'shippingFee',
  note: 'note',
  items: 'productName',
  subtotal: 'unitPrice',
  discountTotal: 'orderDiscount',
  total: 'total',
  voucherCode: 'voucherCode',
  orderedAt: 'orderedAt',
  updatedAt: 'updatedAt',
};

/** An order upsertOrders rejected, as an error on the line and column at fault. */
export function rejectionError(
  order: ImportedOrder,
  header: Pick<HeaderMap, 'columns'>,
  rejection: { field: string; reason: string },
): RowError {
  const item = /^items\[(\d+)\]\.(\w+)$/.exec(rejection.field);
  const field = (item ? item[2] : COLUMN_OF[rejection.field]) as ImportField | undefined;
  const at = item ? order.items[Number(item[1])] : field && order.fields[field];
  const column = (field && header.columns[field]?.header) || null;
  return {
    ...(at ?? order.first),
    code: order.input.code,
    column,
    message: column ? `column "${column}": ${rejection.reason}` : rejection.reason,
  };
}
