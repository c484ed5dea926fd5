// Consent on the customer page: `Customer.channelConsents` and `setChannelConsent`.
import { AuditAction, recordAudit } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { recordConsents } from './consent.record';
import { CONSENT_COLUMNS } from './consent.entity';
import type { ChannelConsentRow } from './consent.entity';

export const consentResolvers: Resolvers = {
  Customer: {
    channelConsents: (customer, _args, ctx) => ctx.loaders.consent.byCustomer.load(customer.id),
  },
  Mutation: {
    setChannelConsent: async (_root, { customerId, channel, optedOut }, ctx) => {
      // A merged customer's id names its survivor: the consent is the survivor's.
      const id = await ctx.loaders.customerAccess.currentId.load(customerId);
      return ctx.db.transaction(async (tx) => {
        await recordConsents(tx, [
          {
            workspaceId: ctx.workspaceId,
            customerId: id,
            channel,
            optedOut,
            reason: 'STAFF',
            changedBy: ctx.access.identity.userId,
            changedAt: new Date(),
          },
        ]);
        await recordAudit(tx, ctx.identity, {
          action: AuditAction.CHANNEL_CONSENT_CHANGED,
          targetType: 'Customer',
          targetIds: [id],
          detail: { channel, optedOut },
        });
        const [row]: ChannelConsentRow[] = await tx.query(
          `SELECT ${CONSENT_COLUMNS} FROM channel_consent c
            WHERE c.workspace_id = $1 AND c.customer_id = $2 AND c.channel = $3`,
          [ctx.workspaceId, id, channel],
        );
        return row;
      });
    },
  },
};

type Args = { customerId: string };

export const consentAccess: AccessRules = {
  'Customer.channelConsents': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  // workspace.edit (admins, editors) ⊂ customers.write; staff only on their customers.
  'Mutation.setChannelConsent': {
    can: 'customers.write',
    customer: (_p: never, a: Args) => a.customerId,
  },
};
