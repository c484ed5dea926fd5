// Checking and normalising what a client sends for a customer, before anything is
// written: a bad value is BAD_USER_INPUT naming the field (`input.email`,
// `input.tags[3]`), and the whole request writes nothing.
import { badInput, normalisePhone } from '@customer-graph/runtime';
import type { Phone } from '@customer-graph/runtime';

export const MAX_TAGS = 50;
export const MAX_LABELS = 20;
export const MAX_PHONES = 10;
const MAX_TEXT = 500;
/** The longest text each profile field of the record holds. */
export const MAX_LENGTH = { name: 200, email: 254, address: MAX_TEXT, city: 100 } as const;

/** Trimmed, NFC-normalised text; '' and null clear the field. */
export function text(value: string | null | undefined, field: string, max = MAX_TEXT) {
  if (value == null) return null;
  const normal = value.normalize('NFC').trim();
  if (normal.length > max) throw badInput(field, `${field} is longer than ${max} characters`);
  return normal === '' ? null : normal;
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Whether trimmed text has the shape of an address (the rule `email` checks). */
export const isEmailAddress = (normal: string): boolean => EMAIL.test(normal);

export function email(value: string | null | undefined, field: string): string | null {
  const normal = text(value, field, MAX_LENGTH.email);
  if (normal !== null && !isEmailAddress(normal)) {
    throw badInput(field, `"${normal}" is not an email address`);
  }
  return normal;
}

const IANA_ZONE = /^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)*$/;

/** An IANA time zone name that this runtime knows (`Asia/Ho_Chi_Minh`, `UTC`). */
export function timezone(value: string | null | undefined, field: string): string | null {
  const normal = text(value, field, 64);
  if (normal === null) return null;
  const known = IANA_ZONE.test(normal) ? knownZone(normal) : null;
  if (known) return known;
  throw badInput(field, `"${normal}" is not an IANA time zone name (e.g. Asia/Ho_Chi_Minh)`);
}

/**
 * The name as IANA spells it when the runtime knows the zone, or null. ICU calls
 * some zones by older names (Asia/Saigon for Asia/Ho_Chi_Minh), so the name given is
 * kept, only its letter case corrected against the runtime's own list.
 */
function knownZone(name: string): string | null {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
  return zoneSpelling().get(name.toLowerCase()) ?? name;
}

let zones: Map<string, string> | undefined;
function zoneSpelling(): Map<string, string> {
  zones ??= new Map(
    [...Intl.supportedValuesOf('timeZone'), 'UTC', 'Asia/Ho_Chi_Minh'].map((z) => [
      z.toLowerCase(),
      z,
    ]),
  );
  return zones;
}

export function url(value: string | null | undefined, field: string): string | null {
  const normal = text(value, field, 2000);
  if (normal === null) return null;
  const parsed = URL.canParse(normal) ? new URL(normal) : null;
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw badInput(field, `"${normal}" is not an http(s) URL`);
  }
  return parsed.toString();
}

/** Distinct labels, each 1–50 characters, at most `max`. */
export function labels(values: string[] | null | undefined, field: string, max: number): string[] {
  if (values == null) return [];
  if (values.length > max) throw badInput(field, `at most ${max} ${field}, got ${values.length}`);
  const seen = new Set<string>();
  values.forEach((value, i) => {
    const label = text(value, `${field}[${i}]`, 50);
    if (label === null) throw badInput(`${field}[${i}]`, `${field}[${i}] is empty`);
    seen.add(label);
  });
  return [...seen];
}

export function userId(value: string | null | undefined, field: string): string | null {
  const normal = text(value, field, 128);
  if (normal !== null && !/^[\w.@:-]+$/.test(normal)) {
    throw badInput(field, `"${normal}" is not a user id`);
  }
  return normal;
}

/** The primary phone first, then the others; the same number twice is refused. */
export function phones(
  primary: string | null | undefined,
  others: string[] | null | undefined,
  field: string,
): Phone[] {
  const given: [string, string][] = [];
  if (primary != null && primary.trim() !== '') given.push([primary, `${field}.phone`]);
  (others ?? []).forEach((p, i) => given.push([p, `${field}.otherPhones[${i}]`]));
  if (given.length > MAX_PHONES) {
    throw badInput(`${field}.otherPhones`, `at most ${MAX_PHONES} phones, got ${given.length}`);
  }
  if (primary == null && given.length > 0) {
    throw badInput(`${field}.phone`, 'other phones need a primary phone');
  }
  const seen = new Set<string>();
  return given.map(([typed, path]) => {
    const phone = normalisePhone(typed, path);
    if (seen.has(phone.e164)) throw badInput(path, `${typed} is given twice`);
    seen.add(phone.e164);
    return phone;
  });
}

export interface ExternalIdValue {
  source: 'ZALO' | 'SHOP';
  id: string;
}

export function externalIds(
  values: { source: 'ZALO' | 'SHOP'; id: string }[] | null | undefined,
  field: string,
): ExternalIdValue[] {
  const seen = new Set<string>();
  return (values ?? []).map((value, i) => {
    const id = text(value.id, `${field}[${i}].id`, 128);
    if (id === null) throw badInput(`${field}[${i}].id`, 'an external id cannot be empty');
    const key = `${value.source}:${id}`;
    if (seen.has(key)) throw badInput(`${field}[${i}]`, `${key} is given twice`);
    seen.add(key);
    return { source: value.source, id };
  });
}
