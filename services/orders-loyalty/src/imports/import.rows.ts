// From the rows of an order export to orders for upsertOrders. An export has one row
// per line item; the rows of one order share its code (anywhere in the file) and
// repeat its order-level values, or leave them blank after its first row. Reading:
// - An order-level value is taken from the first row that has one; another row of
//   the order with a different value is an error (which one is right is unknown).
// - Every error names its line and its column; an order with any error is rejected
//   whole (all its rows), the rest of the file goes on. A row with no code belongs
//   to no order: it is an error of its own.
// The orders' sums and upsertOrders' rejections are in import.order.ts.
import type { CsvRecord } from '@customer-graph/runtime';
import type { OrderInput, OrderItemInput } from '../generated/graphql';
import type { OrderSource } from '../orders/order.entity';
import { ORDER_FIELDS } from './import.headers';
import type { HeaderMap, ImportField } from './import.headers';
import { toOrder } from './import.order';
import { BadValue, readAmount, readInstant, readQuantity, readStatus } from './import.values';

/** Where a value was read: the file line and the spreadsheet row. */
export interface Place {
  line: number;
  row: number;
}

export interface RowError extends Place {
  /** The order code of the row, when it has one. */
  code: string | null;
  /** The column at fault, as the file's header writes it. */
  column: string | null;
  message: string;
}

/** An order ready for upsertOrders, with where its values came from. */
export interface ImportedOrder {
  input: OrderInput;
  first: Place;
  fields: Partial<Record<ImportField, Place>>;
  items: Place[];
  rows: number;
}

export interface GroupedRows {
  orders: ImportedOrder[];
  errors: RowError[];
  /** Non-blank data rows. */
  rows: number;
  rejectedOrders: number;
  /** Rows of rejected orders, and rows without a code. */
  rejectedRows: number;
}

export type Value = string | number | Date;
const READERS: Partial<Record<ImportField, (cell: string) => Value | null>> = {
  orderedAt: readInstant,
  updatedAt: readInstant,
  status: readStatus,
  shippingFee: readAmount,
  orderDiscount: readAmount,
  total: readAmount,
  quantity: readQuantity,
  unitPrice: readAmount,
  discount: readAmount,
};
const readText = (cell: string) => (cell === '' ? null : cell);
const same = (a: Value, b: Value) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;

/** An order being read: its values, items and errors so far. */
export interface Pending {
  code: string;
  first: Place;
  values: Partial<Record<ImportField, { value: Value; raw: string; at: Place }>>;
  items: { item: OrderItemInput; at: Place }[];
  errors: RowError[];
  rows: number;
}

/**
 * Groups the data records (after the header) into orders, giving the event loop back
 * every `every` records when driven by inChunks.
 */
export function* groupRows(
  records: Iterable<CsvRecord>,
  header: Pick<HeaderMap, 'columns'> & { width: number },
  source: OrderSource,
  every = 500,
): Generator<void, GroupedRows> {
  const { columns } = header;
  const byCode = new Map<string, Pending>();
  const result: GroupedRows = {
    orders: [],
    errors: [],
    rows: 0,
    rejectedOrders: 0,
    rejectedRows: 0,
  };
  for (const record of records) {
    if (++result.rows % every === 0) yield;
    const at: Place = { line: record.line, row: record.row };
    const cell = (field: ImportField) => {
      const column = columns[field];
      return column ? (record.cells[column.index] ?? '').trim() : '';
    };
    const code = cell('code');
    const error = (field: ImportField | null, message: string): RowError => ({
      ...at,
      code: code || null,
      column: field ? columns[field]!.header : null,
      message: field ? `column "${columns[field]!.header}": ${message}` : message,
    });
    if (code === '') {
      result.errors.push(error('code', 'is empty: the row belongs to no order'));
      result.rejectedRows++;
      continue;
    }
    let order = byCode.get(code);
    if (!order) {
      order = { code, first: at, values: {}, items: [], errors: [], rows: 0 };
      byCode.set(code, order);
    }
    order.rows++;
    const extra = record.cells.slice(header.width).filter((c) => c.trim() !== '');
    if (extra.length > 0) {
      order.errors.push(
        error(
          null,
          `has ${record.cells.length} cells but the header ${header.width}: a value holding the delimiter must be in quotes`,
        ),
      );
      // Its values are shifted: reading them would only add errors.
      continue;
    }
    const read = (field: ImportField): Value | null => {
      const raw = cell(field);
      try {
        return (READERS[field] ?? readText)(raw);
      } catch (e) {
        if (!(e instanceof BadValue)) throw e;
        order!.errors.push(error(field, e.message));
        return null;
      }
    };
    for (const field of ORDER_FIELDS) {
      if (!columns[field]) continue;
      const value = read(field);
      if (value === null) continue;
      const held = order.values[field];
      if (!held) order.values[field] = { value, raw: cell(field), at };
      else if (!same(held.value, value)) {
        order.errors.push(
          error(
            field,
            `"${cell(field)}" here but "${held.raw}" on line ${held.at.line}, a row of the same order`,
          ),
        );
      }
    }
    const item: Partial<Record<ImportField, Value | null>> = {};
    for (const field of [
      'sku',
      'productName',
      'variant',
      'quantity',
      'unitPrice',
      'discount',
    ] as const) {
      if (columns[field]) item[field] = read(field);
    }
    for (const field of ['productName', 'quantity', 'unitPrice'] as const) {
      if (item[field] === null && cell(field) === '') order.errors.push(error(field, 'is empty'));
    }
    order.items.push({
      item: {
        sku: (item.sku as string | null) ?? null,
        productName: (item.productName as string | null) ?? '',
        variant: (item.variant as string | null) ?? null,
        quantity: (item.quantity as number | null) ?? 0,
        unitPrice: (item.unitPrice as number | null) ?? 0,
        discount: (item.discount as number | null) ?? 0,
      },
      at,
    });
  }
  for (const order of byCode.values()) {
    const built = order.errors.length === 0 ? toOrder(order, header, source) : null;
    if (built && 'input' in built) result.orders.push(built);
    else {
      result.errors.push(...(built ? [built] : order.errors));
      result.rejectedOrders++;
      result.rejectedRows += order.rows;
    }
  }
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}
