import type { MigrationInterface, QueryRunner } from 'typeorm';
import { publishSummaries } from '../order.summary-events';

const BATCH = 1000;

/**
 * Contacts learns a customer's figures from `orders.customer.summary-changed`. Customers
 * who had orders before that event existed are announced once (version 1), through
 * the outbox as the service announces any change, in (workspace, customer) order; a
 * customer that already has a version was announced. (The service refuses to start
 * with this pending, so every later change comes after, with a larger version.)
 */
export class AnnounceOrderSummaries1764510000100 implements MigrationInterface {
  name = 'AnnounceOrderSummaries1764510000100';

  async up(q: QueryRunner): Promise<void> {
    let after = { workspaceId: '', customerId: '00000000-0000-0000-0000-000000000000' };
    for (;;) {
      const rows: { workspace_id: string; customer_id: string }[] = await q.query(
        `SELECT DISTINCT o.workspace_id, o.customer_id FROM customer_order o
          WHERE o.customer_id IS NOT NULL
            AND (o.workspace_id, o.customer_id) > ($1::text, $2::uuid)
            AND NOT EXISTS (SELECT 1 FROM customer_order_version v
                             WHERE v.workspace_id = o.workspace_id AND v.customer_id = o.customer_id)
          ORDER BY o.workspace_id, o.customer_id LIMIT ${BATCH}`,
        [after.workspaceId, after.customerId],
      );
      if (rows.length === 0) return;
      const byWorkspace = new Map<string, string[]>();
      for (const r of rows) {
        const list = byWorkspace.get(r.workspace_id);
        if (list) list.push(r.customer_id);
        else byWorkspace.set(r.workspace_id, [r.customer_id]);
      }
      for (const [workspaceId, customerIds] of byWorkspace) {
        await publishSummaries(q.manager, workspaceId, customerIds);
      }
      const last = rows[rows.length - 1];
      after = { workspaceId: last.workspace_id, customerId: last.customer_id };
    }
  }

  async down(): Promise<void> {
    // Events once announced are not taken back.
  }
}
