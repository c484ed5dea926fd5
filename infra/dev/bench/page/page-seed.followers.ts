// bench:page's followers rows, and what every subgraph but contacts keeps of the
// customers: its workspace rows and the customer_access projection (one row per
// assigned customer, as contacts.customer.assigned leaves it).
//
// Followers: each customer with a Zalo id (page-seed.profile.ts) follows the OA and
// shared its phone, so it is linked (as contacts.customer.zalo-linked leaves it: the
// customer id, linked at the link's time, the phone as shared); the rest of the
// workspace's followers never shared one. A tenth have unfollowed since.
import type { Client } from 'pg';
import { hash60 } from './page-seed.profile';

const NICKNAMES = ['Hoa Hồng', 'Minh Anh', 'Bé Na', 'Tuấn Kiệt', 'Mèo Con', 'Sunny', 'Ngọc Trâm'];

/** The workspace rows and the access projection of a subgraph other than contacts. */
export async function seedProjectedBasics(db: Client): Promise<void> {
  await db.query(
    `INSERT INTO workspace (id, created_at) SELECT ws, base - interval '1100 days' FROM seed_ws`,
  );
  await db.query(
    `INSERT INTO customer_access (workspace_id, customer_id, assigned_staff, deleted, occurred_at)
     SELECT ws, id, staff, false, created_at FROM seed_customer WHERE staff IS NOT NULL`,
  );
}

export async function seedFollowers(db: Client): Promise<void> {
  await seedProjectedBasics(db);
  const status = (h: string) => `CASE WHEN (${h}) % 10 = 0 THEN 'UNFOLLOWED' ELSE 'FOLLOWING' END`;
  await db.query(
    `INSERT INTO zalo_follower (workspace_id, zalo_user_id, display_name, gender, followed_at,
       status, phone, customer_id, status_event_at, linked_at)
     SELECT ws, zalo, name, gender, followed_at, status, phone1, id,
            CASE WHEN status = 'UNFOLLOWED' THEN zalo_at + (base - zalo_at) / 2 ELSE followed_at END,
            zalo_at
       FROM (SELECT c.*, ${status('c.h2 >> 30')} AS status,
                    c.zalo_at - ((c.h >> 17) % 400) * interval '1 day'
                      - ((c.h >> 27) % 86400) * interval '1 second' AS followed_at
               FROM seed_customer c WHERE c.zalo IS NOT NULL) f
      ORDER BY f.ws, f.followed_at`,
  );
  await db.query(
    `WITH w AS (
       SELECT w.ws, w.base, w.followers - (SELECT count(*) FROM seed_customer c
                                            WHERE c.ws = w.ws AND c.zalo IS NOT NULL) AS unlinked
         FROM seed_ws w),
     f AS (
       SELECT w.ws, w.base, f, ${hash60("w.ws || ':zu:' || f")} AS h
         FROM w CROSS JOIN LATERAL generate_series(1, w.unlinked) AS f)
     INSERT INTO zalo_follower (workspace_id, zalo_user_id, display_name, followed_at, status,
       status_event_at, linked_at)
     SELECT ws, h::text, (ARRAY[${NICKNAMES.map((n) => `'${n}'`).join(', ')}])[1 + (h % ${NICKNAMES.length})::int],
            followed_at, ${status('h >> 7')},
            CASE WHEN (h >> 7) % 10 = 0 THEN followed_at + (base - followed_at) / 2 ELSE followed_at END,
            followed_at
       FROM (SELECT f.*, f.base - ((f.h >> 11) % 900) * interval '1 day'
                           - ((f.h >> 21) % 86400) * interval '1 second' AS followed_at FROM f) x
      ORDER BY x.ws, x.followed_at`,
  );
}
