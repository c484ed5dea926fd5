import {
  AuditAction,
  PublicErrorCode,
  badInput,
  publicError,
  recordAudit,
} from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { ZaloOAEntity } from './oa.entity';
import { oaDirectory } from './oa.directory';
import { oaSecretContext } from './oa.secret';

const ID = /^[0-9A-Za-z_-]{1,64}$/;

export const oaResolvers: Resolvers = {
  Query: {
    zaloOA: (_parent, _args, ctx) =>
      ctx.db.getRepository(ZaloOAEntity).findOneBy({ workspaceId: ctx.workspaceId }),
  },
  Mutation: {
    connectZaloOA: async (_parent, { oaId, appId, secretKey }, ctx) => {
      if (!ID.test(oaId)) throw badInput('oaId', 'oaId must be 1-64 letters, digits, - or _');
      if (!ID.test(appId)) throw badInput('appId', 'appId must be 1-64 letters, digits, - or _');
      if (secretKey.length < 8 || secretKey.length > 256) {
        throw badInput('secretKey', 'secretKey must be 8 to 256 characters');
      }
      // A claim is PENDING until an event signed with its secret arrives (webhook):
      // other workspaces' pending claims on the OA do not block this one, a CONNECTED
      // one does. Re-keying the OA a workspace already has keeps it CONNECTED.
      // The connection and its audit entry (through the outbox) commit together.
      const rows = await ctx.db.transaction(async (tx) => {
        const claimed = await tx.query(
          `INSERT INTO zalo_oa (workspace_id, oa_id, app_id, secret_key, status, claimed_at)
         SELECT $1, $2, $3, $4, 'PENDING', now()
          WHERE NOT EXISTS (SELECT 1 FROM zalo_oa
                             WHERE oa_id = $2 AND status = 'CONNECTED' AND workspace_id <> $1)
         ON CONFLICT (workspace_id) DO UPDATE SET
           status = CASE WHEN zalo_oa.oa_id = EXCLUDED.oa_id THEN zalo_oa.status ELSE 'PENDING' END,
           connected_at = CASE WHEN zalo_oa.oa_id = EXCLUDED.oa_id
                               THEN zalo_oa.connected_at END,
           oa_id = EXCLUDED.oa_id, app_id = EXCLUDED.app_id,
           secret_key = EXCLUDED.secret_key, claimed_at = now()
         RETURNING oa_id AS "oaId", app_id AS "appId", status,
                   claimed_at AS "claimedAt", connected_at AS "connectedAt"`,
          [
            ctx.workspaceId,
            oaId,
            appId,
            ctx.secrets.seal(secretKey, oaSecretContext(ctx.workspaceId, oaId)),
          ],
        );
        if (claimed.length > 0) {
          await recordAudit(tx, ctx.identity, {
            action: AuditAction.ZALO_OA_CONNECTED,
            targetType: 'ZaloOA',
            targetIds: [oaId],
            detail: { status: claimed[0].status },
          });
        }
        return claimed;
      });
      oaDirectory(ctx.db).forget();
      if (rows.length === 0) {
        throw publicError(
          PublicErrorCode.CONFLICT,
          `OA ${oaId} is connected to another workspace`,
          { field: 'oaId' },
        );
      }
      return rows[0];
    },
  },
};

export const oaAccess: AccessRules = {
  // The OA is the workspace's channel to its customers: the roles that see customers.
  'Query.zaloOA': { can: 'customers.read' },
  'Mutation.connectZaloOA': { can: 'settings.manage' },
};
