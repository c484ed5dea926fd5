// Shop connections: which marketplace shops push their orders' statuses to this
// workspace. The partner key goes in sealed and never comes out.
import {
  AuditAction,
  PublicErrorCode,
  badInput,
  publicError,
  recordAudit,
} from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers, Shop } from '../generated/graphql';
import { CONNECTABLE_SOURCES, SHOP_CONNECTION_PUBLIC } from './shop.entity';
import { shopDirectory } from './shop.directory';
import { sealPartnerKey } from './shop.secret';

/** Shopee's shop_id: a positive integer, written in digits. */
const SHOP_ID = /^[1-9][0-9]{0,19}$/;
/** The most shops one workspace connects (Query.shops is one list). */
export const MAX_SHOPS_PER_WORKSPACE = 50;

export const shopResolvers: Resolvers = {
  Query: {
    shops: (_parent, _args, ctx) =>
      ctx.db.query(
        `SELECT ${SHOP_CONNECTION_PUBLIC} FROM shop_connection WHERE workspace_id = $1
          ORDER BY source, length(shop_id), shop_id`,
        [ctx.workspaceId],
      ),
  },
  Mutation: {
    connectShop: async (_parent, { source, shopId, partnerKey }, ctx) => {
      if (!CONNECTABLE_SOURCES.includes(source)) {
        throw badInput(
          'source',
          `only ${CONNECTABLE_SOURCES.join(', ')} shops can be connected so far (no other source pushes orders yet)`,
        );
      }
      if (!SHOP_ID.test(shopId)) {
        throw badInput('shopId', 'shopId must be the shop’s numeric id on Shopee (1 to 20 digits)');
      }
      if (partnerKey.length < 8 || partnerKey.length > 256 || partnerKey.trim() !== partnerKey) {
        throw badInput(
          'partnerKey',
          'partnerKey must be 8 to 256 characters, without spaces around',
        );
      }
      // A claim is PENDING until a push signed with its key arrives (shopee.webhook.ts):
      // other workspaces' pending claims on the shop do not block this one, a CONNECTED
      // one does. Re-keying a shop the workspace has keeps its status.
      const sealed = sealPartnerKey(
        ctx.secrets,
        { workspaceId: ctx.workspaceId, source, shopId },
        partnerKey,
      );
      // One connectShop of a workspace at a time: the count and the insert cannot be
      // raced past the cap.
      const rows: Shop[] = await ctx.db.transaction(async (tx) => {
        await tx.query(
          `SELECT pg_advisory_xact_lock(hashtextextended('shop-connections ' || $1, 0))`,
          [ctx.workspaceId],
        );
        const [{ others }]: { others: number }[] = await tx.query(
          `SELECT count(*)::int AS others FROM shop_connection
            WHERE workspace_id = $1 AND NOT (source = $2 AND shop_id = $3)`,
          [ctx.workspaceId, source, shopId],
        );
        if (others >= MAX_SHOPS_PER_WORKSPACE) {
          throw badInput(
            'shopId',
            `a workspace connects at most ${MAX_SHOPS_PER_WORKSPACE} shops: disconnect one first`,
          );
        }
        const claimed: Shop[] = await tx.query(
          `INSERT INTO shop_connection (workspace_id, source, shop_id, partner_key, status, claimed_at)
         SELECT $1, $2, $3, $4, 'PENDING', now()
          WHERE NOT EXISTS (SELECT 1 FROM shop_connection
                             WHERE source = $2 AND shop_id = $3 AND status = 'CONNECTED'
                               AND workspace_id <> $1)
         ON CONFLICT (workspace_id, source, shop_id) DO UPDATE SET
           partner_key = EXCLUDED.partner_key, claimed_at = now()
         RETURNING ${SHOP_CONNECTION_PUBLIC}`,
          [ctx.workspaceId, source, shopId, sealed],
        );
        if (claimed.length > 0) {
          await recordAudit(tx, ctx.identity, {
            action: AuditAction.SHOP_CONNECTED,
            targetType: 'Shop',
            targetIds: [`${source}:${shopId}`],
            detail: { source, status: claimed[0].status },
          });
        }
        return claimed;
      });
      shopDirectory(ctx.db).forget();
      if (rows.length === 0) {
        throw publicError(
          PublicErrorCode.CONFLICT,
          `${source} shop ${shopId} is connected to another workspace: it must be disconnected there first`,
          { field: 'shopId' },
        );
      }
      return rows[0];
    },
    disconnectShop: async (_parent, { source, shopId }, ctx) => {
      const count = await ctx.db.transaction(async (tx) => {
        const [, deleted] = (await tx.query(
          'DELETE FROM shop_connection WHERE workspace_id = $1 AND source = $2 AND shop_id = $3',
          [ctx.workspaceId, source, shopId],
        )) as [unknown, number];
        if (deleted > 0) {
          await recordAudit(tx, ctx.identity, {
            action: AuditAction.SHOP_DISCONNECTED,
            targetType: 'Shop',
            targetIds: [`${source}:${shopId}`],
            detail: { source },
          });
        }
        return deleted;
      });
      shopDirectory(ctx.db).forget();
      return count > 0;
    },
  },
};

export const shopAccess: AccessRules = {
  // Names no customer: what every role of the workspace may read.
  'Query.shops': { can: 'settings.read' },
  // Where the workspace's orders come from: admins.
  'Mutation.connectShop': { can: 'settings.manage' },
  'Mutation.disconnectShop': { can: 'settings.manage' },
};
