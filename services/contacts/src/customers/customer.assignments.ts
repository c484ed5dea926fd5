// Contacts owns the customer record, so it knows assignments from its own table.
import type { AssignedCustomers } from '@customer-graph/runtime';
import { isUuid } from '@customer-graph/runtime';

export const ownedAssignments: AssignedCustomers = async (
  db,
  workspaceId,
  staffUserId,
  customerIds,
) => {
  const ids = customerIds.filter(isUuid);
  if (ids.length === 0) return new Set();
  const rows: { id: string }[] = await db.query(
    `SELECT id FROM customer WHERE workspace_id = $1 AND assigned_staff = $2 AND id = ANY($3::uuid[])`,
    [workspaceId, staffUserId, ids],
  );
  return new Set(rows.map((r) => r.id));
};
