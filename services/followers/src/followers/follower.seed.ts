import type { DataSource } from 'typeorm';
import { DEMO_CUSTOMERS, demoRowId } from '@customer-graph/runtime';

/**
 * Demo followers: the first three demo customers follow the OA and shared their
 * phone (so they are linked); two more followers never shared one.
 */
export async function seedDemoFollowers(db: DataSource, workspaceId: string): Promise<void> {
  const linked = DEMO_CUSTOMERS.slice(0, 3).map((c, i) => ({
    displayName: c.name,
    gender: c.gender,
    phone: c.phone,
    customerId: c.id as string | null,
    n: i + 1,
  }));
  const anonymous = ['Hoa Hồng', 'Minh Anh'].map((name, i) => ({
    displayName: name,
    gender: 'FEMALE' as const,
    phone: null,
    customerId: null,
    n: linked.length + i + 1,
  }));
  await db.transaction(async (tx) => {
    for (const f of [...linked, ...anonymous]) {
      await tx.query(
        `INSERT INTO zalo_follower
           (id, workspace_id, zalo_user_id, display_name, gender, followed_at, status, phone,
            customer_id, linked_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'FOLLOWING', $7, $8, $6)
         ON CONFLICT (id) DO NOTHING`,
        [
          demoRowId(3, f.n),
          workspaceId,
          `84000000000000${f.n}`,
          f.displayName,
          f.gender,
          new Date(Date.UTC(2026, 3, f.n, 10)),
          f.phone,
          f.customerId,
        ],
      );
    }
  });
}
