import { PublicErrorCode, badInput, publicError, requireRole } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { ZaloOAEntity } from './oa.entity';
import { oaSecretContext } from './oa.secret';

const ID = /^[0-9A-Za-z_-]{1,64}$/;

export const oaResolvers: Resolvers = {
  Query: {
    zaloOA: (_parent, _args, ctx) =>
      ctx.db.getRepository(ZaloOAEntity).findOneBy({ workspaceId: ctx.workspaceId }),
  },
  Mutation: {
    connectZaloOA: async (_parent, { oaId, appId, secretKey }, ctx) => {
      requireRole(ctx.identity, ['admin'], 'connectZaloOA');
      if (!ID.test(oaId)) throw badInput('oaId', 'oaId must be 1-64 letters, digits, - or _');
      if (!ID.test(appId)) throw badInput('appId', 'appId must be 1-64 letters, digits, - or _');
      if (secretKey.length < 8 || secretKey.length > 256) {
        throw badInput('secretKey', 'secretKey must be 8 to 256 characters');
      }
      try {
        const rows = await ctx.db.query(
          `INSERT INTO zalo_oa (workspace_id, oa_id, app_id, secret_key)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (workspace_id) DO UPDATE
             SET oa_id = EXCLUDED.oa_id, app_id = EXCLUDED.app_id,
                 secret_key = EXCLUDED.secret_key, connected_at = now()
           RETURNING oa_id AS "oaId", app_id AS "appId", connected_at AS "connectedAt"`,
          [
            ctx.workspaceId,
            oaId,
            appId,
            ctx.secrets.seal(secretKey, oaSecretContext(ctx.workspaceId, oaId)),
          ],
        );
        return rows[0];
      } catch (error) {
        // zalo_oa_oa_uq: the OA is connected to another workspace.
        if ((error as { code?: string }).code === '23505') {
          throw publicError(
            PublicErrorCode.CONFLICT,
            `OA ${oaId} is connected to another workspace`,
            {
              field: 'oaId',
            },
          );
        }
        throw error;
      }
    },
  },
};
