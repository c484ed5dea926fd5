import type { DataSource } from 'typeorm';
import { DEMO_CUSTOMERS } from '@customer-graph/runtime';

const id = (n: number) => `00000000-0000-4000-8000-${String(800 + n).padStart(12, '0')}`;

/** A few demo opportunities with their first stage; fixed ids make a rerun a no-op. */
export async function seedDemoOpportunities(db: DataSource, workspaceId: string): Promise<void> {
  const [first, second] = DEMO_CUSTOMERS;
  const rows: [string, string, string, number, string][] = [
    [id(1), first.id, 'Nhu cầu mua máy lọc nước', 8_500_000, 'QUOTE'],
    [id(2), second.id, 'Gói dịch vụ VIP tháng 6', 2_000_000, 'WON'],
  ];
  for (const [oppId, customerId, name, value, stage] of rows) {
    await db.query(
      `WITH created AS (
         INSERT INTO opportunity (id, workspace_id, customer_id, name, value, stage, closed_at,
           owner, created_by)
         SELECT $1::uuid, $2::text, $3::uuid, $4::text, $5::bigint, $6::text, CASE WHEN $6::text = 'WON' THEN now() END,
                'demo-staff', 'demo-admin'
          WHERE EXISTS (SELECT 1 FROM customer WHERE workspace_id = $2 AND id = $3)
         ON CONFLICT (id) DO NOTHING
         RETURNING workspace_id, id, stage, created_by)
       INSERT INTO opportunity_stage_change (workspace_id, opportunity_id, stage, changed_by)
       SELECT workspace_id, id, stage, created_by FROM created`,
      [oppId, workspaceId, customerId, name, value, stage],
    );
  }
}
