// Customer.sameNumberCustomers ("Khách hàng trùng SĐT", seed 003): the other customers
// of the workspace with one of a customer's phones (E.164, so any written form) or its
// email (ignoring case), newest first, each with what it shares. One query per page
// for every customer of a request (row_number() per parent), one for the counts.
//
// Rows are scoped in SQL: staff see only customers assigned to them, and their count
// is of those only, so the tab does not tell them another staff member's customer
// shares the number.
import DataLoader from 'dataloader';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import {
  alignMany,
  isUuid,
  loaderFamily,
  newestFirst,
  staffScope,
  toConnection,
} from '@customer-graph/runtime';
import { CUSTOMER_SELECT } from '../customers/customer.entity';
import type { CustomerRow } from '../customers/customer.entity';

/** Same-number customers are listed newest first. */
export const SAME_NUMBER_NEWEST_FIRST = newestFirst('created_at');

/** What another customer shares with the one asked about. */
export interface Shared {
  /** E.164 numbers both have. */
  sharedPhones: string[];
  /** The email both have, as the other customer's record holds it. */
  sharedEmail: string | null;
}

/** A customer of the list: the row, and what it shares. */
export type SameNumberCustomer = CustomerRow & Shared;

/** An edge of the list: the other customer, and what it shares. */
export interface SameNumberEdge extends Shared {
  cursor: string;
  node: CustomerRow;
}

/** A page of them; `count` runs only when the client asks for totalCount. */
export interface SameNumberPage {
  edges: SameNumberEdge[];
  pageInfo: Connection<SameNumberCustomer>['pageInfo'];
  count(): Promise<number>;
}

export interface DuplicateLoaders {
  /** A page per customer, one query per distinct page for every customer of a request. */
  sameNumber: (page: Page) => DataLoader<string, Connection<SameNumberCustomer>>;
  /** How many there are per customer, one query for every customer of a request. */
  sameNumberCount: DataLoader<string, number>;
}

declare module '../context' {
  interface Loaders {
    duplicates: DuplicateLoaders;
  }
}

/**
 * `matches`: per parent ($2) and other customer, the phones and the email they share;
 * `visible`: the condition on the other customer `c` ($3: staff, or null). Both indexed:
 * customer_phone (workspace_id, e164) and customer (workspace_id, lower(email)).
 */
const MATCHES = `
  shared AS (
    SELECT p.customer_id AS parent, q.customer_id AS other, q.e164 AS phone, NULL::text AS email
      FROM customer_phone p
      JOIN customer_phone q ON q.workspace_id = p.workspace_id AND q.e164 = p.e164
     WHERE p.workspace_id = $1 AND p.customer_id = ANY($2::uuid[]) AND p.e164 IS NOT NULL
       AND q.customer_id <> p.customer_id
    UNION ALL
    SELECT a.id, b.id, NULL, b.email
      FROM customer a
      JOIN customer b ON b.workspace_id = a.workspace_id AND lower(b.email) = lower(a.email)
     WHERE a.workspace_id = $1 AND a.id = ANY($2::uuid[]) AND a.email IS NOT NULL
       AND b.id <> a.id),
  matches AS (
    SELECT parent, other,
           COALESCE(array_agg(DISTINCT phone ORDER BY phone) FILTER (WHERE phone IS NOT NULL),
                    '{}') AS phones,
           max(email) AS email
      FROM shared GROUP BY parent, other)`;
const VISIBLE = `c.workspace_id = $1 AND c.id = m.other AND ($3::text IS NULL OR c.assigned_staff = $3)`;

export function createDuplicateLoaders({
  db,
  workspaceId,
  identity,
}: RequestScope): DuplicateLoaders {
  const staff = staffScope(identity);
  const parents = (keys: readonly string[]) => [...new Set(keys.filter(isUuid))];
  return {
    sameNumber: loaderFamily(async (page: Page, keys: readonly string[]) => {
      const ids = parents(keys);
      if (ids.length === 0) return keys.map(() => toConnection([], page, () => []));
      const params: unknown[] = [workspaceId, ids, staff];
      let after = '';
      if (page.after) {
        params.push(page.after.keys[0], page.after.id);
        after = 'AND (c.created_at, c.id) < ($4::timestamptz, $5::uuid)';
      }
      const rows: (SameNumberCustomer & { parentId: string; rn: string })[] = await db.query(
        `WITH ${MATCHES}
         SELECT * FROM (
           SELECT ${CUSTOMER_SELECT}, m.parent AS "parentId", m.phones AS "sharedPhones",
                  m.email AS "sharedEmail", row_number() OVER (
                    PARTITION BY m.parent ORDER BY c.created_at DESC, c.id DESC) AS rn
             FROM matches m JOIN customer c ON ${VISIBLE} ${after}) ranked
          WHERE rn <= ${page.first + 1}
          ORDER BY "createdAt" DESC, id DESC`,
        params,
      );
      const customers = rows.map(({ parentId, rn: _rn, ...customer }) => ({ parentId, customer }));
      return alignMany(keys, customers, (r) => r.parentId).map((list) =>
        toConnection(
          list.map((r) => r.customer),
          page,
          (customer) => [customer.createdAt.toISOString()],
        ),
      );
    }),
    sameNumberCount: new DataLoader(async (keys) => {
      const ids = parents(keys);
      if (ids.length === 0) return keys.map(() => 0);
      const rows: { parentId: string; n: number }[] = await db.query(
        `WITH ${MATCHES}
         SELECT m.parent AS "parentId", count(*)::int AS n
           FROM matches m JOIN customer c ON ${VISIBLE} GROUP BY m.parent`,
        [workspaceId, ids, staff],
      );
      const byParent = new Map(rows.map((r) => [r.parentId, r.n]));
      return keys.map((id) => byParent.get(id) ?? 0);
    }),
  };
}
