// POST /webhooks/zalo: Zalo OA events, verified against the connected OA's secret
// before anything is stored. Each refusal is a 4xx with the reason.
import type { DataSource } from 'typeorm';
import { GraphQLError } from 'graphql';
import { sendJson } from '@customer-graph/runtime';
import type { Logger, RouteHandler, SecretBox } from '@customer-graph/runtime';
import { ZaloOAEntity } from '../oa/oa.entity';
import type { ZaloOARow } from '../oa/oa.entity';
import { openOASecret } from '../oa/oa.secret';
import { applyZaloEvent } from '../followers/follower.ingest';
import {
  WebhookError,
  parseZaloEvent,
  rawTimestamp,
  signatureMatches,
  zaloSignature,
} from './zalo-event';

export const SIGNATURE_HEADER = 'x-zevent-signature';

/** How long a connected OA is trusted from memory before it is read again. */
const OA_CACHE_MS = 2000;

/**
 * The OA's connection, read at most every OA_CACHE_MS: one round trip less per
 * webhook. A cached entry is only a hint: when its signature check fails (the OA was
 * re-connected with a new secret, or moved), the row is read again before refusing.
 */
function connectedOAs(db: DataSource) {
  const oas = db.getRepository(ZaloOAEntity);
  const cache = new Map<string, { oa: ZaloOARow; until: number }>();
  return async (oaId: string, fresh = false): Promise<ZaloOARow | null> => {
    const hit = cache.get(oaId);
    if (!fresh && hit && hit.until > Date.now()) return hit.oa;
    const oa = await oas.findOneBy({ oaId });
    if (oa) cache.set(oaId, { oa, until: Date.now() + OA_CACHE_MS });
    else cache.delete(oaId);
    return oa;
  };
}

export function zaloWebhook(db: DataSource, logger: Logger, secrets: SecretBox): RouteHandler {
  const findOA = connectedOAs(db);
  return async (req, res, body) => {
    try {
      const signature = req.headers[SIGNATURE_HEADER];
      if (typeof signature !== 'string') throw new WebhookError(401, `missing ${SIGNATURE_HEADER}`);
      const event = parseZaloEvent(body);
      if (!event.oaId) throw new WebhookError(400, 'missing the OA id');
      const signedBy = (oa: ZaloOARow) =>
        event.appId === oa.appId &&
        signatureMatches(
          signature,
          zaloSignature(event.appId, body, rawTimestamp(body), openOASecret(secrets, oa)),
        );
      let oa = await findOA(event.oaId);
      if (oa && !signedBy(oa)) oa = await findOA(event.oaId, true);
      if (!oa) throw new WebhookError(404, `no workspace is connected to OA ${event.oaId}`);
      if (!signedBy(oa)) throw new WebhookError(401, 'signature does not match');
      const result = await applyZaloEvent(db, oa.workspaceId, event);
      logger.debug('zalo webhook', { workspaceId: oa.workspaceId, event: event.kind });
      sendJson(res, 200, { ok: true, ...result });
    } catch (error) {
      if (error instanceof WebhookError) {
        sendJson(res, error.status, { error: error.message });
      } else if (error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT') {
        sendJson(res, 400, { error: error.message, field: error.extensions.field });
      } else {
        throw error;
      }
    }
  };
}
