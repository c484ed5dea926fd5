// POST /webhooks/email and /webhooks/sms: a channel provider's delivery reports
// (delivery.wire.ts has the wire format), reached through the gateway.
//
// Refusals are a 4xx with {"error": reason} (and "field" for a 400 about one).
// Checks, in order: the signature matches the source's secret (401 NOT_SIGNED; also
// when no secret is configured), the timestamp is fresh (401 STALE), the body is valid
// (400 naming the field: told only to a sender that could sign), then in one
// transaction the body's hash is recorded in webhook_delivery and the reports applied
// (delivery.apply.ts). A body seen before gets 200 with `duplicate: true` and changes
// nothing; a report naming no message of ours is counted in `unknown`, never refused
// (a provider would retry it forever). Nothing is stored for a refused request.
import type { DataSource } from 'typeorm';
import { sendJson } from '@customer-graph/runtime';
import type { Logger, RouteHandler } from '@customer-graph/runtime';
import type { MarketingChannel } from '../messages/message.entity';
import { applyReports } from './delivery.apply';
import type { DeliverySource } from './delivery.wire';
import {
  DeliveryRefusal,
  DeliveryRefused,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  bodyHash,
  deliverySignature,
  isFresh,
  parseDeliveryBody,
  signatureMatches,
  timestampOf,
} from './delivery.wire';

const CHANNEL: Record<DeliverySource, MarketingChannel> = { email: 'EMAIL', sms: 'SMS' };

export function deliveryWebhook(
  db: DataSource,
  logger: Logger,
  source: DeliverySource,
  /** The source's secret (config.ts); unset, every request is refused. */
  secret: string | undefined,
): RouteHandler {
  if (!secret) logger.warn(`no ${source} webhook secret configured: its reports are refused`);
  return async (req, res, raw) => {
    try {
      const signature = req.headers[SIGNATURE_HEADER];
      const timestamp = req.headers[TIMESTAMP_HEADER];
      if (
        !secret ||
        typeof signature !== 'string' ||
        typeof timestamp !== 'string' ||
        !signatureMatches(signature, deliverySignature(secret, timestamp, raw))
      ) {
        throw new DeliveryRefused(401, DeliveryRefusal.NOT_SIGNED);
      }
      const sentAt = timestampOf(timestamp);
      if (!sentAt || !isFresh(sentAt)) throw new DeliveryRefused(401, DeliveryRefusal.STALE);
      const reports = parseDeliveryBody(source, raw);
      const result = await db.transaction(async (tx) => {
        const seen = await tx.query(
          `INSERT INTO webhook_delivery (source, body_sha256) VALUES ($1, $2)
           ON CONFLICT DO NOTHING RETURNING 1`,
          [source, bodyHash(raw)],
        );
        if (seen.length === 0) return { duplicate: true as const };
        return applyReports(tx, [CHANNEL[source]], reports);
      });
      logger.debug(`${source} delivery reports`, { ...result });
      sendJson(res, 200, { ok: true, ...result });
    } catch (error) {
      if (!(error instanceof DeliveryRefused)) throw error;
      sendJson(res, error.status, {
        error: error.message,
        ...(error.field !== undefined && { field: error.field }),
      });
    }
  };
}

/**
 * Forgets deliveries too old to be accepted again (a timestamp is fresh for
 * DELIVERY_FRESHNESS_MS either side, so a body stays replayable for twice that).
 */
export async function pruneDeliveries(db: DataSource, keepMs: number): Promise<number> {
  const [, count] = (await db.query(
    `DELETE FROM webhook_delivery WHERE received_at < now() - $1 * interval '1 millisecond'`,
    [keepMs],
  )) as [unknown, number];
  return count;
}
