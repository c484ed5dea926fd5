import type { DataSource } from 'typeorm';
import type { Connection, Page } from '@customer-graph/runtime';
import { toConnection } from '@customer-graph/runtime';
import { CustomerEntity } from './customer.entity';
import type { CustomerRow } from './customer.entity';

/** One page of the workspace's customers, newest first (keyset on created_at, id). */
export async function listCustomers(
  db: DataSource,
  workspaceId: string,
  page: Page,
): Promise<Connection<CustomerRow>> {
  const query = db
    .getRepository(CustomerEntity)
    .createQueryBuilder('c')
    .where('c.workspace_id = :workspaceId', { workspaceId })
    .orderBy('c.created_at', 'DESC')
    .addOrderBy('c.id', 'DESC')
    .limit(page.first + 1);
  if (page.after) {
    query.andWhere('(c.created_at, c.id) < (:at::timestamptz, :id::uuid)', {
      at: page.after.sortKey,
      id: page.after.id,
    });
  }
  const rows = await query.getMany();
  return toConnection(rows, page.first, (row) => ({
    sortKey: row.createdAt.toISOString(),
    id: row.id,
  }));
}
