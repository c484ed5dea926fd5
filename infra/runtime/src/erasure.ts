// Erasing a person (docs/privacy.md): what every subgraph shares. A subgraph that
// erases someone knows them by their values in its own rows (ids, phones, emails,
// names, addresses); `personMatcher` turns them into one matcher that finds them in
// any text, whatever the phone's form (+84…, 84…, 0…, with spaces or dots), and
// `scrubEventTables` takes them out of the subgraph's event tables: the outbox and
// the dead letters. Only the relay's bookkeeping of a row is kept.
import type { EntityManager } from 'typeorm';
import { RELAY_LOCK } from './events/relay';
import { toE164 } from './phone';

/** What a subgraph knows of the person it erases. Empty and unparsable values are ignored. */
export interface ErasedPerson {
  customerIds?: readonly string[];
  /** Phones in any form; each is matched in every form. */
  phones?: readonly (string | null)[];
  emails?: readonly (string | null)[];
  /** Names, addresses and other free text, matched as whole words. */
  texts?: readonly (string | null)[];
}

/** Replaces an erased value in text. */
export const ERASED = '[erased]';

/** What an event's payload becomes once it named an erased person. */
const ERASED_PAYLOAD = { erased: true };

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A phone's national digits (912345678) in every written form, digits optionally apart. */
function phoneSource(e164: string): string | null {
  if (!e164.startsWith('+84')) return escapeRegex(e164);
  const national = e164.slice(3).split('').join('[ .()-]?');
  return `(?:\\+?84|0)[ .()-]?${national}`;
}

export interface PersonMatcher {
  /** A POSIX regular expression (for Postgres `~*`) that every text naming the person matches. */
  readonly sql: string;
  /** Whether `text` names the person. */
  test(text: string): boolean;
  /**
   * Whether `text` is about the person for certain: it holds their id, a phone or an
   * email. A name or an address alone may be a namesake's or a neighbour's.
   */
  identifies(text: string): boolean;
  /** `text` with every value of the person replaced by ERASED. */
  redactText(text: string): string;
  /** A JSON value with every string naming the person replaced by ERASED. */
  redactJson(value: unknown): unknown;
  /**
   * The person's values as plain strings, for a search that takes no pattern (a file's
   * bytes): each phone in its forms +84…, 84…, 0…, the emails, the texts; not the ids.
   */
  readonly values: readonly string[];
}

/** The matcher for a person, or null when nothing is known of them. */
export function personMatcher(person: ErasedPerson): PersonMatcher | null {
  const sources = new Set<string>();
  const values = new Set<string>();
  for (const id of person.customerIds ?? []) if (id) sources.add(escapeRegex(id));
  for (const phone of person.phones ?? []) {
    const e164 = phone ? toE164(phone) : null;
    const source = e164 ? phoneSource(e164) : null;
    if (e164?.startsWith('+84')) {
      for (const form of [e164, e164.slice(1), `0${e164.slice(3)}`]) values.add(form);
    } else if (e164) values.add(e164);
    if (phone && phone.trim().length >= 6) values.add(phone.trim());
    if (source) sources.add(source);
    // A value stored as typed, in a form toE164 refuses, is still matched as written.
    else if (phone && phone.trim().length >= 6) sources.add(escapeRegex(phone.trim()));
  }
  for (const email of person.emails ?? []) {
    if (email && email.trim()) {
      sources.add(escapeRegex(email.trim()));
      values.add(email.trim());
    }
  }
  const words = new Set<string>();
  for (const text of person.texts ?? []) {
    const t = text?.trim();
    // A one- or two-letter value would erase other people's text with it.
    if (t && t.length >= 3) {
      words.add(escapeRegex(t));
      values.add(t);
    }
  }
  if (sources.size === 0 && words.size === 0) return null;
  const loose = [...sources];
  const whole = [...words];
  // Digits never run on into a phone; a name or address is a whole run of letters.
  const js = [
    ...loose.map((s) => `(?<![0-9])${s}(?![0-9])`),
    ...whole.map((s) => `(?<![\\p{L}\\p{N}])${s}(?![\\p{L}\\p{N}])`),
  ].join('|');
  const pattern = new RegExp(js, 'iu');
  const certain =
    loose.length > 0
      ? new RegExp(loose.map((s) => `(?<![0-9])${s}(?![0-9])`).join('|'), 'iu')
      : null;
  const global = new RegExp(js, 'giu');
  // Postgres only narrows the rows down (a superset); `test` decides.
  const sql = [...loose, ...whole].join('|');
  const redactText = (text: string) => text.replace(global, ERASED);
  const redactJson = (value: unknown): unknown => {
    if (typeof value === 'string') return pattern.test(value) ? redactText(value) : value;
    if (Array.isArray(value)) return value.map(redactJson);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [pattern.test(k) ? ERASED : k, redactJson(v)]),
      );
    }
    return value;
  };
  return {
    sql,
    test: (text) => pattern.test(text),
    identifies: (text) => certain?.test(text) ?? false,
    redactText,
    redactJson,
    values: [...values],
  };
}

