// Reading one cell of an order export: money, whole numbers, dates and statuses as
// Vietnamese marketplaces and shop software write them. Each reader answers null for
// an empty cell and throws BadValue (the reason, without the column: the caller
// names it) for a value it cannot read.
import { foldHeader } from '@customer-graph/runtime';
import type { OrderStatus } from '../orders/order.entity';

export class BadValue extends Error {}

/** Vietnam has kept UTC+7 all year since 1975: no daylight saving to look up. */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

// "₫", "đ", "VND", "VNĐ" before or after; spaces (no-break ones too) anywhere.
const CURRENCY = /đồng|vnđ|vnd|₫|đ/giu;
const SPACES = /[\s\u00a0\u202f]/g;
const WHOLE = /^\d+$/;
const GROUPED_DOT = /^\d{1,3}(\.\d{3})+$/;
const GROUPED_COMMA = /^\d{1,3}(,\d{3})+$/;
// A decimal part, e.g. "125000.00" (Lazada) or "1.250.000,00": all zeros, or refused.
const WITH_DECIMALS = /^(\d{1,3}(?:([.,])\d{3})*|\d+)([.,])(\d{1,2})$/;

/**
 * Digits with optional thousands separators ("1.250.000", "1,250,000") or a decimal
 * part of zeros ("125000.00", "1.250.000,00"): a dot or comma followed by groups of
 * three digits separates thousands; one followed by one or two digits is a decimal
 * point. Null when the text is none of these; BadValue for a fraction that is not 0.
 */
function wholeNumber(text: string, written: string, unit: string): number | null {
  let digits: string | null = null;
  if (WHOLE.test(text)) digits = text;
  else if (GROUPED_DOT.test(text) || GROUPED_COMMA.test(text)) digits = text.replace(/[.,]/g, '');
  else {
    const m = WITH_DECIMALS.exec(text);
    // The thousands separator, if any, must differ from the decimal point.
    if (m && m[2] !== m[3]) {
      if (!/^0+$/.test(m[4])) throw new BadValue(`"${written}" has a fraction of ${unit}`);
      digits = m[1].replace(/[.,]/g, '');
    }
  }
  if (digits === null) return null;
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) throw new BadValue(`"${written}" is too large`);
  return n;
}

/**
 * A whole number of đồng: "1.250.000", "1,250,000 ₫", "1250000", "1.250.000đ",
 * "125000.00" (see wholeNumber); "₫", "đ", "VND", "VNĐ" before or after, spaces anywhere.
 */
export function readAmount(cell: string): number | null {
  const written = cell.trim();
  if (written === '') return null;
  const text = written.replace(CURRENCY, '').replace(SPACES, '');
  if (text.startsWith('-')) throw new BadValue(`"${written}" is negative`);
  const n = wholeNumber(text, written, 'a đồng');
  if (n === null) throw new BadValue(`"${written}" is not an amount of đồng`);
  return n;
}

/** A whole count of at least 1 ("2", "1.000", "2.00"). */
export function readQuantity(cell: string): number | null {
  const written = cell.trim();
  if (written === '') return null;
  const n = wholeNumber(written.replace(SPACES, ''), written, 'a unit');
  if (n === null) throw new BadValue(`"${written}" is not a whole number`);
  if (n < 1 || n > 2_147_483_647) throw new BadValue(`"${written}" is not from 1 to 2147483647`);
  return n;
}

const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const YEAR_FIRST =
  /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function vietnamTime(y: number, mo: number, d: number, h: number, mi: number, s: number): Date {
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  // Date.UTC rolls 31/02 over to March: such a date does not exist.
  if (
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo - 1 ||
    check.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  ) {
    throw new BadValue('is not a date that exists');
  }
  return new Date(utc - VIETNAM_OFFSET_MS);
}

