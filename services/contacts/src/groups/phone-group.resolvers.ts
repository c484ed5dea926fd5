import type { Resolvers } from '../generated/graphql';
import { AuditAction, recordAudit } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import { pageOf } from '@customer-graph/runtime';
import { heavy } from '../customers/heavy-work';
import { markByPhones } from './phone-group.service';
import { normaliseInChunks, readPhoneEntries } from './phone-list.parse';
import { REMEMBERED_NEWEST_FIRST, forgetRemembered, listRemembered } from './remembered.service';

export const phoneGroupResolvers: Resolvers = {
  Query: {
    rememberedPhones: (_parent, { group, ...args }, ctx, info) =>
      listRemembered(ctx.db, ctx.workspaceId, group, pageOf(args, info, REMEMBERED_NEWEST_FIRST)),
  },
  Mutation: {
    markCustomersByPhones: (_parent, { group, phones, csv }, ctx) => {
      // The cap is checked before the upload is split or waits for a slot.
      const entries = readPhoneEntries({ phones, csv });
      return heavy(ctx.workspaceId, async () => {
        // Parsed outside the transaction, yielding between chunks.
        const parsed = await normaliseInChunks(entries, ctx.loaders.customers.e164);
        return ctx.db.transaction(async (tx) => {
          const marked = await markByPhones(tx, ctx.identity, group, parsed);
          // Counts only: the numbers themselves are personal (docs/audit.md).
          await recordAudit(tx, ctx.identity, {
            action: AuditAction.CUSTOMERS_GROUP_MARKED,
            targetType: 'CustomerGroup',
            targetIds: [group],
            detail: {
              received: marked.received,
              matched: marked.matched,
              unmatched: marked.unmatched,
              invalid: marked.invalid,
            },
          });
          return marked;
        });
      });
    },
    forgetRememberedPhones: (_parent, { group, phones }, ctx) =>
      forgetRemembered(ctx.db, ctx.workspaceId, group, phones),
  },
  RememberedPhone: {
    phone: (row) => row.e164,
  },
  RememberedPhoneConnection: {
    totalCount: (page) => page.totalCount(),
  },
};

export const phoneGroupAccess: AccessRules = {
  'Mutation.markCustomersByPhones': { can: 'customers.write' },
  // Remembered numbers are the workspace's, not any one customer's: those who manage
  // shared lists (admins and editors) read and clear them.
  'Query.rememberedPhones': { can: 'workspace.edit' },
  'Mutation.forgetRememberedPhones': { can: 'workspace.edit' },
  'RememberedPhone.phone': { inherit: 'a row of rememberedPhones, already checked' },
  'RememberedPhoneConnection.totalCount': { inherit: 'rememberedPhones, already checked' },
};