export interface ScrubbedEvents {
  /** Sent outbox rows whose event was redacted, plus unsent ones deleted. */
  outbox: number;
  deadLetters: number;
}

/** An event (JSON) that named the person: its payload goes, its envelope's key is redacted. */
function redactEvent(matcher: PersonMatcher, event: Record<string, unknown>) {
  const redacted = matcher.redactJson({ ...event, payload: ERASED_PAYLOAD }) as object;
  return { ...redacted, payload: ERASED_PAYLOAD };
}

/**
 * Takes the person out of this subgraph's outbox and dead letters, in `tx` (the
 * erasure's transaction), holding the relay's lock so no batch is on its way:
 * - a sent outbox row that names them keeps its bookkeeping (seq, id, topic, sent_at)
 *   but loses its payload, and the key is redacted;
 * - an unsent one is deleted: it would only carry the person's values to the log
 *   (the erasure event that follows tells the consumers to forget them anyway);
 *   rows of `keepTopics` (the erasure's own events, which carry ids only) stay;
 * - a dead letter keeps where it came from (topic, partition, offset, event id) and
 *   loses the payload; its error text is redacted. A dead letter without a workspace
 *   (a message that was not an event) is redacted too when it names the person.
 */
export async function scrubEventTables(
  tx: EntityManager,
  workspaceId: string,
  matcher: PersonMatcher | null,
  keepTopics: readonly string[] = [],
): Promise<ScrubbedEvents> {
  if (!matcher) return { outbox: 0, deadLetters: 0 };
  await tx.query('SELECT pg_advisory_xact_lock($1)', [RELAY_LOCK]);
  const rows: { seq: string; sent: boolean; key: string; value: Record<string, unknown> }[] =
    await tx.query(
      `SELECT seq, sent_at IS NOT NULL AS sent, key, value FROM outbox
        WHERE workspace_id = $1 AND topic <> ALL($3::text[]) AND (value::text ~* $2 OR key ~* $2)`,
      [workspaceId, matcher.sql, keepTopics],
    );
  const about = (
    r: { key: string; value: Record<string, unknown> },
    test: (t: string) => boolean,
  ) => test(JSON.stringify(r.value)) || test(r.key);
  // An event not sent yet is deleted only when it is the person's for certain (their id,
  // phone or email): one naming someone else of the same name or at the same address
  // goes out untouched, or that person's data would be lost. Sent events are history:
  // any naming the person loses the values.
  const named = rows.filter(
    (r) => about(r, matcher.test) && (r.sent || about(r, matcher.identifies)),
  );
  const unsent = named.filter((r) => !r.sent).map((r) => r.seq);
  if (unsent.length > 0) {
    await tx.query('DELETE FROM outbox WHERE workspace_id = $1 AND seq = ANY($2::bigint[])', [
      workspaceId,
      unsent,
    ]);
  }
  const sent = named.filter((r) => r.sent);
  if (sent.length > 0) {
    await tx.query(
      `UPDATE outbox o SET key = r.key, value = r.value::jsonb
         FROM unnest($2::bigint[], $3::text[], $4::text[]) AS r(seq, key, value)
        WHERE o.workspace_id = $1 AND o.seq = r.seq`,
      [
        workspaceId,
        sent.map((r) => r.seq),
        sent.map((r) => matcher.redactText(r.key)),
        sent.map((r) => JSON.stringify(redactEvent(matcher, r.value))),
      ],
    );
  }
  const letters: { id: string; value: string | null; error: string }[] = await tx.query(
    `SELECT id, value, error FROM dead_letter
      WHERE (workspace_id = $1 OR workspace_id IS NULL) AND (value ~* $2 OR error ~* $2)`,
    [workspaceId, matcher.sql],
  );
  const scrubbed = letters.flatMap((l) => {
    const value = l.value === null ? null : redactLetter(matcher, l.value);
    const error = matcher.redactText(l.error);
    return value === l.value && error === l.error ? [] : [{ id: l.id, value, error }];
  });
  if (scrubbed.length > 0) {
    await tx.query(
      `UPDATE dead_letter d SET value = r.value, error = r.error
         FROM unnest($2::bigint[], $3::text[], $4::text[]) AS r(id, value, error)
        WHERE (d.workspace_id = $1 OR d.workspace_id IS NULL) AND d.id = r.id`,
      [
        workspaceId,
        scrubbed.map((l) => l.id),
        scrubbed.map((l) => l.value),
        scrubbed.map((l) => l.error),
      ],
    );
  }
  return { outbox: named.length, deadLetters: scrubbed.length };
}