/**
 * An instant: "dd/mm/yyyy hh:mm[:ss]" (also with "-" or "."), "yyyy-mm-dd hh:mm[:ss]"
 * (or with "T"), or a date alone, in Vietnam time (Asia/Ho_Chi_Minh, UTC+7); or ISO
 * 8601 with a zone ("2025-03-01T02:30:00Z", "…+07:00"), as written.
 */
export function readInstant(cell: string): Date | null {
  const text = cell.trim();
  if (text === '') return null;
  const bad = () => new BadValue(`"${text}" is not a date (dd/mm/yyyy hh:mm, or ISO 8601)`);
  if (ISO_WITH_ZONE.test(text)) {
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) throw bad();
    return date;
  }
  const dayFirst = DAY_FIRST.exec(text);
  const yearFirst = dayFirst ? null : YEAR_FIRST.exec(text);
  const m = dayFirst ?? yearFirst;
  if (!m) throw bad();
  const [, a, b, c, h = '0', mi = '0', s = '0'] = m;
  const [y, mo, d] = dayFirst ? [c, b, a] : [a, b, c];
  try {
    return vietnamTime(+y, +mo, +d, +h, +mi, +s);
  } catch (error) {
    if (!(error instanceof BadValue)) throw error;
    throw new BadValue(`"${text}" ${error.message}`);
  }
}

/** Status words as exports write them (folded like headers), by status. */
// A table, one field per line.
// prettier-ignore
export const STATUS_WORDS: Record<OrderStatus, readonly string[]> = {
  PENDING: ['Chờ xác nhận', 'Chờ xử lý', 'Chờ duyệt', 'Chờ thanh toán', 'Đơn mới', 'Mới', 'Pending', 'Unpaid', 'New'],
  CONFIRMED: ['Đã xác nhận', 'Chờ lấy hàng', 'Chờ giao hàng', 'Đang xử lý', 'Đang chuẩn bị hàng', 'Sẵn sàng giao', 'Đã đóng gói', 'Confirmed', 'Processing', 'Ready to ship', 'To ship'],
  SHIPPING: ['Đang giao', 'Đang giao hàng', 'Đang vận chuyển', 'Đã giao cho đơn vị vận chuyển', 'Đã gửi hàng', 'Shipping', 'Shipped', 'In transit', 'Delivering'],
  DELIVERED: ['Đã giao', 'Đã giao hàng', 'Giao hàng thành công', 'Đã nhận hàng', 'Delivered'],
  COMPLETED: ['Hoàn thành', 'Đã hoàn thành', 'Thành công', 'Completed', 'Complete', 'Done'],
  CANCELLED: ['Đã hủy', 'Hủy', 'Đơn hủy', 'Đã hủy đơn', 'Cancelled', 'Canceled'],
  RETURNED: ['Trả hàng/Hoàn tiền', 'Trả hàng', 'Hoàn tiền', 'Đã trả hàng', 'Đã hoàn tiền', 'Hoàn hàng', 'Chuyển hoàn', 'Returned', 'Refunded', 'Return/Refund'],
};

const STATUS_BY_WORD = new Map<string, OrderStatus>();
for (const [status, words] of Object.entries(STATUS_WORDS) as [OrderStatus, string[]][]) {
  for (const word of words) STATUS_BY_WORD.set(foldHeader(word), status);
}
// The enum's own names read as themselves (PENDING, TO_SHIP is not one).
for (const status of Object.keys(STATUS_WORDS) as OrderStatus[]) {
  STATUS_BY_WORD.set(foldHeader(status), status);
}

/** An order status from its word in any case, with or without diacritics. */
export function readStatus(cell: string): OrderStatus | null {
  const text = cell.trim();
  if (text === '') return null;
  const status = STATUS_BY_WORD.get(foldHeader(text));
  if (!status) {
    throw new BadValue(
      `"${text}" is not an order status this import knows (e.g. Chờ xác nhận, Đang giao, Đã giao, Hoàn thành, Đã hủy, Trả hàng/Hoàn tiền)`,
    );
  }
  return status;
}
