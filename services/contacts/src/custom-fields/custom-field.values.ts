// Custom fields: a workspace defines its own typed fields for its customers (a TEXT
// note, a SELECT of sizes, a TABLE of measurements …). This module is the one place
// that says what a definition may look like and which JSON value each type stores, so
// the mutations, the imports and the events all keep the same normalised values.
//
// Decisions a caller should know:
// - Lengths (labels, options, TEXT values) count Unicode code points after NFC.
// - A type without options (or columns) accepts `null`, a missing list or `[]` for it.
// - MULTI_SELECT values are stored in the definition's option order, so the same
//   choice is always stored the same way.
// - TABLE rows are stored with every column key; a missing cell is stored as null.
import { badInput } from '@customer-graph/runtime';

export type CustomFieldType =
  'TEXT' | 'NUMBER' | 'DATE' | 'BOOLEAN' | 'SELECT' | 'MULTI_SELECT' | 'TABLE';
export type TableColumnType = 'TEXT' | 'NUMBER' | 'DATE' | 'BOOLEAN' | 'SELECT';

export interface TableColumn {
  key: string;
  label: string;
  type: TableColumnType;
  options?: string[];
}

export interface CustomFieldDefinitionInput {
  key: string;
  label: string;
  type: CustomFieldType;
  options?: string[] | null;
  columns?: TableColumn[] | null;
}

export interface CustomFieldDefinition {
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  columns: TableColumn[];
}

export type Plan = 'FREE' | 'TRIAL' | 'ADVANCED' | 'PREMIUM';

/** How many custom fields of one type a workspace may define. */
export const CUSTOM_FIELD_LIMITS = { perType: 10, table: 5 } as const;

const FIELD_TYPES: readonly string[] = [
  'TEXT',
  'NUMBER',
  'DATE',
  'BOOLEAN',
  'SELECT',
  'MULTI_SELECT',
  'TABLE',
] satisfies CustomFieldType[];
const COLUMN_TYPES: readonly string[] = [
  'TEXT',
  'NUMBER',
  'DATE',
  'BOOLEAN',
  'SELECT',
] satisfies TableColumnType[];

const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_LABEL = 80;
const MAX_OPTIONS = 50;
const MAX_OPTION = 80;
const MAX_COLUMNS = 10;
const MAX_TEXT = 2_000;
const MAX_ROWS = 100;

/** The most fields of `type` a workspace may define. */
export function limitFor(type: CustomFieldType): number {
  return type === 'TABLE' ? CUSTOM_FIELD_LIMITS.table : CUSTOM_FIELD_LIMITS.perType;
}

/** Whether a workspace on `plan` may define a field of `type`. */
export function planAllows(plan: Plan, type: CustomFieldType): boolean {
  switch (plan) {
    case 'FREE':
      return false;
    case 'TRIAL':
    case 'ADVANCED':
      return type !== 'TABLE';
    case 'PREMIUM':
      return true;
  }
}

/** Checks and normalises a definition given as input `field`. */
export function validateDefinition(
  input: CustomFieldDefinitionInput,
  field = 'input',
): CustomFieldDefinition {
  const key = validKey(input.key, `${field}.key`);
  const label = validLabel(input.label, `${field}.label`);
  const type = oneOf(input.type, FIELD_TYPES, `${field}.type`) as CustomFieldType;
  const hasOptions = type === 'SELECT' || type === 'MULTI_SELECT';
  return {
    key,
    label,
    type,
    options: hasOptions
      ? validOptions(input.options, `${field}.options`)
      : absent(
          input.options,
          `${field}.options`,
          'only SELECT and MULTI_SELECT fields have options',
        ),
    columns:
      type === 'TABLE'
        ? validColumns(input.columns, `${field}.columns`)
        : absent(input.columns, `${field}.columns`, 'only TABLE fields have columns'),
  };
}

/** The normalised JSON value to store for `value` (input `field`), or null to clear. */
export function validateValue(def: CustomFieldDefinition, value: unknown, field: string): unknown {
  if (value === null || value === undefined) return null;
  switch (def.type) {
    case 'MULTI_SELECT':
      return multiSelectValue(value, def.options, field);
    case 'TABLE':
      return tableValue(value, def.columns, field);
    default:
      return scalarValue(def.type, def.options, value, field);
  }
}

/** Validates `values` keyed by field key; unknown keys are BAD_USER_INPUT. */
export function validateValues(
  defs: ReadonlyMap<string, CustomFieldDefinition>,
  values: Record<string, unknown>,
  field = 'input.custom',
): Record<string, unknown> {
  if (!isRecord(values)) throw badInput(field, 'must be an object keyed by custom field key');
  const valid: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const def = defs.get(key);
    if (!def) throw badInput(`${field}.${key}`, `unknown custom field "${key}"`);
    valid[key] = validateValue(def, value, `${field}.${key}`);
  }
  return valid;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function codePoints(text: string): number {
  return [...text].length;
}

function clean(text: string): string {
  return text.normalize('NFC').trim();
}

function fold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

function oneOf(value: unknown, allowed: readonly string[], field: string): string {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw badInput(field, `must be one of ${allowed.join(', ')}`);
  }
  return value;
}

function validKey(value: unknown, field: string): string {
  if (typeof value !== 'string' || !KEY.test(value)) {
    throw badInput(
      field,
      'must start with a lowercase letter and use only a-z, 0-9 and _ (at most 40 characters)',
    );
  }
  return value;
}

