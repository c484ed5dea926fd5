// Runtime checks for the values inside a filter. Filters also come back from storage
// as JSON, so nothing here trusts the TypeScript types: every reader takes `unknown`,
// returns the value to bind as a SQL parameter, and throws BAD_USER_INPUT naming the
// exact path (`filter.or[2].birthday.between[1]`) when the value does not fit.
import { badInput, isUuid } from '@customer-graph/runtime';

export const MAX_LIST_VALUES = 1000;

/** Reads one value found at `at`; throws BAD_USER_INPUT when it does not fit. */
export type Reader<T> = (value: unknown, at: string) => T;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

/** A value as an error message shows it: JSON, cut short so a huge input is not echoed. */
export function show(value: unknown): string {
  // JSON would print Infinity and NaN as null.
  if (typeof value === 'number') return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export const readString: Reader<string> = (value, at) => {
  if (typeof value !== 'string') throw badInput(at, `${show(value)} is not a string`);
  return value;
};

export const readBoolean: Reader<boolean> = (value, at) => {
  if (typeof value !== 'boolean') throw badInput(at, `${show(value)} is not a boolean`);
  return value;
};

/** A finite JS number; a numeric string is refused so stored filters keep one shape. */
export const readNumber: Reader<number> = (value, at) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw badInput(at, `${show(value)} is not a number`);
  }
  return value;
};

/** A whole number (a count, an amount of đồng), exact as a JS number. */
export const readWholeNumber: Reader<number> = (value, at) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw badInput(at, `${show(value)} is not a whole number`);
  }
  return value;
};

export const readUuid: Reader<string> = (value, at) => {
  const text = readString(value, at);
  if (!isUuid(text)) throw badInput(at, `${show(text)} is not a valid id`);
  return text;
};

export function readOneOf(allowed: readonly string[], what: string): Reader<string> {
  return (value, at) => {
    const text = readString(value, at);
    if (!allowed.includes(text)) throw badInput(at, `${show(text)} is not ${what}`);
    return text;
  };
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  // Year 0 does not exist in PostgreSQL's calendar (1 BC is written 0001-01-01 BC).
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= days[month - 1];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** A calendar date as 'YYYY-MM-DD', bound as it is. */
export const readDate: Reader<string> = (value, at) => {
  const text = readString(value, at);
  const m = DATE.exec(text);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw badInput(at, `${show(text)} is not a date (YYYY-MM-DD)`);
  }
  return text;
};

function isDateTime(m: RegExpExecArray): boolean {
  const [hour, minute, second, zoneHour, zoneMinute] = [m[4], m[5], m[6], m[7], m[8]].map((part) =>
    Number(part ?? 0),
  );
  return (
    isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    zoneHour <= 23 &&
    zoneMinute <= 59
  );
}

/**
 * An instant: a valid Date, or (from a stored filter) an ISO-8601 string with a zone.
 * Bound as an ISO string; a string is kept as written, so microseconds survive.
 */
export const readDateTime: Reader<string> = (value, at) => {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw badInput(at, 'the date-time is not a valid date');
    return value.toISOString();
  }
  if (typeof value !== 'string') throw badInput(at, `${show(value)} is not a date-time`);
  const m = DATE_TIME.exec(value);
  if (!m || !isDateTime(m)) {
    throw badInput(at, `${show(value)} is not an ISO-8601 date-time with a time zone`);
  }
  return value;
};

/** A list of 1 to MAX_LIST_VALUES values, each read at `at[i]`. */
export function readList<T>(read: Reader<T>): Reader<T[]> {
  return (value, at) => {
    if (!Array.isArray(value)) throw badInput(at, `${show(value)} is not a list`);
    if (value.length === 0) throw badInput(at, 'the list is empty');
    if (value.length > MAX_LIST_VALUES) {
      throw badInput(at, `the list has ${value.length} values; at most ${MAX_LIST_VALUES} allowed`);
    }
    return value.map((item, i) => read(item, `${at}[${i}]`));
  };
}

/** Exactly two values, the first not after the second in `order`. */
export function readBounds<T>(read: Reader<T>, order: (a: T, b: T) => number): Reader<[T, T]> {
  return (value, at) => {
    if (!Array.isArray(value) || value.length !== 2) {
      throw badInput(at, `"between" needs exactly 2 values, got ${show(value)}`);
    }
    const low = read(value[0], `${at}[0]`);
    const high = read(value[1], `${at}[1]`);
    if (order(low, high) > 0) {
      throw badInput(at, `"between" bounds are reversed: ${show(low)} is after ${show(high)}`);
    }
    return [low, high];
  };
}
