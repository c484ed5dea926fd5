// Which staff member each customer is assigned to, in a subgraph that does not own the
// customer record: a projection of contacts' events, kept by the same outbox/inbox
// machinery as every other event (no call to contacts). `defineSubgraph` adds this
// module to every subgraph whose assignments are 'projected'.
//
// customer_access(workspace_id, customer_id, assigned_staff, deleted, occurred_at):
// one row per customer ever assigned. A row changes only for a newer event than the
// one it holds (events of two topics may arrive in either order), and a deleted
// customer leaves a tombstone, so a late assignment cannot bring it back. A merged
// customer leaves one too, and its id maps to the survivor (customer-merges.ts): the
// access to a merged id is the survivor's.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { AssignedCustomers, CustomerScope } from './access';
import {
  CUSTOMER_ASSIGNED,
  CUSTOMER_DELETED,
  CUSTOMER_ERASED,
  CUSTOMER_MERGED,
} from './events/catalog.generated';
import {
  CreateCustomerMerges1764700000000,
  createCustomerAccessLoaders,
  projectMerge,
} from './customer-merges';
import type { EventHandler } from './events/consumer';
import type { EventEnvelope } from './events/envelope';
import { isUuid } from './ids';
import type { DomainModule } from './subgraph.types';

export class CreateCustomerAccess1763900000060 implements MigrationInterface {
  name = 'CreateCustomerAccess1763900000060';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_access (
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        assigned_staff text,
        deleted boolean NOT NULL DEFAULT false,
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, customer_id)
      )`);
    await q.query(
      'CREATE INDEX customer_access_staff_idx ON customer_access (workspace_id, assigned_staff, customer_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_access');
  }
}

/** Applies one event to the projection unless the row already reflects a newer one. */
async function project(
  tx: Parameters<EventHandler<typeof CUSTOMER_ASSIGNED>>[0],
  event: EventEnvelope<{ customerId: string }>,
  assignedStaff: string | null,
  deleted: boolean,
): Promise<void> {
  const { customerId } = event.payload;
  await tx.query(
    `INSERT INTO customer_access (workspace_id, customer_id, assigned_staff, deleted, occurred_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (workspace_id, customer_id) DO UPDATE SET
       assigned_staff = EXCLUDED.assigned_staff, deleted = EXCLUDED.deleted,
       occurred_at = EXCLUDED.occurred_at
     WHERE customer_access.occurred_at < EXCLUDED.occurred_at
       AND NOT customer_access.deleted`,
    [event.workspaceId, customerId, deleted ? null : assignedStaff, deleted, event.occurredAt],
  );
}

const onAssigned: EventHandler<typeof CUSTOMER_ASSIGNED> = (tx, event) =>
  project(tx, event, event.payload.assignedStaff, false);

const onDeleted: EventHandler<typeof CUSTOMER_DELETED> = (tx, event) =>
  project(tx, event, null, true);

/** An erased customer is deleted for access too (docs/privacy.md). */
const onErased: EventHandler<typeof CUSTOMER_ERASED> = (tx, event) =>
  project(tx, event, null, true);

export const customerAccessModule: DomainModule = {
  name: 'customerAccess',
  migrations: [CreateCustomerAccess1763900000060, CreateCustomerMerges1764700000000],
  loaders: createCustomerAccessLoaders,
  consumes: {
    [CUSTOMER_ASSIGNED]: onAssigned,
    [CUSTOMER_DELETED]: onDeleted,
    [CUSTOMER_ERASED]: onErased,
    [CUSTOMER_MERGED]: projectMerge,
  },
};

/**
 * The staff member's customers among `customerIds`, from the projection; a merged id
 * counts as its survivor.
 */
export const projectedAssignments: AssignedCustomers = async (
  db,
  workspaceId,
  staffUserId,
  customerIds,
) => {
  // An id that is not a uuid names no customer (and would not cast).
  const ids = customerIds.filter(isUuid);
  if (ids.length === 0) return new Set();
  const rows: { customer_id: string }[] = await db.query(
    `SELECT u.id AS customer_id FROM unnest($3::text[]) AS u(id)
       LEFT JOIN customer_merge m ON m.workspace_id = $1 AND m.merged_id = u.id::uuid
       JOIN customer_access a ON a.workspace_id = $1
        AND a.customer_id = COALESCE(m.survivor_id, u.id::uuid)
      WHERE a.assigned_staff = $2 AND NOT a.deleted`,
    [workspaceId, staffUserId, ids],
  );
  return new Set(rows.map((r) => r.customer_id));
};

/**
 * SQL (to AND into a WHERE) limiting rows whose customer id is `column` to the ones
 * the scope reaches; `param` adds a value and returns its placeholder.
 */
export function projectedScopeSql(
  scope: CustomerScope,
  column: string,
  workspaceColumn: string,
  param: (value: unknown) => string,
): string {
  if (scope.kind === 'all') return 'TRUE';
  if (scope.kind === 'none') return 'FALSE';
  return `EXISTS (SELECT 1 FROM customer_access ca
     WHERE ca.workspace_id = ${workspaceColumn} AND ca.customer_id = ${column}
       AND ca.assigned_staff = ${param(scope.staffUserId)} AND NOT ca.deleted)`;
}
