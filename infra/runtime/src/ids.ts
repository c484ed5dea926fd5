const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a client-given id can name a row at all (Postgres would reject the cast). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
