// From a record of a customer file to the values of one row. Every bad cell is an
// error naming its line, its column (as the header writes it) and its field; a row
// with any error is refused whole, the rest of the file goes on. An empty cell is
// null: it never erases what the customer has.
import type { Phone } from '@customer-graph/runtime';
import type { Gender } from '../customers/customer.entity';
import * as check from '../customers/customer.input';
import type { CustomFieldRow } from '../custom-fields/custom-field.entity';
import type { ImportColumn, ImportField } from './import.headers';
import {
  BadCell,
  checked,
  readBirthday,
  readCustom,
  readGender,
  readPhone,
  readTags,
} from './import.values';

/** A record as read from the file: its first line and its cells. */
export interface ImportRecord {
  line: number;
  cells: string[];
}

export interface ImportRow {
  line: number;
  cells: string[];
  name: string | null;
  phone: Phone | null;
  email: string | null;
  externalId: string | null;
  address: string | null;
  city: string | null;
  birthday: string | null;
  gender: Gender | null;
  tags: string[];
  /** Custom values to set, by key. */
  custom: Record<string, unknown>;
}

export interface RowError {
  line: number;
  column: string | null;
  field: ImportField | null;
  message: string;
  cells: string[];
}

type Scalar = 'name' | 'email' | 'externalId' | 'address' | 'city';
const TEXT: Partial<Record<ImportField, [Scalar, (cell: string) => string | null]>> = {
  NAME: ['name', (c) => check.text(c, 'name', check.MAX_LENGTH.name)],
  EMAIL: ['email', (c) => check.email(c, 'email')],
  EXTERNAL_ID: ['externalId', (c) => check.text(c, 'externalId', 128)],
  ADDRESS: ['address', (c) => check.text(c, 'address', check.MAX_LENGTH.address)],
  CITY: ['city', (c) => check.text(c, 'city', check.MAX_LENGTH.city)],
};

/** The row's values, or its errors (one per bad cell, or one for the row). */
export function readRow(
  record: ImportRecord,
  columns: readonly ImportColumn[],
  width: number,
  fields: ReadonlyMap<string, CustomFieldRow>,
): ImportRow | RowError[] {
  const { line, cells } = record;
  const rowError = (message: string): RowError[] => [
    { line, column: null, field: null, message, cells },
  ];
  if (cells.slice(width).some((c) => c.trim() !== '')) {
    return rowError(
      `has ${cells.length} cells but the header ${width}: a value holding the delimiter must be in quotes`,
    );
  }
  const row: ImportRow = {
    line,
    cells,
    name: null,
    phone: null,
    email: null,
    externalId: null,
    address: null,
    city: null,
    birthday: null,
    gender: null,
    tags: [],
    custom: {},
  };
  const errors: RowError[] = [];
  for (const column of columns) {
    // A ' before a formula character is how the file of refused rows escapes it.
    const cell = (cells[column.index] ?? '')
      .normalize('NFC')
      .trim()
      .replace(/^'(?=[=+\-@])/, '');
    if (cell === '') continue;
    try {
      const text = TEXT[column.field];
      if (text) row[text[0]] = checked(() => text[1](cell));
      else if (column.field === 'PHONE') row.phone = readPhone(cell);
      else if (column.field === 'BIRTHDAY') row.birthday = readBirthday(cell);
      else if (column.field === 'GENDER') row.gender = readGender(cell);
      else if (column.field === 'TAGS') row.tags = readTags(cell);
      else if (column.field === 'CUSTOM') {
        const def = fields.get(column.key!);
        // A field deleted after the import started: its column is not read.
        const value = def ? readCustom(def, cell) : null;
        if (value !== null) row.custom[def!.key] = value;
      }
    } catch (error) {
      if (!(error instanceof BadCell)) throw error;
      errors.push({
        line,
        column: column.header,
        field: column.field,
        message: `column "${column.header}": ${error.message}`,
        cells,
      });
    }
  }
  if (errors.length > 0) return errors;
  if (!row.phone && !row.email && !row.externalId) {
    return rowError(
      'has no phone, email or external id: it could not be matched on a second import',
    );
  }
  return row;
}
