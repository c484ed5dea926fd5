// Reading one cell of a customer file. A cell is text (an XLSX cell is turned into
// text when read: a date as YYYY-MM-DD, a number as its digits); an empty cell is
// null and never reaches these readers. A value the record would refuse throws
// BadCell with the reason, which the row's error names with its line and column.
import { GraphQLError } from 'graphql';
import { toE164 } from '@customer-graph/runtime';
import type { Phone } from '@customer-graph/runtime';
import type { Gender } from '../customers/customer.entity';
import * as check from '../customers/customer.input';
import type { CustomFieldRow } from '../custom-fields/custom-field.entity';
import { validateValue } from '../custom-fields/custom-field.values';

export class BadCell extends Error {}

/**
 * Runs one of the record's own checks (customer.input.ts, custom-field.values.ts) on a
 * cell: its BAD_USER_INPUT becomes the cell's reason.
 */
export function checked<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT') {
      throw new BadCell(error.message);
    }
    throw error;
  }
}

export function readPhone(cell: string): Phone {
  const e164 = toE164(cell);
  if (!e164) throw new BadCell(`"${cell}" is not a valid phone number`);
  return { typed: cell, e164 };
}

const LIST_SEPARATOR = /[,;|]/;

/** Tags separated by `,`, `;` or `|`, each 1–50 characters, at most 50. */
export function readTags(cell: string): string[] {
  const tags = cell
    .split(LIST_SEPARATOR)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return checked(() => check.labels(tags, 'tags', check.MAX_TAGS));
}

const GENDERS: Record<string, Gender> = {
  nam: 'MALE',
  male: 'MALE',
  m: 'MALE',
  trai: 'MALE',
  nu: 'FEMALE',
  female: 'FEMALE',
  f: 'FEMALE',
  gai: 'FEMALE',
  khac: 'OTHER',
  other: 'OTHER',
};

export function readGender(cell: string): Gender {
  const folded = cell.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
  const gender = GENDERS[folded];
  if (!gender) throw new BadCell(`"${cell}" is not a gender (Nam, Nữ, Khác / Male, Female, Other)`);
  return gender;
}

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/** A date written YYYY-MM-DD or DD/MM/YYYY (also with `.` or `-`), as YYYY-MM-DD. */
export function readDate(cell: string): string {
  const iso = ISO_DATE.exec(cell);
  const dayFirst = iso ? null : DAY_FIRST.exec(cell);
  const [y, m, d] = iso
    ? [iso[1], iso[2], iso[3]]
    : dayFirst
      ? [dayFirst[3], dayFirst[2], dayFirst[1]]
      : [];
  const date = y ? new Date(Date.UTC(Number(y), Number(m) - 1, Number(d))) : null;
  if (
    !date ||
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(m) - 1 ||
    date.getUTCDate() !== Number(d) ||
    Number(y) < 1900
  ) {
    throw new BadCell(`"${cell}" is not a date (DD/MM/YYYY or YYYY-MM-DD)`);
  }
  return date.toISOString().slice(0, 10);
}

export function readBirthday(cell: string): string {
  const date = readDate(cell);
  if (date > new Date().toISOString().slice(0, 10)) {
    throw new BadCell(`"${cell}" is in the future`);
  }
  return date;
}

/**
 * A number as spreadsheets write it: "1234.5", "1 234,5", "1.234.567" (Vietnamese
 * thousands), "1,234.5". With both `.` and `,` the last one is the decimal mark; one
 * mark followed by exactly three digits, repeated, groups thousands.
 */
export function readNumber(cell: string): number {
  let text = cell.replace(/[\s\u00a0]/g, '');
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  if (lastDot !== -1 && lastComma !== -1) {
    const decimal = lastDot > lastComma ? '.' : ',';
    text = text
      .split(decimal === '.' ? ',' : '.')
      .join('')
      .replace(',', '.');
  } else {
    const mark = lastDot !== -1 ? '.' : lastComma !== -1 ? ',' : null;
    if (
      mark &&
      new RegExp(`^-?\\d{1,3}(\\${mark}\\d{3})+$`).test(text) &&
      text.split(mark).length > 2
    ) {
      text = text.split(mark).join('');
    } else if (mark === ',') {
      text = text.replace(',', '.');
    }
  }
  const value = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value)) throw new BadCell(`"${cell}" is not a number`);
  return value;
}

const TRUE = new Set(['co', 'yes', 'true', 'x', '1', 'dung', 'y']);
const FALSE = new Set(['khong', 'no', 'false', '0', 'sai', 'n']);

export function readBoolean(cell: string): boolean {
  const folded = cell
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .toLowerCase()
    .trim();
  if (TRUE.has(folded)) return true;
  if (FALSE.has(folded)) return false;
  throw new BadCell(`"${cell}" is not yes or no (Có / Không)`);
}

/** A custom field's value from its cell, checked as a mutation's value would be. */
export function readCustom(def: CustomFieldRow, cell: string): unknown {
  let value: unknown;
  switch (def.type) {
    case 'NUMBER':
      value = readNumber(cell);
      break;
    case 'DATE':
      value = readDate(cell);
      break;
    case 'BOOLEAN':
      value = readBoolean(cell);
      break;
    case 'MULTI_SELECT':
      value = cell
        .split(LIST_SEPARATOR)
        .map((v) => v.trim())
        .filter((v) => v !== '');
      break;
    case 'TABLE':
      throw new BadCell('a TABLE field cannot be imported');
    default:
      value = cell;
  }
  return checked(() => validateValue(def, value, def.key));
}
