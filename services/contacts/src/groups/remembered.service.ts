// The numbers a phone-group upload matched to no customer, kept until a customer gets
// one (then the trigger on customer_phone puts them in the group and forgets it) or
// until they are forgotten here. Read and cleared by admins and editors.
import type { DataSource } from 'typeorm';
import { badInput, normalisePhone, toConnection } from '@customer-graph/runtime';
import type { Connection, Page, SortKey } from '@customer-graph/runtime';

/** Newest upload first; the id breaks ties (and makes the cursor). */
export const REMEMBERED_NEWEST_FIRST: readonly SortKey[] = [
  { key: 'uploaded_at', direction: 'DESC', kind: 'timestamptz' },
];

/** The most numbers one forgetRememberedPhones call names. */
export const MAX_FORGET_PHONES = 10_000;

export interface RememberedPhoneRow {
  id: string;
  e164: string;
  group: 'PRIORITY' | 'RESTRICTED';
  uploadedAt: Date;
  uploadedBy: string;
}

type Group = 'PRIORITY' | 'RESTRICTED';

/** A page of remembered numbers; the count is read only when asked for. */
export type RememberedPage = Connection<RememberedPhoneRow> & { totalCount: () => Promise<number> };

export async function listRemembered(
  db: DataSource,
  workspaceId: string,
  group: Group | null | undefined,
  page: Page,
): Promise<RememberedPage> {
  const params: unknown[] = [workspaceId, group ?? null];
  let after = '';
  if (page.after) {
    params.push(page.after.keys[0], page.after.id);
    after = 'AND (r.uploaded_at, r.id) < ($3::timestamptz, $4::uuid)';
  }
  const rows: RememberedPhoneRow[] = await db.query(
    `SELECT r.id, r.e164, r.customer_group AS "group", r.uploaded_at AS "uploadedAt",
            r.uploaded_by AS "uploadedBy"
       FROM remembered_phone_group r
      WHERE r.workspace_id = $1 AND ($2::text IS NULL OR r.customer_group = $2) ${after}
      ORDER BY r.uploaded_at DESC, r.id DESC LIMIT ${page.first + 1}`,
    params,
  );
  const connection = toConnection(rows, page, (r) => [r.uploadedAt.toISOString()]);
  return {
    ...connection,
    totalCount: async () => {
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM remembered_phone_group
          WHERE workspace_id = $1 AND ($2::text IS NULL OR customer_group = $2)`,
        [workspaceId, group ?? null],
      );
      return n;
    },
  };
}

/**
 * Forgets remembered numbers: those listed (any written form), else all of the group,
 * else all. Returns how many were forgotten.
 */
export async function forgetRemembered(
  db: DataSource,
  workspaceId: string,
  group: Group | null | undefined,
  phones: readonly string[] | null | undefined,
): Promise<number> {
  if (phones && phones.length > MAX_FORGET_PHONES) {
    throw badInput('phones', `at most ${MAX_FORGET_PHONES} phones at once, got ${phones.length}`);
  }
  const e164 = phones?.map((p, i) => normalisePhone(p, `phones[${i}]`).e164) ?? null;
  const [, count] = (await db.query(
    `DELETE FROM remembered_phone_group
      WHERE workspace_id = $1 AND ($2::text IS NULL OR customer_group = $2)
        AND ($3::text[] IS NULL OR e164 = ANY($3::text[]))`,
    [workspaceId, group ?? null, e164],
  )) as [unknown, number];
  return count;
}
