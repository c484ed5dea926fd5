import type { DataSource } from 'typeorm';
import { DEMO_CUSTOMERS, demoRowId } from '@customer-graph/runtime';
import type { OrderSource, OrderStatus } from './order.entity';
import { publishSummaries } from './order.summary-events';

const SOURCES: OrderSource[] = ['SHOPEE', 'LAZADA', 'TIKTOK_SHOP', 'WEBSITE', 'POS'];
const STATUSES: OrderStatus[] = ['COMPLETED', 'COMPLETED', 'SHIPPING', 'CANCELLED', 'PENDING'];

/**
 * Three orders for each demo customer, and the summary of each customer that got one;
 * fixed ids make a second run a no-op.
 */
export async function seedDemoOrders(db: DataSource, workspaceId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const seeded: string[] = [];
    for (const [c, customer] of DEMO_CUSTOMERS.entries()) {
      for (let k = 0; k < 3; k++) {
        const n = c * 3 + k + 1;
        const inserted: unknown[] = await tx.query(
          `INSERT INTO customer_order
             (id, workspace_id, customer_id, code, source, status, buyer_name, subtotal, total,
              ordered_at, source_updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $9)
           ON CONFLICT (id) DO NOTHING
           RETURNING id`,
          [
            demoRowId(1, n),
            workspaceId,
            customer.id,
            `DH${String(240000 + n)}`,
            SOURCES[n % SOURCES.length],
            STATUSES[n % STATUSES.length],
            customer.name,
            150_000 + n * 37_000,
            new Date(Date.UTC(2026, 1, n, 9, 30)),
          ],
        );
        if (inserted.length > 0) seeded.push(customer.id);
      }
    }
    await publishSummaries(tx, workspaceId, seeded);
  });
}
