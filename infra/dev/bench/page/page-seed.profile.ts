// The facts of bench:page's customers, computed by the same SQL in each of the four
// databases into session temp tables (seed_ws, seed_customer), so every subgraph's rows
// agree on a customer's id, phone, email, Zalo id … without shipping them between
// databases: everything is a function of (workspace, r) and a hash, nothing random.
//
// r is the customer's place in the list (1 = newest: created_at DESC). Customers are
// created over three years, up to 14 days before `base` (the seed's "now"), so the last
// campaigns, the orders and the follow-ups of even the newest customers come after the
// customer existed. The first `full` customers of each workspace (the first pages of
// the list) get every tab; the rest are spread as a shop's customers are.
import type { Client } from 'pg';

/** Customers are created over this span, ending NEWEST_AGE_DAYS before the seed's time. */
export const SPAN_DAYS = 1095;
export const NEWEST_AGE_DAYS = 14;

export interface WorkspacePlan {
  workspaceId: string;
  customers: number;
  /** The newest customers that get every tab (the first pages of the list). */
  full: number;
  /** Zalo followers in all; `linked` of them are linked to a customer. */
  followers: number;
  linked: number;
  /** Staff members customers are assigned to (staff-1 … staff-N). */
  staff: number;
  orders: number;
  messages: number;
}

const FAMILY = [
  ['Nguyễn', 'nguyen'],
  ['Trần', 'tran'],
  ['Lê', 'le'],
  ['Phạm', 'pham'],
  ['Hoàng', 'hoang'],
  ['Huỳnh', 'huynh'],
  ['Phan', 'phan'],
  ['Vũ', 'vu'],
  ['Võ', 'vo'],
  ['Đặng', 'dang'],
  ['Bùi', 'bui'],
  ['Đỗ', 'do'],
  ['Hồ', 'ho'],
  ['Ngô', 'ngo'],
  ['Dương', 'duong'],
  ['Lý', 'ly'],
];
const MIDDLE = [
  ['Văn', 'van'],
  ['Thị', 'thi'],
  ['Minh', 'minh'],
  ['Ngọc', 'ngoc'],
  ['Thanh', 'thanh'],
  ['Hữu', 'huu'],
  ['Đức', 'duc'],
  ['Quang', 'quang'],
];
const GIVEN = [
  ['An', 'an'],
  ['Bình', 'binh'],
  ['Cường', 'cuong'],
  ['Dũng', 'dung'],
  ['Giang', 'giang'],
  ['Hà', 'ha'],
  ['Hải', 'hai'],
  ['Hạnh', 'hanh'],
  ['Hùng', 'hung'],
  ['Khánh', 'khanh'],
  ['Lan', 'lan'],
  ['Linh', 'linh'],
  ['Long', 'long'],
  ['Mai', 'mai'],
  ['Nam', 'nam'],
  ['Phương', 'phuong'],
  ['Quân', 'quan'],
  ['Sơn', 'son'],
  ['Thảo', 'thao'],
  ['Trang', 'trang'],
  ['Tuấn', 'tuan'],
  ['Vy', 'vy'],
  ['Yến', 'yen'],
  ['Đạt', 'dat'],
];
const CITIES = [
  ['Hà Nội', 'ha noi'],
  ['Hồ Chí Minh', 'ho chi minh'],
  ['Đà Nẵng', 'da nang'],
  ['Hải Phòng', 'hai phong'],
  ['Cần Thơ', 'can tho'],
  ['Huế', 'hue'],
  ['Nha Trang', 'nha trang'],
  ['Vinh', 'vinh'],
];
const STREETS = [
  ['Lê Lợi', 'le loi'],
  ['Trần Hưng Đạo', 'tran hung dao'],
  ['Nguyễn Huệ', 'nguyen hue'],
  ['Hai Bà Trưng', 'hai ba trung'],
  ['Lý Thường Kiệt', 'ly thuong kiet'],
  ['Phan Chu Trinh', 'phan chu trinh'],
  ['Điện Biên Phủ', 'dien bien phu'],
  ['Cách Mạng Tháng Tám', 'cach mang thang tam'],
];
const MOBILE_PREFIXES = ['090', '091', '093', '094', '096', '097', '098', '086', '088', '032'];