/** A dead letter's value: an event loses its payload; any other text is redacted. */
function redactLetter(matcher: PersonMatcher, value: string): string {
  if (!matcher.test(value)) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return JSON.stringify(redactEvent(matcher, parsed as Record<string, unknown>));
    }
    return JSON.stringify(matcher.redactJson(parsed));
  } catch {
    return matcher.redactText(value);
  }
}

/** A column that may hold the person's values in free text or JSON. */
export interface ScrubbedColumn {
  table: string;
  /** The columns that identify a row (with workspace_id). */
  keys: readonly string[];
  column: string;
  kind: 'text' | 'jsonb' | 'text[]';
  /** SQL narrowing the rows further (its parameters start at $3). */
  where?: string;
  params?: unknown[];
}

/**
 * Redacts the person's values in one column of the workspace's rows (a filter saved in
 * JSON, an imported file's text): only the values go, the rest of the text stays.
 * Returns the number of rows changed. Table and column names come from code.
 */
export async function scrubColumn(
  tx: EntityManager,
  workspaceId: string,
  matcher: PersonMatcher | null,
  c: ScrubbedColumn,
): Promise<number> {
  if (!matcher) return 0;
  const keys = c.keys.map((k) => `"${k}"`);
  const where = c.where ? ` AND (${c.where})` : '';
  const rows: Record<string, unknown>[] = await tx.query(
    `SELECT ${keys.map((k, i) => `${k}::text AS k${i}`).join(', ')}, "${c.column}" AS v
       FROM ${c.table} WHERE workspace_id = $1 AND "${c.column}"::text ~* $2${where}`,
    [workspaceId, matcher.sql, ...(c.params ?? [])],
  );
  let changed = 0;
  for (const row of rows) {
    const before = row.v;
    let after: unknown;
    if (c.kind === 'text') after = matcher.redactText(before as string);
    else if (c.kind === 'text[]') after = (before as string[]).map((s) => matcher.redactText(s));
    else after = matcher.redactJson(before);
    if (JSON.stringify(after) === JSON.stringify(before)) continue;
    const match = keys.map((k, i) => `${k}::text = $${i + 3}`).join(' AND ');
    await tx.query(
      `UPDATE ${c.table} SET "${c.column}" = $2${c.kind === 'jsonb' ? '::jsonb' : ''}
        WHERE workspace_id = $1 AND ${match}`,
      [
        workspaceId,
        c.kind === 'jsonb' ? JSON.stringify(after) : after,
        ...c.keys.map((_, i) => row[`k${i}`]),
      ],
    );
    changed++;
  }
  return changed;
}

/**
 * The erasure's claim in this subgraph (table `erasure_applied`, which each subgraph's
 * privacy migration creates): true the first time, false when this erasure was
 * applied before, so a redelivered or republished contacts.customer.erased erases
 * nothing twice and is answered once.
 */
export async function claimErasure(
  tx: EntityManager,
  workspaceId: string,
  erasure: { erasureId: string; customerId: string },
): Promise<boolean> {
  const rows: unknown[] = await tx.query(
    `INSERT INTO erasure_applied (workspace_id, erasure_id, customer_id) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING erasure_id`,
    [workspaceId, erasure.erasureId, erasure.customerId],
  );
  return rows.length > 0;
}

/** The table `claimErasure` writes, for each subgraph's privacy migration. */
export const ERASURE_APPLIED_TABLE = `
  CREATE TABLE erasure_applied (
    workspace_id text NOT NULL,
    erasure_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    applied_at timestamptz(3) NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, erasure_id)
  )`;
