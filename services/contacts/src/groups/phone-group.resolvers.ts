import type { Resolvers } from '../generated/graphql';
import { AuditAction, recordAudit } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import { heavy } from '../customers/heavy-work';
import { markByPhones } from './phone-group.service';
import { normaliseInChunks, readPhoneEntries } from './phone-list.parse';

export const phoneGroupResolvers: Resolvers = {
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
  },
};

export const phoneGroupAccess: AccessRules = {
  'Mutation.markCustomersByPhones': { can: 'customers.write' },
};
