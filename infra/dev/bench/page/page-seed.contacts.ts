// bench:page's contacts rows, from the profile (page-seed.profile.ts): the workspaces,
// their custom fields, the customers with phones (and the phone owners), Zalo and shop
// ids, and the detail page's own tabs — notes, tasks, opportunities (with their stage
// history) and calls — each dated between the customer's creation and the seed's time.
// The figures other subgraphs own (orders, tier, consent) are read from them first
// (page-seed.projections.ts), so each customer is written once.
import type { Client } from 'pg';
import { sqlArray } from './page-seed.profile';

/** A time in [created_at, base), chosen by `bits` of h2. */
const after = (bits: string) =>
  `c.created_at + ((${bits}) % 997) / 997.0 * (c.base - c.created_at)`;
/** 1 … n rows per customer: `full` customers get `full`, others `others` when `when`. */
const perCustomer = (full: number, when: string, others = '1') =>
  `generate_series(1, (CASE WHEN c.is_full THEN ${full} WHEN ${when} THEN ${others} ELSE 0 END)::int) AS s`;

const NOTES = [
  ['Khách hỏi size áo, hẹn gọi lại'],
  ['Đã tư vấn sản phẩm mới, khách quan tâm'],
  ['Khách phàn nàn giao hàng chậm, đã xin lỗi'],
  ['Khách muốn nhận hàng giờ hành chính'],
  ['Gửi mã giảm giá sinh nhật'],
];
const TASKS = [
  ['Gọi lại tư vấn'],
  ['Gửi báo giá'],
  ['Xác nhận địa chỉ giao hàng'],
  ['Chăm sóc sau bán'],
];
const CALL_RESULTS = ['ANSWERED', 'ANSWERED', 'ANSWERED', 'MISSED', 'BUSY', 'VOICEMAIL'];

