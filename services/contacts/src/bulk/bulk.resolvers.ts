import { AuditAction, badInput, isUuid, recordAudit } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import type { CustomerFilterInput } from '../filter/filter.types';
import { staffScope } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import { MAX_SYNC_IDS, deleteCustomersById } from '../customers/customer.write';
import { heavy } from '../customers/heavy-work';
import { scopeOf } from '../customers/customer.scope';
import { BulkJobEntity } from './bulk-job.entity';
import { startJob } from './bulk-job.service';
import { applyAction, checkAction } from './bulk.action';
import { actionDetail } from './bulk.audit';

export const bulkResolvers: Resolvers = {
  Query: {
    bulkJob: (_parent, { id }, ctx) => {
      if (!isUuid(id)) return null;
      // Staff see only the jobs they started.
      const staff = staffScope(ctx.identity);
      return ctx.db.getRepository(BulkJobEntity).findOneBy({
        workspaceId: ctx.workspaceId,
        id,
        ...(staff ? { createdBy: staff } : {}),
      });
    },
  },
  Mutation: {
    updateCustomers: async (_parent, { ids, action }, ctx) => {
      if (ids.length > MAX_SYNC_IDS) {
        throw badInput(
          'ids',
          `at most ${MAX_SYNC_IDS} ids at once, got ${ids.length}; use startBulkJob with a filter`,
        );
      }
      ids.forEach((id, i) => {
        if (!isUuid(id)) throw badInput(`ids[${i}]`, `"${id}" is not a customer id`);
      });
      const checked = checkAction(ctx.identity, action);
      const staff = staffScope(ctx.identity);
      const applied = await ctx.db.transaction(async (tx) => {
        const done = await applyAction(
          tx,
          ctx.workspaceId,
          checked,
          `c.workspace_id = $1 AND c.id = ANY($2::uuid[]) AND ($3::text IS NULL OR c.assigned_staff = $3)`,
          [ctx.workspaceId, ids, staff],
        );
        await recordAudit(tx, ctx.identity, {
          action: AuditAction.CUSTOMERS_BULK_UPDATED,
          targetType: 'Customer',
          targetIds: done.updated,
          detail: { ...actionDetail(checked), updated: done.updated.length },
        });
        return done;
      });
      const found = new Set([...applied.updated, ...applied.skipped]);
      return {
        updated: applied.updated.length,
        notFound: ids.filter((id) => !found.has(id)),
        skipped: applied.skipped,
      };
    },
    // Deleting by ids is done at once; by a filter, as a background job.
    deleteCustomers: async (_parent, { ids, filter }, ctx) => {
      if ((ids == null) === (filter == null)) {
        throw badInput('ids', 'give exactly one of ids or filter');
      }
      if (ids) {
        const deleted = await ctx.db.transaction(async (tx) => {
          const gone = await deleteCustomersById(tx, ctx.identity, ids);
          // The ids asked for (checked as ids by now), and how many were deleted.
          await recordAudit(tx, ctx.identity, {
            action: AuditAction.CUSTOMERS_DELETED,
            targetType: 'Customer',
            targetIds: [...new Set(ids)],
            detail: { requested: ids.length, deleted: gone },
          });
          return gone;
        });
        return { deleted, job: null };
      }
      const job = await heavy(ctx.workspaceId, async () =>
        startJob(
          ctx.db,
          ctx.identity,
          filter as CustomerFilterInput,
          { delete: true },
          await scopeOf(ctx),
        ),
      );
      return { deleted: 0, job };
    },
    startBulkJob: async (_parent, { filter, action }, ctx) => {
      const checked = checkAction(ctx.identity, action);
      return heavy(ctx.workspaceId, async () =>
        startJob(ctx.db, ctx.identity, filter as CustomerFilterInput, checked, await scopeOf(ctx)),
      );
    },
  },
};

export const bulkAccess: AccessRules = {
  'Query.bulkJob': { can: 'customers.read' },
  'Mutation.updateCustomers': { can: 'customers.write' },
  'Mutation.deleteCustomers': { can: 'customers.write' },
  'Mutation.startBulkJob': { can: 'customers.write' },
};
