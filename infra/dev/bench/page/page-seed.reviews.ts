// bench:page's reviews and vouchers (orders-loyalty). Reviews: every completed order of
// a `full` customer (the first pages of the list), a fifth of the others' marketplace
// ones; rated mostly 5, 4 in 10 answered. Vouchers: four campaigns per workspace (three
// running, one over), a code of the two long-running ones for each full customer, of
// one of the four for a seventh of the others — each issued within its campaign's
// window, after the customer existed.
import type { Client } from 'pg';
import { hash60, sqlArray } from './page-seed.profile';

const COMMENTS = [
  ['Hàng đẹp, giao nhanh, sẽ ủng hộ tiếp'],
  ['Chất vải ổn so với giá'],
  ['Đóng gói cẩn thận'],
  ['Size hơi nhỏ, nên lấy lớn hơn một size'],
  ['Màu không giống hình lắm'],
];
const REPLIES = [
  ['Cảm ơn bạn đã tin tưởng shop ạ!'],
  ['Shop xin lỗi vì trải nghiệm chưa tốt, shop sẽ liên hệ hỗ trợ bạn ạ.'],
];

/** Each campaign: number, name, code prefix, value type and value, days from now it runs. */
const CAMPAIGNS = `(VALUES
  (1, 'Chào mừng thành viên mới', 'WELCOME', 'FIXED', 30000, 0, NULL, -400, 60),
  (2, 'Tết Bính Ngọ', 'TET', 'PERCENT', 10, 200000, 50000, -330, -290),
  (3, 'Tri ân khách hàng', 'THANKS', 'FIXED', 50000, 300000, NULL, -200, 165),
  (4, 'Black Friday', 'BF', 'PERCENT', 20, 0, 100000, -10, 5)
) AS v(n, name, prefix, value_type, value, minimum_order, maximum_discount, from_days, to_days)`;

export async function seedReviews(db: Client): Promise<void> {
  await db.query(
    `INSERT INTO order_review (workspace_id, source, review_id, order_code, product_sku,
       product_name, rating, comment, reviewed_at, reply_text, reply_status, replied_by,
       replied_at, created_at, updated_at, edited_at)
     SELECT workspace_id, source, 'rv-' || code, code, items -> 0 ->> 'sku',
            items -> 0 ->> 'productName', rating, comment, reviewed_at,
            reply, CASE WHEN reply IS NOT NULL THEN 'SENT' END,
            CASE WHEN reply IS NOT NULL THEN staff END, replied_at,
            reviewed_at, COALESCE(replied_at, reviewed_at), reviewed_at
       FROM (SELECT o.workspace_id, o.source, o.code, o.items, COALESCE(c.staff, 'staff-1') AS staff,
                    (ARRAY[5, 5, 5, 5, 5, 4, 4, 4, 3, 2, 1])[1 + (rh % 11)::int] AS rating,
                    (${sqlArray(COMMENTS)})[1 + ((rh >> 4) % ${COMMENTS.length})::int] AS comment,
                    CASE WHEN (rh >> 8) % 10 < 4
                         THEN (${sqlArray(REPLIES)})[1 + ((rh >> 12) % ${REPLIES.length})::int] END AS reply,
                    least(o.source_updated_at + interval '1 day', c.base - interval '10 minutes') AS reviewed_at,
                    CASE WHEN (rh >> 8) % 10 < 4
                         THEN least(o.source_updated_at + interval '1 day 2 hours', c.base - interval '5 minutes')
                    END AS replied_at
               FROM customer_order o
               JOIN seed_customer c ON c.ws = o.workspace_id AND c.id = o.customer_id
              CROSS JOIN LATERAL (SELECT ${hash60("o.workspace_id || ':rv:' || o.code")} AS rh) x
              WHERE o.workspace_id IN (SELECT ws FROM seed_ws) AND o.status = 'COMPLETED'
                AND (c.is_full OR (o.source IN ('SHOPEE', 'LAZADA', 'TIKTOK_SHOP') AND (rh >> 16) % 5 = 0))) r`,
  );
}

export async function seedVouchers(db: Client): Promise<void> {
  await db.query(
    `INSERT INTO voucher_campaign (workspace_id, name, value_type, value, minimum_order,
       maximum_discount, valid_from, valid_to, created_at, updated_at)
     SELECT w.ws, v.name, v.value_type, v.value, v.minimum_order, v.maximum_discount,
            w.base + v.from_days * interval '1 day', w.base + v.to_days * interval '1 day',
            w.base + (v.from_days - 3) * interval '1 day', w.base + (v.from_days - 3) * interval '1 day'
       FROM seed_ws w, ${CAMPAIGNS}`,
  );
  await db.query(
    `INSERT INTO voucher (workspace_id, campaign_id, customer_id, code, note, issued_at)
     SELECT c.ws, k.id, c.id, v.prefix || '-' || c.r, NULL,
            greatest(c.created_at, k.valid_from)
              + ((c.h >> (v.n * 3)) % 997) / 997.0
                * (least(k.valid_to, c.base) - greatest(c.created_at, k.valid_from))
       FROM seed_customer c
       JOIN voucher_campaign k ON k.workspace_id = c.ws
       JOIN ${CAMPAIGNS} ON v.name = k.name
      WHERE (CASE WHEN c.is_full THEN v.n IN (1, 3)
                  ELSE (c.h2 >> 22) % 7 = 0 AND v.n = 1 + (c.h2 >> 25) % 4 END)
        AND greatest(c.created_at, k.valid_from) < least(k.valid_to, c.base)`,
  );
  await db.query(
    `UPDATE voucher_campaign k SET issued_count = x.n
       FROM (SELECT workspace_id, campaign_id, count(*)::int AS n FROM voucher
              WHERE workspace_id IN (SELECT ws FROM seed_ws) GROUP BY 1, 2) x
      WHERE k.workspace_id = x.workspace_id AND k.id = x.campaign_id`,
  );
}