export async function seedContacts(db: Client): Promise<void> {
  await db.query(
    `INSERT INTO workspace (id, plan, created_at)
     SELECT ws, 'PREMIUM', base - interval '1100 days' FROM seed_ws`,
  );
  await db.query(
    `INSERT INTO custom_field (workspace_id, key, label, type, options, created_at)
     SELECT w.ws, f.key, f.label, f.type, f.options::jsonb, w.base - interval '1100 days'
       FROM seed_ws w, (VALUES ('size', 'Cỡ áo', 'SELECT', '["S", "M", "L", "XL"]'),
                               ('visits', 'Số lần ghé cửa hàng', 'NUMBER', '[]')) AS f(key, label, type, options)`,
  );
  // With what the other subgraphs' events left (page-seed.projections.ts), and the type
  // as customer_derived_type gives it: a live order or a shop id makes a CUSTOMER, a
  // phone or an email a LEAD.
  await db.query(
    `INSERT INTO customer (id, workspace_id, name, name_search, email, address, address_search,
       city, city_search, birthday, gender, tags, labels, assigned_staff, customer_group, type,
       custom, has_live_order, order_count, total_spent, first_order_at, last_order_at,
       order_summary_version, loyalty_tier_rank, loyalty_tier_name, loyalty_tier_version,
       opted_out_channels, has_phone, created_at, updated_at)
     SELECT c.id, c.ws, c.name, c.name_search, c.email, c.address, c.address_search, c.city,
            c.city_search, c.birthday, c.gender, c.tags, c.labels, c.staff, c.grp,
            CASE WHEN s.live OR c.shop_id IS NOT NULL THEN 'CUSTOMER'
                 WHEN c.email IS NOT NULL OR c.phone1 IS NOT NULL THEN 'LEAD' ELSE 'VISITOR' END,
            c.custom, COALESCE(s.live, false), COALESCE(s.orders, 0), COALESCE(s.spent, 0),
            s.first_at, s.last_at, COALESCE(s.version, 0), COALESCE(t.rank, 0), t.name,
            COALESCE(t.version, 0), COALESCE(k.channels, '{}'), c.phone1 IS NOT NULL,
            c.created_at, c.updated_at
       FROM seed_customer c
       LEFT JOIN seed_summary s ON s.ws = c.ws AND s.id = c.id
       LEFT JOIN seed_tier t ON t.ws = c.ws AND t.id = c.id
       LEFT JOIN (SELECT ws, id, array_agg(DISTINCT channel COLLATE "C" ORDER BY channel COLLATE "C") AS channels
                    FROM seed_consent WHERE opted_out GROUP BY ws, id) k ON k.ws = c.ws AND k.id = c.id
      ORDER BY c.ws, c.created_at`,
  );
  await db.query(
    `INSERT INTO customer_channel_consent (workspace_id, customer_id, channel, opted_out, version)
     SELECT ws, id, channel, opted_out, version FROM seed_consent`,
  );
  await db.query(
    `INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
     SELECT ws, id, phone1, e164_1, 0 FROM seed_customer WHERE phone1 IS NOT NULL
     UNION ALL
     SELECT ws, id, phone2, e164_2, 1 FROM seed_customer WHERE phone1 IS NOT NULL AND phone2 IS NOT NULL`,
  );
  await db.query(
    `INSERT INTO phone_owner (workspace_id, e164, customer_id)
     SELECT workspace_id, e164, customer_id FROM customer_phone
      WHERE workspace_id IN (SELECT ws FROM seed_ws)`,
  );
  await db.query(
    `INSERT INTO customer_external_id (workspace_id, source, external_id, customer_id, created_at)
     SELECT ws, 'ZALO', zalo, id, zalo_at FROM seed_customer WHERE zalo IS NOT NULL
     UNION ALL
     SELECT ws, 'SHOP', shop_id, id, created_at FROM seed_customer WHERE shop_id IS NOT NULL`,
  );
  await db.query(
    `INSERT INTO customer_note (workspace_id, customer_id, text, author, created_at)
     SELECT c.ws, c.id, (${sqlArray(NOTES)})[1 + ((c.h2 >> s) % ${NOTES.length})::int],
            COALESCE(c.staff, 'admin-1'), ${after('c.h2 >> (s * 5)')}
       FROM seed_customer c CROSS JOIN LATERAL ${perCustomer(3, '(c.h2 >> 5) % 5 = 0')}`,
  );
  await db.query(
    `INSERT INTO customer_task (workspace_id, customer_id, title, assignee, due_at, status,
       completed_at, created_by, created_at, updated_at)
     SELECT ws, id, title, assignee, created_at + interval '3 days', status,
            CASE WHEN status = 'DONE' THEN done_at END, 'admin-1', created_at,
            CASE WHEN status = 'DONE' THEN done_at ELSE created_at END
       FROM (SELECT c.ws, c.id, (${sqlArray(TASKS)})[1 + ((c.h >> s) % ${TASKS.length})::int] AS title,
                    COALESCE(c.staff, 'staff-1') AS assignee, ${after('c.h >> (s * 4)')} AS created_at,
                    (ARRAY['TODO', 'IN_PROGRESS', 'DONE', 'CANCELLED'])[1 + ((c.h2 >> (s * 2)) % 4)::int] AS status,
                    c.base
               FROM seed_customer c CROSS JOIN LATERAL ${perCustomer(2, '(c.h2 >> 9) % 10 = 0')}) t
       CROSS JOIN LATERAL (SELECT created_at + (base - created_at) / 4 AS done_at) d`,
  );
  await seedOpportunities(db);
  await db.query(
    `INSERT INTO customer_call (workspace_id, customer_id, provider_call_id, hotline,
       customer_number, customer_e164, direction, result, started_at, answered_at, ended_at,
       ring_seconds, talk_seconds, staff, recorded, created_at, updated_at)
     SELECT ws, id, 'call-' || r || '-' || s, '1900 6868', phone1, e164_1, direction, result,
            started_at, CASE WHEN result = 'ANSWERED' THEN started_at + ring * interval '1 second' END,
            started_at + (ring + talk) * interval '1 second', ring, talk, staff, false,
            started_at, started_at + (ring + talk) * interval '1 second'
       FROM (SELECT c.ws, c.id, c.r, s, c.phone1, c.e164_1, COALESCE(c.staff, 'staff-1') AS staff,
                    CASE WHEN (c.h >> s) % 3 = 0 THEN 'OUTBOUND' ELSE 'INBOUND' END AS direction,
                    (ARRAY[${CALL_RESULTS.map((x) => `'${x}'`).join(', ')}])[1 + ((c.h2 >> (s * 3)) % ${CALL_RESULTS.length})::int] AS result,
                    date_trunc('second', ${after('c.h >> (s * 6)')}) + interval '1 second' AS started_at,
                    (3 + (c.h >> s) % 25)::int AS ring
               FROM seed_customer c
              CROSS JOIN LATERAL ${perCustomer(3, '(c.h2 >> 12) % 4 = 0', '1 + (c.h2 >> 14) % 2')}
              WHERE c.phone1 IS NOT NULL) t
      CROSS JOIN LATERAL (SELECT CASE WHEN result = 'ANSWERED' THEN (20 + (r * s) % 600)::int ELSE 0 END AS talk) d`,
  );
}

