// POST /webhooks/shopee: Shopee's pushes (shopee-push.ts has the wire format),
// verified against the partner key of a claim on the shop before anything is stored.
//
// Refusals are a 4xx with {"error": reason}. A sender learns nothing about which shops
// are connected: a shop nobody claims, a missing Authorization and a wrong signature
// all get 401 NOT_SIGNED. Checks, in order: the body parses (400), a push other than
// an order status is acknowledged (200, `ignored`; nothing is read or stored), the
// signature matches a claim's key (401 NOT_SIGNED), the timestamp is fresh (401 STALE,
// told only to a sender that could sign), then the status is applied once (a delivery
// seen before gets 200 with `duplicate: true`; a status we do not map, 200 `ignored`).
//
// Claims, as for a Zalo OA (followers' zalo.webhook.ts): while no workspace has the
// shop CONNECTED, each PENDING claim's key is tried, and the first claim a push is
// signed for wins: it becomes CONNECTED, the other claims on that shop are deleted,
// and the push is applied to it. A claim that never signs anything cannot block the
// shop's owner. It does not prove ownership (a claimant knows its own key and can sign
// with it), which would take Shopee's shop authorization.
import type { DataSource } from 'typeorm';
import { sendJson } from '@customer-graph/runtime';
import type { Logger, RouteHandler, SecretBox } from '@customer-graph/runtime';
import type { ShopConnectionRow } from './shop.entity';
import { shopDirectory } from './shop.directory';
import { openPartnerKey } from './shop.secret';
import { applyShopeeStatus } from './shopee.ingest';
import {
  PushRefused,
  bodyHash,
  isFresh,
  mapShopeeStatus,
  parseShopeePush,
  shopeeSignature,
  signatureMatches,
} from './shopee-push';

/** The one answer to an unknown shop and to a missing or wrong signature alike. */
export const NOT_SIGNED = 'signature does not match';
export const STALE = 'push timestamp is outside the accepted window';

/** Postgres: a unique index refused the row; two transactions waited on each other. */
const RACE_CODES = new Set(['23505', '40P01']);

export function shopeeWebhook(
  db: DataSource,
  logger: Logger,
  secrets: SecretBox,
  /** The URL Shopee posts to and signs: the public one, not this service's own. */
  callbackUrl: string,
): RouteHandler {
  const directory = shopDirectory(db);

  /** The claim whose key signed the push; the CONNECTED one if any. */
  async function signer(
    shopId: string,
    signature: string,
    body: Buffer,
    fresh: boolean,
  ): Promise<ShopConnectionRow> {
    const signedBy = (shop: ShopConnectionRow) =>
      signatureMatches(
        signature,
        shopeeSignature(callbackUrl, body, openPartnerKey(secrets, shop)),
      );
    const find = (claims: ShopConnectionRow[]) => {
      const connected = claims.find((c) => c.status === 'CONNECTED');
      // Once a shop is connected, other claims on it (made in a race) can never win.
      return connected ? (signedBy(connected) ? connected : undefined) : claims.find(signedBy);
    };
    let found = find(await directory.claims('SHOPEE', shopId, fresh));
    // A miss re-reads the claims (re-keyed or claimed through another process), but at
    // most every few hundred ms per shop, so forged traffic stays off the database.
    if (!found && !fresh && directory.mayRefresh('SHOPEE', shopId)) {
      found = find(await directory.claims('SHOPEE', shopId, true));
    }
    if (!found) throw new PushRefused(401, NOT_SIGNED);
    return found;
  }

  /** Connects a pending claim; false when it changed or lost meanwhile. */
  async function connect(claim: ShopConnectionRow): Promise<boolean> {
    try {
      const [row]: { won: number; lost: number }[] = await db.query(
        `WITH won AS (
           UPDATE shop_connection
              SET status = 'CONNECTED', connected_at = COALESCE(connected_at, now())
            WHERE workspace_id = $1 AND source = $2 AND shop_id = $3 AND partner_key = $4
            RETURNING 1),
         lost AS (
           DELETE FROM shop_connection
            WHERE source = $2 AND shop_id = $3 AND status = 'PENDING' AND workspace_id <> $1
              AND EXISTS (SELECT 1 FROM won)
            RETURNING 1)
         SELECT (SELECT count(*) FROM won)::int AS won, (SELECT count(*) FROM lost)::int AS lost`,
        [claim.workspaceId, claim.source, claim.shopId, claim.partnerKey],
      );
      directory.forget();
      if (row.won === 0) return false;
      logger.info('shop connected', {
        workspaceId: claim.workspaceId,
        source: claim.source,
        shopId: claim.shopId,
        claimsLost: row.lost,
      });
      return true;
    } catch (error) {
      // Another workspace's claim was connected by a push at the same moment.
      if (RACE_CODES.has((error as { code?: string }).code ?? '')) return false;
      throw error;
    }
  }

  return async (req, res, body) => {
    try {
      const push = parseShopeePush(body);
      if (push.kind === 'other') {
        sendJson(res, 200, { ok: true, applied: false, ignored: `push code ${push.code}` });
        return;
      }
      const signature = req.headers.authorization;
      if (typeof signature !== 'string') throw new PushRefused(401, NOT_SIGNED);
      let shop = await signer(push.shopId, signature, body, false);
      if (!isFresh(push.sentAt)) throw new PushRefused(401, STALE);
      // A pending claim is connected by this push; then the claims are read again.
      for (let attempt = 0; shop.status === 'PENDING'; attempt++) {
        if (await connect(shop)) shop = { ...shop, status: 'CONNECTED' };
        else if (attempt < 2) shop = await signer(push.shopId, signature, body, true);
        else throw new Error(`shop ${shop.shopId}: its claims kept changing while connecting it`);
      }
      const status = mapShopeeStatus(push.status);
      if (!status) {
        // IN_CANCEL (no status of ours), or a status Shopee added that we do not know.
        if (status === undefined) {
          logger.warn('shopee status not mapped', { shopId: push.shopId, status: push.status });
        }
        sendJson(res, 200, { ok: true, applied: false, ignored: `status ${push.status}` });
        return;
      }
      const result = await applyShopeeStatus(
        db,
        shop.workspaceId,
        { code: push.orderSn, status, at: push.updatedAt },
        { shopId: push.shopId, bodySha256: bodyHash(body) },
      );
      logger.debug('shopee push', { workspaceId: shop.workspaceId, status, ...result });
      sendJson(res, 200, { ok: true, ...result });
    } catch (error) {
      if (!(error instanceof PushRefused)) throw error;
      sendJson(res, error.status, { error: error.message });
    }
  };
}
