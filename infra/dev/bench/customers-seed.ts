// The customers bench:customers lists: Vietnamese-looking names with diacritics, phones
// on 80%, tags, staff, custom values, one every 90 seconds from 2023 on. Seeded with SQL
// (INSERT … SELECT generate_series), so 1,000,000 take about a minute; the in-process
// cases and the gateway phase seed the same rows.

/** Anything that runs SQL: a TypeORM DataSource, or a pg Client. */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<unknown>;
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
  ['Đức', 'duc'],
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

const arr = (rows: string[][], col: number) =>
  `ARRAY[${rows.map((r) => `'${r[col]}'`).join(', ')}]::text[]`;

/** Seeds `count` customers of a workspace; `n` is the workspace's number in their ids. */
export async function seedCustomers(db: Sql, workspaceId: string, n: number, count: number) {
  await db.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [workspaceId]);
  // Independent digits of i choose family, middle and given names: every combination occurs.
  const pick = (rows: string[][], col: number, divisor: number) =>
    `(${arr(rows, col)})[1 + (i / ${divisor}) % ${rows.length}]`;
  const id = `('0000000${n}-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid`;
  // has_phone as the phones inserted below make it, as an import sets it (else the
  // trigger on customer_phone rewrites 80% of the rows). A database from before the
  // column (bench:customers run on older code) has none to set.
  const found = (await db.query(
    `SELECT count(*) > 0 AS has FROM information_schema.columns
      WHERE table_name = 'customer' AND column_name = 'has_phone'`,
  )) as { has: boolean }[] | { rows: { has: boolean }[] };
  const { has } = (Array.isArray(found) ? found : found.rows)[0];
  for (let from = 1; from <= count; from += 200_000) {
    const to = Math.min(count, from + 199_999);
    await db.query(`
      INSERT INTO customer (id, workspace_id, name, name_search, email, city, city_search,
        address, address_search, birthday, gender, tags, labels, assigned_staff, customer_group,
        type, custom, created_at, updated_at${has ? ', has_phone' : ''})
      SELECT ${id}, '${workspaceId}',
        ${pick(FAMILY, 0, 1)} || ' ' || ${pick(MIDDLE, 0, 16)} || ' ' || ${pick(GIVEN, 0, 128)},
        ${pick(FAMILY, 1, 1)} || ' ' || ${pick(MIDDLE, 1, 16)} || ' ' || ${pick(GIVEN, 1, 128)},
        CASE WHEN i % 3 = 0 THEN 'khach' || i || '@example.vn' END,
        ${pick(CITIES, 0, 7)}, ${pick(CITIES, 1, 7)},
        (i % 300) || ' Lê Lợi', (i % 300) || ' le loi',
        date '1960-01-01' + (i * 37) % 18000,
        (ARRAY['MALE', 'FEMALE', 'OTHER'])[1 + i % 3],
        array_remove(ARRAY[CASE WHEN i % 50 = 0 THEN 'vip' END, CASE WHEN i % 7 = 0 THEN 'sale' END,
                           CASE WHEN i % 11 = 0 THEN 'tet' END], NULL),
        CASE WHEN i % 4 = 0 THEN ARRAY['da-mua'] ELSE '{}' END,
        'staff-' || (i % 20),
        CASE WHEN i % 97 = 0 THEN 'PRIORITY' END,
        CASE WHEN i % 5 = 0 THEN 'VISITOR' ELSE 'LEAD' END,
        CASE WHEN i % 13 = 0 THEN '{"tier": "gold"}'::jsonb ELSE '{}'::jsonb END,
        timestamptz '2023-01-01' + i * interval '90 seconds',
        timestamptz '2023-01-01' + i * interval '90 seconds'${has ? ', i % 5 <> 0' : ''}
      FROM generate_series(${from}, ${to}) AS i`);
    await db.query(`
      INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
      SELECT '${workspaceId}', ${id}, '09' || lpad(i::text, 8, '0'), '+849' || lpad(i::text, 8, '0'), 0
        FROM generate_series(${from}, ${to}) AS i WHERE i % 5 <> 0`);
  }
}