/** Opportunities, each with the stages it went through (as moveOpportunity records them). */
async function seedOpportunities(db: Client): Promise<void> {
  await db.query(
    `WITH o AS MATERIALIZED (
       SELECT c.ws, c.id AS customer_id, c.staff, c.base, s,
              (ARRAY['Đơn sỉ quần áo', 'Đồng phục công ty', 'Quà tặng Tết', 'Đơn hàng đại lý'])[1 + ((c.h >> s) % 4)::int] AS name,
              (5 + (c.h2 >> s) % 200) * 500000 AS value,
              (ARRAY['DISCOVERY', 'QUOTE', 'NEGOTIATION', 'WON', 'LOST'])[1 + ((c.h >> (s * 7)) % 5)::int] AS stage,
              ${after('c.h2 >> (s * 8)')} AS created_at
         FROM seed_customer c CROSS JOIN LATERAL ${perCustomer(2, '(c.h2 >> 20) % 25 = 0')}),
     path(stage, step, reached) AS (VALUES
       ('DISCOVERY', 0, ARRAY['DISCOVERY', 'QUOTE', 'NEGOTIATION', 'WON', 'LOST']),
       ('QUOTE', 1, ARRAY['QUOTE', 'NEGOTIATION', 'WON', 'LOST']),
       ('NEGOTIATION', 2, ARRAY['NEGOTIATION', 'WON']),
       ('WON', 3, ARRAY['WON']),
       ('LOST', 3, ARRAY['LOST'])),
     created AS (
       INSERT INTO opportunity (workspace_id, customer_id, name, value, stage, expected_close_date,
         owner, closed_at, created_by, created_at, updated_at)
       SELECT ws, customer_id, name, value, stage, (created_at + interval '30 days')::date,
              staff, CASE WHEN stage IN ('WON', 'LOST') THEN created_at + (base - created_at) / 2 END,
              COALESCE(staff, 'admin-1'), created_at,
              created_at + CASE WHEN stage = 'DISCOVERY' THEN interval '0' ELSE (base - created_at) / 2 END
         FROM o
       RETURNING id, workspace_id, stage, created_at, updated_at, created_by)
     INSERT INTO opportunity_stage_change (workspace_id, opportunity_id, stage, changed_at, changed_by)
     SELECT c.workspace_id, c.id, p.stage,
            CASE WHEN p.step = 0 THEN c.created_at
                 ELSE c.created_at + (c.updated_at - c.created_at) * p.step / 3 END, c.created_by
       FROM created c JOIN path p ON c.stage = ANY(p.reached)
      ORDER BY c.id, p.step`,
  );
}
