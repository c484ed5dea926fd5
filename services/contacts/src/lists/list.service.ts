// Saved lists (seed 002): a named filter whose members are evaluated live. Deleting a
// list keeps its customers. Splitting one cuts its current members into contiguous
// groups for campaigns, each given back as a filter.
import type { DataSource } from 'typeorm';
import {
  AuditAction,
  PublicErrorCode,
  badInput,
  isUuid,
  publicError,
  recordAudit,
} from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { filterDetail } from '../audit/audit.details';
import type { CustomerFilterInput } from '../filter/filter.types';
import { compileWhere, countWhere } from '../customers/customer.list';
import type { ListScope } from '../customers/customer.list';
import { text } from '../customers/customer.input';
import { CustomerListEntity } from './list.entity';
import type { CustomerListRow } from './list.entity';
import { boundaryRows, splitSizes } from './list-split';

const UNIQUE_VIOLATION = '23505';

function listName(value: string): string {
  const name = text(value, 'name', 100);
  if (name === null) throw badInput('name', 'a list needs a name');
  return name;
}

function nameTaken(name: string) {
  return publicError(PublicErrorCode.CONFLICT, `a list named "${name}" exists`, { field: 'name' });
}

async function saveUnique<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw nameTaken(name);
    throw error;
  }
}

export async function findList(
  db: DataSource,
  workspaceId: string,
  id: string,
  field = 'id',
): Promise<CustomerListRow> {
  const list = isUuid(id)
    ? await db.getRepository(CustomerListEntity).findOneBy({ workspaceId, id })
    : null;
  if (!list) throw publicError(PublicErrorCode.NOT_FOUND, `no saved list ${id}`, { field });
  return list;
}

export async function createList(
  db: DataSource,
  scope: ListScope,
  identity: Identity,
  name: string,
  filter: CustomerFilterInput,
): Promise<CustomerListRow> {
  const clean = listName(name);
  await compileWhere(db, scope, filter);
  return saveUnique(clean, () =>
    db.transaction(async (tx) => {
      const list = await tx.getRepository(CustomerListEntity).save({
        workspaceId: scope.workspaceId,
        name: clean,
        // Kept as JSON (dates as ISO strings), which is what the compiler reads back.
        filter: JSON.parse(JSON.stringify(filter)),
        createdBy: identity.userId,
      });
      // Not its name: a seller may name a list after a person.
      await recordAudit(tx, identity, {
        action: AuditAction.CUSTOMER_LIST_CREATED,
        targetType: 'CustomerList',
        targetIds: [list.id],
        detail: filterDetail(filter),
      });
      return list;
    }),
  );
}

export async function renameList(
  db: DataSource,
  workspaceId: string,
  id: string,
  name: string,
): Promise<CustomerListRow> {
  const clean = listName(name);
  const list = await findList(db, workspaceId, id);
  return saveUnique(clean, () =>
    db.getRepository(CustomerListEntity).save({ ...list, name: clean }),
  );
}

export async function deleteList(db: DataSource, identity: Identity, id: string) {
  const { workspaceId } = identity;
  await findList(db, workspaceId, id);
  // A list that other lists name (`inList`) cannot go: they would stop compiling.
  const [user] = await db.query(
    `SELECT name FROM customer_list WHERE workspace_id = $1 AND id <> $2
        AND jsonb_path_exists(filter, 'strict $.**.inList ? (@ == $id)', jsonb_build_object('id', $2::text))
      LIMIT 1`,
    [workspaceId, id],
  );
  if (user) {
    throw publicError(
      PublicErrorCode.CONFLICT,
      `the list "${user.name}" uses this list; change it first`,
      { field: 'id' },
    );
  }
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM customer_list WHERE workspace_id = $1 AND id = $2', [
      workspaceId,
      id,
    ]);
    await recordAudit(tx, identity, {
      action: AuditAction.CUSTOMER_LIST_DELETED,
      targetType: 'CustomerList',
      targetIds: [id],
    });
  });
  return true;
}

export interface ListPart {
  part: number;
  size: number;
  first: { createdAt: Date; id: string } | null;
  last: { createdAt: Date; id: string } | null;
  filter: CustomerFilterInput;
}

/**
 * The list's members now, cut into `parts` contiguous groups in (createdAt, id)
 * order. The count and the boundary customers are read in one snapshot, so a
 * customer added meanwhile cannot shift a boundary.
 */
export async function splitList(
  db: DataSource,
  scope: ListScope,
  id: string,
  parts: number,
): Promise<ListPart[]> {
  await findList(db, scope.workspaceId, id);
  const inList: CustomerFilterInput = { inList: id };
  const where = await compileWhere(db, scope, inList);
  return db.transaction('REPEATABLE READ', async (tx) => {
    const total = await countWhere(tx, where);
    const split = splitSizes(total, parts);
    const rows = boundaryRows(split);
    const params = [...where.params.values, rows];
    const found: { rn: number; created_at: Date; id: string }[] =
      rows.length === 0
        ? []
        : await tx.query(
            `SELECT rn::int, created_at, id FROM (
               SELECT c.created_at, c.id, row_number() OVER (ORDER BY c.created_at, c.id) AS rn
                 FROM customer c WHERE ${where.sql}) ranked
              WHERE rn = ANY($${params.length}::bigint[])`,
            params,
          );
    const at = new Map(found.map((r) => [r.rn, { createdAt: r.created_at, id: r.id }]));
    return split.map((p) => {
      const first = p.size > 0 ? (at.get(p.firstRow) ?? null) : null;
      const last = p.size > 0 ? (at.get(p.lastRow) ?? null) : null;
      const filter: CustomerFilterInput =
        first && last
          ? { inList: id, range: { from: first, to: last } }
          : { and: [inList, { not: inList }] };
      return {
        part: p.part,
        size: p.size,
        first,
        last,
        filter: JSON.parse(JSON.stringify(filter)),
      };
    });
  });
}