function validLabel(value: unknown, field: string): string {
  const label = typeof value === 'string' ? clean(value) : '';
  if (label === '' || codePoints(label) > MAX_LABEL) {
    throw badInput(field, `must be 1 to ${MAX_LABEL} characters`);
  }
  return label;
}

/** A list that must not be given: null, missing and [] all mean "none". */
function absent(value: unknown, field: string, message: string): never[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value) && value.length === 0) return [];
  throw badInput(field, message);
}

function validOptions(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_OPTIONS) {
    throw badInput(field, `needs 1 to ${MAX_OPTIONS} options`);
  }
  const seen = new Set<string>();
  return value.map((item: unknown, index) => {
    const option = typeof item === 'string' ? clean(item) : '';
    const at = `${field}[${index}]`;
    if (option === '' || codePoints(option) > MAX_OPTION) {
      throw badInput(at, `must be 1 to ${MAX_OPTION} characters`);
    }
    if (seen.has(fold(option))) throw badInput(at, `"${option}" is listed twice`);
    seen.add(fold(option));
    return option;
  });
}

function validColumns(value: unknown, field: string): TableColumn[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_COLUMNS) {
    throw badInput(field, `needs 1 to ${MAX_COLUMNS} columns`);
  }
  const keys = new Set<string>();
  return value.map((item: unknown, index) => {
    const column = validColumn(item, `${field}[${index}]`);
    if (keys.has(column.key)) {
      throw badInput(`${field}[${index}].key`, `column key "${column.key}" is used twice`);
    }
    keys.add(column.key);
    return column;
  });
}

function validColumn(value: unknown, field: string): TableColumn {
  if (!isRecord(value)) throw badInput(field, 'must be a column (key, label, type)');
  const type = oneOf(value.type, COLUMN_TYPES, `${field}.type`) as TableColumnType;
  const column: TableColumn = {
    key: validKey(value.key, `${field}.key`),
    label: validLabel(value.label, `${field}.label`),
    type,
  };
  if (type === 'SELECT') {
    column.options = validOptions(value.options, `${field}.options`);
  } else {
    absent(value.options, `${field}.options`, 'only SELECT columns have options');
  }
  return column;
}

function scalarValue(
  type: CustomFieldType,
  options: readonly string[],
  value: unknown,
  field: string,
): unknown {
  switch (type) {
    case 'TEXT':
      return textValue(value, field);
    case 'NUMBER':
      return numberValue(value, field);
    case 'DATE':
      return dateValue(value, field);
    case 'BOOLEAN':
      return booleanValue(value, field);
    case 'SELECT':
      return selectValue(value, options, field);
    default:
      throw new Error(`${type} is not a single-value type`);
  }
}

function textValue(value: unknown, field: string): string | null {
  if (typeof value !== 'string') throw badInput(field, 'must be text');
  const text = clean(value);
  if (codePoints(text) > MAX_TEXT) {
    throw badInput(field, `must be at most ${MAX_TEXT} characters`);
  }
  return text === '' ? null : text;
}

function numberValue(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw badInput(field, 'must be a finite number');
  }
  return value === 0 ? 0 : value;
}

function dateValue(value: unknown, field: string): string {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw badInput(field, 'must be a date written YYYY-MM-DD');
  }
  return match[0];
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

function daysIn(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function booleanValue(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw badInput(field, 'must be true or false');
  return value;
}

/** The canonical option `value` names: exactly, or else ignoring case. */
function selectValue(value: unknown, options: readonly string[], field: string): string {
  if (typeof value !== 'string') throw badInput(field, 'must be one of the options');
  const wanted = clean(value);
  const option =
    options.find((candidate) => candidate === wanted) ??
    options.find((candidate) => fold(candidate) === fold(wanted));
  if (option === undefined) {
    throw badInput(field, `"${wanted}" is not one of the options: ${options.join(', ')}`);
  }
  return option;
}

function multiSelectValue(
  value: unknown,
  options: readonly string[],
  field: string,
): string[] | null {
  if (!Array.isArray(value)) throw badInput(field, 'must be a list of options');
  const chosen = new Set<string>();
  value.forEach((item: unknown, index) => {
    chosen.add(selectValue(item, options, `${field}[${index}]`));
  });
  // Deduplicated, so never more than options.length; stored in the definition's order.
  return chosen.size === 0 ? null : options.filter((option) => chosen.has(option));
}

function tableValue(
  value: unknown,
  columns: readonly TableColumn[],
  field: string,
): Record<string, unknown>[] | null {
  if (!Array.isArray(value)) throw badInput(field, 'must be a list of rows');
  if (value.length > MAX_ROWS) throw badInput(field, `must have at most ${MAX_ROWS} rows`);
  if (value.length === 0) return null;
  return value.map((row: unknown, index) => tableRow(row, columns, `${field}[${index}]`));
}

function tableRow(
  row: unknown,
  columns: readonly TableColumn[],
  field: string,
): Record<string, unknown> {
  if (!isRecord(row)) throw badInput(field, 'must be an object of cells keyed by column');
  for (const key of Object.keys(row)) {
    if (!columns.some((column) => column.key === key)) {
      throw badInput(`${field}.${key}`, `unknown column "${key}"`);
    }
  }
  const cells: Record<string, unknown> = {};
  for (const column of columns) {
    // Own cells only: a column named "constructor" must not read Object.prototype.
    const cell = Object.hasOwn(row, column.key) ? row[column.key] : null;
    cells[column.key] =
      cell === null || cell === undefined
        ? null
        : scalarValue(column.type, column.options ?? [], cell, `${field}.${column.key}`);
  }
  return cells;
}
