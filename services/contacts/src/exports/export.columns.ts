// The columns of a customer export: each is a piece of SQL over `customer c` (read
// only when asked for: a column not chosen costs nothing) giving a JSON value. A row
// comes from Postgres as ONE JSON text (json_build_array), parsed by JSON.parse: far
// cheaper than the driver building a typed object per row, which halved the rows a
// second. Lists stay arrays, numbers numbers, instants ISO strings (UTC, ms); the CSV
// and JSON Lines writers (export.format.ts) decide how each shows in the file.
import { badInput } from '@customer-graph/runtime';
import type { CustomerExportColumn } from '../generated/graphql';

export type ExportValue =
  string | number | boolean | null | ExportValue[] | { [key: string]: ExportValue };

interface ColumnDef {
  /** The key in the CSV header and in the JSON Lines objects. */
  key: string;
  /** SQL over `customer c` giving the value as JSON will hold it. */
  sql: string;
}

/** An instant as `toISOString` writes it. */
export const iso = (sql: string) =>
  `to_char(${sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const phones = `ARRAY(SELECT p.number FROM customer_phone p
  WHERE p.workspace_id = c.workspace_id AND p.customer_id = c.id ORDER BY p.position)`;

export const COLUMNS: Record<CustomerExportColumn, ColumnDef> = {
  ID: { key: 'id', sql: 'c.id' },
  NAME: { key: 'name', sql: 'c.name' },
  PHONE: {
    key: 'phone',
    sql: `(SELECT p.number FROM customer_phone p
      WHERE p.workspace_id = c.workspace_id AND p.customer_id = c.id AND p.position = 0)`,
  },
  PHONES: { key: 'phones', sql: phones },
  EMAIL: { key: 'email', sql: 'c.email' },
  ADDRESS: { key: 'address', sql: 'c.address' },
  CITY: { key: 'city', sql: 'c.city' },
  BIRTHDAY: { key: 'birthday', sql: `to_char(c.birthday, 'YYYY-MM-DD')` },
  GENDER: { key: 'gender', sql: 'c.gender' },
  TAGS: { key: 'tags', sql: 'c.tags' },
  LABELS: { key: 'labels', sql: 'c.labels' },
  GROUP: { key: 'group', sql: 'c.customer_group' },
  TYPE: { key: 'type', sql: 'c.type' },
  ASSIGNED_STAFF: { key: 'assignedStaff', sql: 'c.assigned_staff' },
  EXTERNAL_IDS: {
    key: 'externalIds',
    sql: `(SELECT coalesce(jsonb_agg(jsonb_build_object('source', x.source, 'id', x.external_id)
        ORDER BY x.created_at, x.source, x.external_id), '[]'::jsonb)
      FROM customer_external_id x WHERE x.workspace_id = c.workspace_id AND x.customer_id = c.id)`,
  },
  OPTED_OUT_CHANNELS: { key: 'optedOutChannels', sql: 'c.opted_out_channels' },
  CREATED_AT: { key: 'createdAt', sql: iso('c.created_at') },
  UPDATED_AT: { key: 'updatedAt', sql: iso('c.updated_at') },
  ORDER_COUNT: { key: 'orderCount', sql: 'c.order_count' },
  // bigint: a JSON number; đồng amounts are far below 2^53.
  TOTAL_SPENT: { key: 'totalSpent', sql: 'c.total_spent' },
  FIRST_ORDER_AT: { key: 'firstOrderAt', sql: iso('c.first_order_at') },
  LAST_ORDER_AT: { key: 'lastOrderAt', sql: iso('c.last_order_at') },
  LOYALTY_TIER: { key: 'loyaltyTier', sql: 'c.loyalty_tier_name' },
};

export const DEFAULT_COLUMNS: CustomerExportColumn[] = [
  'ID',
  'NAME',
  'PHONE',
  'EMAIL',
  'ADDRESS',
  'CITY',
  'BIRTHDAY',
  'GENDER',
  'TAGS',
  'GROUP',
  'TYPE',
  'ASSIGNED_STAFF',
  'CREATED_AT',
];

/** What a file holds, in order: the record's columns, then custom fields by key. */
export interface ExportLayout {
  columns: CustomerExportColumn[];
  customFields: string[];
}

/**
 * Checks the chosen columns and custom fields (input `input.columns`,
 * `input.customFields`): the default columns when `columns` is left out (`[]` for
 * custom fields only), each once, custom fields only the workspace's.
 */
export function checkLayout(
  columns: readonly CustomerExportColumn[] | null | undefined,
  customFields: readonly string[] | null | undefined,
  known: ReadonlySet<string>,
): ExportLayout {
  const keys = customFields ?? [];
  const chosen = columns ?? DEFAULT_COLUMNS;
  const seen = new Set<string>();
  chosen.forEach((column, i) => {
    if (seen.has(column)) throw badInput(`input.columns[${i}]`, `${column} is chosen twice`);
    seen.add(column);
  });
  const seenKeys = new Set<string>();
  keys.forEach((key, i) => {
    const field = `input.customFields[${i}]`;
    if (!known.has(key)) throw badInput(field, `the workspace has no custom field "${key}"`);
    if (seenKeys.has(key)) throw badInput(field, `"${key}" is chosen twice`);
    seenKeys.add(key);
  });
  if (chosen.length + keys.length === 0) {
    throw badInput('input.columns', 'choose at least one column or custom field');
  }
  return { columns: [...chosen], customFields: [...keys] };
}

/** The header keys, in file order. */
export function headerKeys(layout: ExportLayout): string[] {
  return [
    ...layout.columns.map((c) => COLUMNS[c].key),
    ...layout.customFields.map((k) => `custom.${k}`),
  ];
}

/**
 * One JSON text per customer over `customer c`: `[createdAt, id, [columns…],
 * [custom values…]]` (a custom value as stored, null when the customer has none). Two
 * nested arrays, as a function takes at most 100 arguments. Custom keys are
 * parameters, added through `add`.
 */
export function rowJson(layout: ExportLayout, add: (value: unknown) => string): string {
  const columns = layout.columns.map((c) => COLUMNS[c].sql).join(', ');
  const custom = layout.customFields.map((key) => `c.custom -> ${add(key)}::text`).join(', ');
  return `json_build_array(${iso('c.created_at')}, c.id,
    json_build_array(${columns}), json_build_array(${custom}))::text`;
}

/** One customer row as typed values: the columns, then the custom fields by key. */
export interface ExportRecord {
  /** The customer's place in (createdAt, id) order. */
  createdAt: string;
  id: string;
  values: ExportValue[];
  custom: ExportValue[];
}

export function recordOf(json: string): ExportRecord {
  const [createdAt, id, values, custom] = JSON.parse(json) as [
    string,
    string,
    ExportValue[],
    ExportValue[],
  ];
  return { createdAt, id, values, custom };
}
