import type { DataSource } from 'typeorm';
import { DEMO_CUSTOMERS } from '@customer-graph/runtime';

const id = (n: number) => `00000000-0000-4000-8000-${String(700 + n).padStart(12, '0')}`;

/** A few demo tasks on the first demo customers; fixed ids make a second run a no-op. */
export async function seedDemoTasks(db: DataSource, workspaceId: string): Promise<void> {
  const [first, second] = DEMO_CUSTOMERS;
  const rows: [string, string, string, string, number | null][] = [
    [id(1), first.id, 'Gọi lại tư vấn máy lọc nước', 'TODO', 2],
    [id(2), first.id, 'Gửi báo giá gói VIP', 'DONE', -3],
    [id(3), second.id, 'Xác nhận địa chỉ giao hàng', 'IN_PROGRESS', -1],
  ];
  for (const [taskId, customerId, title, status, dueInDays] of rows) {
    await db.query(
      `INSERT INTO customer_task (id, workspace_id, customer_id, title, status, due_at,
         completed_at, assignee, created_by)
       SELECT $1::uuid, $2::text, $3::uuid, $4::text, $5::text, now() + make_interval(days => $6),
              CASE WHEN $5::text = 'DONE' THEN now() END, 'demo-staff', 'demo-admin'
        WHERE EXISTS (SELECT 1 FROM customer WHERE workspace_id = $2 AND id = $3)
       ON CONFLICT (id) DO NOTHING`,
      [taskId, workspaceId, customerId, title, status, dueInDays],
    );
  }
}
