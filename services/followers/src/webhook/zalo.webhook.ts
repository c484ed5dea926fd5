// POST /webhooks/zalo: Zalo OA events, verified against the connected OA's secret
// before anything is stored. Each refusal is a 4xx with the reason.
import type { DataSource } from 'typeorm';
import { GraphQLError } from 'graphql';
import { sendJson } from '@customer-graph/runtime';
import type { Logger, RouteHandler } from '@customer-graph/runtime';
import { ZaloOAEntity } from '../oa/oa.entity';
import { applyZaloEvent } from '../followers/follower.ingest';
import {
  WebhookError,
  parseZaloEvent,
  rawTimestamp,
  signatureMatches,
  zaloSignature,
} from './zalo-event';

export const SIGNATURE_HEADER = 'x-zevent-signature';

export function zaloWebhook(db: DataSource, logger: Logger): RouteHandler {
  const oas = db.getRepository(ZaloOAEntity);
  return async (req, res, body) => {
    try {
      const signature = req.headers[SIGNATURE_HEADER];
      if (typeof signature !== 'string') throw new WebhookError(401, `missing ${SIGNATURE_HEADER}`);
      const event = parseZaloEvent(body);
      if (!event.oaId) throw new WebhookError(400, 'missing the OA id');
      const oa = await oas.findOneBy({ oaId: event.oaId });
      if (!oa) throw new WebhookError(404, `no workspace is connected to OA ${event.oaId}`);
      const expected = zaloSignature(event.appId, body, rawTimestamp(body), oa.secretKey);
      if (event.appId !== oa.appId || !signatureMatches(signature, expected)) {
        throw new WebhookError(401, 'signature does not match');
      }
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
