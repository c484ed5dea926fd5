import { randomBytes } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a client-given id can name a row at all (Postgres would reject the cast). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A UUID version 7 (RFC 9562) for the instant `atMs`: 48 bits of milliseconds since the
 * epoch, then random bits. Rows partitioned by a time (marketing messages) take ids
 * carrying that time, so an id alone finds its partition (`uuidv7Time`).
 */
export function uuidv7(atMs: number = Date.now()): string {
  if (!Number.isSafeInteger(atMs) || atMs < 0 || atMs >= 2 ** 48) {
    throw new RangeError(`uuidv7: ${atMs} is not a time in milliseconds`);
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(atMs, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The instant a version 7 UUID carries; null for any other string. */
export function uuidv7Time(id: string): Date | null {
  if (!isUuid(id) || id[14] !== '7') return null;
  return new Date(parseInt(id.slice(0, 8) + id.slice(9, 13), 16));
}