/** A SQL text[] literal of one column of a table of pairs. */
export const sqlArray = (rows: readonly (readonly string[])[], col = 0) =>
  `ARRAY[${rows.map((r) => `'${r[col].replace(/'/g, "''")}'`).join(', ')}]::text[]`;
/** `list[1 + expr % len]` in SQL. */
const pick = (rows: readonly (readonly string[])[], col: number, expr: string) =>
  `(${sqlArray(rows, col)})[1 + (${expr} % ${rows.length})::int]`;
/**
 * A 60-bit number (≥ 0) hashed from a text and a seed: the seed's deterministic
 * randomness (Postgres's own hash function: the same in every database of a server).
 */
export const hash60 = (text: string, seed = 0) =>
  `(hashtextextended(${text}, ${seed}) & 1152921504606846975)`;

/** Fills seed_ws and seed_customer (temp tables of this session) for the workspaces. */
export async function createProfile(
  db: Client,
  base: Date,
  plans: readonly WorkspacePlan[],
): Promise<void> {
  await db.query('DROP TABLE IF EXISTS seed_ws, seed_customer');
  await db.query(
    `CREATE TEMP TABLE seed_ws AS
     SELECT w.wn::int AS wn, w.ws, w.n, w.full_n, w.followers, w.linked, w.staff,
            $1::timestamptz AS base
       FROM unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[])
              WITH ORDINALITY AS w(ws, n, full_n, followers, linked, staff, wn)`,
    [
      base,
      plans.map((p) => p.workspaceId),
      plans.map((p) => p.customers),
      plans.map((p) => p.full),
      plans.map((p) => p.followers),
      plans.map((p) => p.linked),
      plans.map((p) => p.staff),
    ],
  );
  const name = (col: number) =>
    `${pick(FAMILY, col, 'h')} || ' ' || ${pick(MIDDLE, col, '(h >> 4)')} || ' ' || ${pick(GIVEN, col, '(h >> 7)')}`;
  await db.query(`
    CREATE TEMP TABLE seed_customer AS
    WITH c AS (
      SELECT w.ws, w.wn, w.n, w.linked, w.staff AS staff_n, w.base, r, r <= w.full_n AS is_full,
             ${hash60("w.ws || ':' || r")} AS h, ${hash60("w.ws || ':' || r", 1)} AS h2,
             md5(w.ws || ':id:' || r) AS hid,
             w.base - interval '${NEWEST_AGE_DAYS} days'
               - (r - 1) * (interval '${SPAN_DAYS - NEWEST_AGE_DAYS} days' / w.n) AS created_at
        FROM seed_ws w CROSS JOIN LATERAL generate_series(1, w.n) AS r),
    p AS (
      SELECT c.*,
             (substr(hid, 1, 12) || '4' || substr(hid, 14, 3) || '8' || substr(hid, 18, 15))::uuid AS id,
             ${name(0)} AS name, ${name(1)} AS name_search,
             ${pick(MIDDLE, 0, '(h >> 4)')} AS middle,
             CASE WHEN is_full OR (h >> 12) % 3 <> 0
                  THEN replace(${name(1)}, ' ', '.') || '.' || r || '@example.vn' END AS email,
             CASE WHEN is_full OR (h >> 14) % 20 <> 0
                  THEN ${pick(
                    MOBILE_PREFIXES.map((p) => [p]),
                    0,
                    '(h >> 19)',
                  )} || lpad(r::text, 7, '0')
             END AS phone1,
             CASE WHEN (h >> 23) % 12 = 0 THEN '028' || lpad(r::text, 8, '0') END AS phone2,
             ${pick(CITIES, 0, '(h >> 27)')} AS city, ${pick(CITIES, 1, '(h >> 27)')} AS city_search,
             (1 + (h >> 30) % 300) || ' ' || ${pick(STREETS, 0, '(h >> 39)')} AS address,
             (1 + (h >> 30) % 300) || ' ' || ${pick(STREETS, 1, '(h >> 39)')} AS address_search,
             CASE WHEN (h >> 42) % 10 < 7 THEN date '1965-01-01' + ((h2 >> 3) % 14000)::int END AS birthday,
             array_remove(ARRAY[CASE WHEN (h >> 45) % 20 = 0 THEN 'vip' END,
                                CASE WHEN (h >> 47) % 7 = 0 THEN 'sale' END,
                                CASE WHEN (h >> 50) % 11 = 0 THEN 'tet' END], NULL) AS tags,
             CASE WHEN (h >> 53) % 4 = 0 THEN ARRAY['da-mua'] ELSE '{}' END AS labels,
             CASE WHEN is_full OR (h >> 55) % 4 <> 0 THEN 'staff-' || (1 + (h2 >> 17) % staff_n) END AS staff,
             CASE WHEN (h2 >> 27) % 100 = 0 THEN 'PRIORITY' END AS grp,
             CASE WHEN is_full OR (h2 >> 34) % 5 < 2
                  THEN jsonb_build_object('size', (ARRAY['S', 'M', 'L', 'XL'])[1 + ((h2 >> 37) % 4)::int],
                                          'visits', 1 + (h2 >> 39) % 40)
                  ELSE '{}'::jsonb END AS custom,
             is_full OR (h2 >> 45) % 8 <> 0 AS buyer,
             created_at + ((h2 >> 48) % 1000) / 1000.0 * (base - created_at) AS updated_at
        FROM c),
    z AS (
      SELECT p.*,
             CASE WHEN p.phone1 IS NOT NULL THEN '+84' || substr(p.phone1, 2) END AS e164_1,
             CASE WHEN p.phone2 IS NOT NULL THEN '+84' || substr(p.phone2, 2) END AS e164_2,
             row_number() OVER (PARTITION BY p.ws, p.phone1 IS NULL
                                ORDER BY NOT p.is_full, p.h2 % 1000003, p.r) AS zrank,
             row_number() OVER (PARTITION BY p.ws, p.buyer ORDER BY (p.h >> 5) % 1000003, p.r) AS brank
        FROM p)
    SELECT z.ws, z.wn, z.r, z.n, z.base, z.is_full, z.id, z.h, z.h2, z.created_at, z.updated_at, z.name,
           z.name_search, z.email, z.city, z.city_search, z.address, z.address_search,
           z.birthday, z.tags, z.labels, z.staff, z.grp, z.custom, z.phone1, z.e164_1, z.phone2,
           z.e164_2,
           CASE z.middle WHEN 'Văn' THEN 'MALE' WHEN 'Thị' THEN 'FEMALE'
                ELSE CASE WHEN (z.h >> 58) % 4 = 0 THEN NULL WHEN (z.h2 >> 58) % 2 = 0 THEN 'MALE'
                          ELSE 'FEMALE' END END AS gender,
           CASE WHEN z.buyer THEN z.brank END AS buyer_j,
           CASE WHEN z.buyer AND (z.h2 >> 51) % 7 = 0 THEN 'buyer-' || (1000000 + z.r) END AS shop_id,
           CASE WHEN z.phone1 IS NOT NULL AND z.zrank <= z.linked
                THEN ${hash60("z.ws || ':zalo:' || z.r")}::text END AS zalo,
           CASE WHEN (z.h >> 1) % 2 = 0 THEN z.created_at + interval '1 second'
                ELSE z.created_at + ((z.h2 >> 54) % 64) / 64.0 * (z.base - z.created_at) END AS zalo_at
      FROM z`);
  await db.query('CREATE INDEX ON seed_customer (ws, r)');
  await db.query('CREATE INDEX ON seed_customer (ws, buyer_j)');
  await db.query('ANALYZE seed_ws; ANALYZE seed_customer');
}

/** Buyers per workspace (the skewed orders draw from 1 … buyers), by workspace id. */
export async function buyersPerWorkspace(db: Client): Promise<Map<string, number>> {
  const { rows } = await db.query<{ ws: string; n: number }>(
    'SELECT ws, count(*)::int AS n FROM seed_customer WHERE buyer_j IS NOT NULL GROUP BY ws',
  );
  return new Map(rows.map((r) => [r.ws, r.n]));
}
