// Which column of a customer file holds what. Headers are matched folded (the
// runtime's foldHeader: no case, diacritics, spaces or punctuation), so "Số điện
// thoại", "SO DIEN THOAI" and "so_dien_thoai" are one header. Each field lists the
// headers that name it, best first: when a file has two of them, the better-ranked one
// is read and the other ignored (reported in `ignoredColumns`). A header equal to a
// custom field's key or label (folded) reads that field. An explicit mapping (by
// header) replaces what a column is recognised as. docs/imports.md shows the table.
import { badInput, foldHeader, headerIndex } from '@customer-graph/runtime';
import type { CustomFieldRow } from '../custom-fields/custom-field.entity';

export type ImportField =
  | 'NAME'
  | 'PHONE'
  | 'EMAIL'
  | 'EXTERNAL_ID'
  | 'ADDRESS'
  | 'CITY'
  | 'BIRTHDAY'
  | 'GENDER'
  | 'TAGS'
  | 'CUSTOM';

/** The fields a row is matched on, in the order they are tried. */
export const KEY_FIELDS: readonly ImportField[] = ['PHONE', 'EMAIL', 'EXTERNAL_ID'];

// A table, one field per line.
// prettier-ignore
export const HEADERS: Record<Exclude<ImportField, 'CUSTOM'>, readonly string[]> = {
  NAME: ['Họ tên', 'Họ và tên', 'Tên khách hàng', 'Tên KH', 'Khách hàng', 'Tên', 'Full name', 'Name', 'Customer name'],
  PHONE: ['Số điện thoại', 'SĐT', 'Điện thoại', 'Số ĐT', 'Di động', 'Phone', 'Phone number', 'Mobile', 'Tel', 'Telephone'],
  EMAIL: ['Email', 'E-mail', 'Địa chỉ email', 'Thư điện tử', 'Email address'],
  EXTERNAL_ID: ['Mã khách hàng', 'Mã KH', 'External ID', 'Customer ID', 'Customer code'],
  ADDRESS: ['Địa chỉ', 'Địa chỉ giao hàng', 'Address', 'Street address'],
  CITY: ['Tỉnh/Thành phố', 'Tỉnh thành', 'Thành phố', 'Tỉnh', 'City', 'Province'],
  BIRTHDAY: ['Ngày sinh', 'Sinh nhật', 'Birthday', 'Date of birth', 'Birth date', 'DOB'],
  GENDER: ['Giới tính', 'Gender', 'Sex'],
  TAGS: ['Nhãn', 'Thẻ', 'Tags', 'Tag'],
};

/** Folded header → its field and rank (0 is best). */
const BY_FOLDED = headerIndex(HEADERS);

/** A column read: where it is, its header as written, and what it holds. */
export interface ImportColumn {
  index: number;
  header: string;
  field: ImportField;
  /** The custom field's key, for CUSTOM. */
  key?: string;
}

export interface ColumnMapping {
  header: string;
  field: ImportField | 'IGNORE';
  customFieldKey?: string | null;
}

export interface HeaderMap {
  columns: ImportColumn[];
  /** Non-empty headers not read, in file order. */
  ignored: string[];
}

/** The custom field a header names (its key or label, folded), when it can be imported. */
function customFieldOf(
  folded: string,
  fields: ReadonlyMap<string, CustomFieldRow>,
): CustomFieldRow | undefined {
  for (const def of fields.values()) {
    if (def.type === 'TABLE') continue;
    if (foldHeader(def.key) === folded || foldHeader(def.label) === folded) return def;
  }
  return undefined;
}

/** Checks the explicit mapping against the header and the custom fields, by folded header. */
function readMapping(
  cells: readonly string[],
  mapping: readonly ColumnMapping[],
  fields: ReadonlyMap<string, CustomFieldRow>,
): Map<string, ColumnMapping> {
  const present = new Set(cells.map(foldHeader));
  const byHeader = new Map<string, ColumnMapping>();
  mapping.forEach((m, i) => {
    const at = `input.mapping[${i}]`;
    const folded = foldHeader(m.header);
    if (!present.has(folded))
      throw badInput(`${at}.header`, `the file has no column "${m.header}"`);
    if (byHeader.has(folded)) throw badInput(`${at}.header`, `"${m.header}" is mapped twice`);
    if (m.field === 'CUSTOM') {
      const def = m.customFieldKey ? fields.get(m.customFieldKey) : undefined;
      if (!def) {
        throw badInput(
          `${at}.customFieldKey`,
          m.customFieldKey
            ? `there is no custom field "${m.customFieldKey}"`
            : 'a CUSTOM column needs customFieldKey',
        );
      }
      if (def.type === 'TABLE') {
        throw badInput(
          `${at}.customFieldKey`,
          `"${def.key}" is a TABLE field: it cannot be imported`,
        );
      }
    } else if (m.customFieldKey != null) {
      throw badInput(`${at}.customFieldKey`, 'only a CUSTOM column names a custom field');
    }
    byHeader.set(folded, m);
  });
  return byHeader;
}

/** What each column holds, from the header record, the custom fields and a mapping. */
export function recogniseHeader(
  cells: readonly string[],
  fields: ReadonlyMap<string, CustomFieldRow>,
  mapping: readonly ColumnMapping[] = [],
): HeaderMap {
  const mapped = readMapping(cells, mapping, fields);
  const best = new Map<string, ImportColumn & { rank: number }>();
  cells.forEach((cell, index) => {
    const folded = foldHeader(cell);
    if (folded === '') return;
    const header = cell.trim();
    const explicit = mapped.get(folded);
    let column: (ImportColumn & { rank: number }) | null = null;
    if (explicit) {
      if (explicit.field === 'IGNORE') return;
      const key = explicit.customFieldKey ?? undefined;
      column = { index, header, field: explicit.field, ...(key && { key }), rank: -1 };
    } else if (BY_FOLDED.has(folded)) {
      column = { index, header, ...BY_FOLDED.get(folded)! };
    } else {
      const def = customFieldOf(folded, fields);
      if (def) column = { index, header, field: 'CUSTOM', key: def.key, rank: 0 };
    }
    if (!column) return;
    const slot = column.field === 'CUSTOM' ? `CUSTOM:${column.key}` : column.field;
    const held = best.get(slot);
    if (held && held.rank === -1 && column.rank === -1) {
      throw badInput('input.mapping', `two columns are mapped to ${slot}`);
    }
    if (!held || column.rank < held.rank) best.set(slot, column);
  });
  const columns = [...best.values()]
    .map(({ rank: _rank, ...column }) => column)
    .sort((a, b) => a.index - b.index);
  const used = new Set(columns.map((c) => c.index));
  const ignored = cells.flatMap((cell, index) =>
    used.has(index) || cell.trim() === '' ? [] : [cell.trim()],
  );
  return { columns, ignored };
}

/** The header map, or BAD_USER_INPUT on `field` when no column can match a customer. */
export function requireKeyColumn(header: HeaderMap, field: string): HeaderMap {
  if (!header.columns.some((c) => KEY_FIELDS.includes(c.field))) {
    throw badInput(
      field,
      'the header row has no column for a phone (Số điện thoại / Phone), an email (Email) or an external id (Mã khách hàng / External ID): rows could not be matched on a second import',
    );
  }
  return header;
}
