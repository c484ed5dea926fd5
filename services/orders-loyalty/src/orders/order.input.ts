// Checking one order of `upsertOrders` before anything is written: every value, the
// sums, the phone through the runtime's one phone module. A bad order becomes a
// rejection naming its field; nothing of it reaches the database.
import { isUuid, toE164 } from '@customer-graph/runtime';
import type { OrderInput } from '../generated/graphql';
import { ORDER_SOURCES, ORDER_STATUSES } from './order.entity';
import type { OrderItem, OrderSource, OrderStatus } from './order.entity';

/** The most orders one call may carry. */
export const MAX_ORDERS_PER_CALL = 500;
const MAX_ITEMS = 200;
const MAX_TEXT = 2000;

/** An order that passed every check, normalised for the upsert. */
export interface CheckedOrder {
  index: number;
  source: OrderSource;
  code: string;
  status: OrderStatus;
  customerId: string | null;
  buyerName: string | null;
  buyerPhone: string | null;
  buyerPhoneE164: string | null;
  buyerEmail: string | null;
  shippingAddress: string | null;
  shippingCarrier: string | null;
  trackingCode: string | null;
  note: string | null;
  items: OrderItem[];
  subtotal: number;
  discountTotal: number;
  shippingFee: number;
  total: number;
  voucherCode: string | null;
  orderedAt: Date;
  updatedAt: Date;
}

export interface Rejection {
  index: number;
  source: string;
  code: string;
  field: string;
  reason: string;
}

class Bad extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(reason);
  }
}

function optionalText(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length > MAX_TEXT) throw new Bad(field, `is longer than ${MAX_TEXT} characters`);
  return trimmed === '' ? null : trimmed;
}

function requiredText(value: string, field: string, max = MAX_TEXT): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new Bad(field, 'must not be empty');
  if (trimmed.length > max) throw new Bad(field, `is longer than ${max} characters`);
  return trimmed;
}

function amount(value: number | string | null | undefined, field: string): number {
  const n = Number(value ?? 0);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Bad(field, 'must be a whole, non-negative amount');
  return n;
}

function instant(value: Date | string, field: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Bad(field, 'is not a date-time');
  return date;
}

function checkItems(items: OrderInput['items']): OrderItem[] {
  if (items.length > MAX_ITEMS) throw new Bad('items', `has more than ${MAX_ITEMS} lines`);
  return items.map((item, i) => {
    const at = `items[${i}]`;
    if (!Number.isInteger(item.quantity) || item.quantity < 1) {
      throw new Bad(`${at}.quantity`, `must be a whole number of at least 1, got ${item.quantity}`);
    }
    const unitPrice = amount(item.unitPrice, `${at}.unitPrice`);
    const discount = amount(item.discount, `${at}.discount`);
    if (discount > item.quantity * unitPrice) {
      throw new Bad(`${at}.discount`, 'is more than the line is worth');
    }
    return {
      sku: optionalText(item.sku, `${at}.sku`),
      productName: requiredText(item.productName, `${at}.productName`),
      variant: optionalText(item.variant, `${at}.variant`),
      quantity: item.quantity,
      unitPrice,
      discount,
    };
  });
}

function check(input: OrderInput, index: number): CheckedOrder {
  if (!(ORDER_SOURCES as readonly string[]).includes(input.source)) {
    throw new Bad('source', `"${input.source}" is not one of ${ORDER_SOURCES.join(', ')}`);
  }
  if (!(ORDER_STATUSES as readonly string[]).includes(input.status)) {
    throw new Bad('status', `"${input.status}" is not one of ${ORDER_STATUSES.join(', ')}`);
  }
  const code = requiredText(input.code, 'code', 100);
  if (input.customerId != null && !isUuid(input.customerId)) {
    throw new Bad('customerId', 'is not a customer id');
  }
  const buyerPhone = optionalText(input.buyerPhone, 'buyerPhone');
  const buyerPhoneE164 = buyerPhone === null ? null : toE164(buyerPhone);
  if (buyerPhone !== null && buyerPhoneE164 === null) {
    throw new Bad('buyerPhone', `"${buyerPhone}" is not a valid phone number`);
  }
  const items = checkItems(input.items);
  const subtotal = amount(input.subtotal, 'subtotal');
  const discountTotal = amount(input.discountTotal, 'discountTotal');
  const shippingFee = amount(input.shippingFee, 'shippingFee');
  const total = amount(input.total, 'total');
  const lines = items.reduce((sum, it) => sum + it.quantity * it.unitPrice - it.discount, 0);
  if (subtotal !== lines) {
    throw new Bad('subtotal', `is ${subtotal} but the items add up to ${lines}`);
  }
  const expected = subtotal - discountTotal + shippingFee;
  if (total !== expected) {
    throw new Bad('total', `is ${total} but subtotal − discountTotal + shippingFee is ${expected}`);
  }
  return {
    index,
    source: input.source as OrderSource,
    code,
    status: input.status as OrderStatus,
    customerId: input.customerId ?? null,
    buyerName: optionalText(input.buyerName, 'buyerName'),
    buyerPhone,
    buyerPhoneE164,
    buyerEmail: optionalText(input.buyerEmail, 'buyerEmail'),
    shippingAddress: optionalText(input.shippingAddress, 'shippingAddress'),
    shippingCarrier: optionalText(input.shippingCarrier, 'shippingCarrier'),
    trackingCode: optionalText(input.trackingCode, 'trackingCode'),
    note: optionalText(input.note, 'note'),
    items,
    subtotal,
    discountTotal,
    shippingFee,
    total,
    voucherCode: optionalText(input.voucherCode, 'voucherCode'),
    orderedAt: instant(input.orderedAt, 'orderedAt'),
    updatedAt: instant(input.updatedAt, 'updatedAt'),
  };
}

/** Checks one order: the normalised order, or why it is refused. */
export function checkOrder(input: OrderInput, index: number): CheckedOrder | Rejection {
  try {
    return check(input, index);
  } catch (error) {
    if (!(error instanceof Bad)) throw error;
    return {
      index,
      source: input.source,
      code: input.code,
      field: error.field,
      reason: error.message,
    };
  }
}

export const isRejection = (r: CheckedOrder | Rejection): r is Rejection => 'reason' in r;
