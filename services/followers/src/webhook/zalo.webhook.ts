// POST /webhooks/zalo: Zalo OA events, verified against the secret of a claim on the
// OA before anything is stored.
//
// Refusals are a 4xx with {"error": reason}. A sender learns nothing about which OAs
// are connected: an OA nobody claims and a wrong signature both get 401 NOT_SIGNED.
// Checks, in order: the body parses (400), the signature matches a claim's secret
// (401 NOT_SIGNED), the timestamp is fresh (401 STALE, told only to a sender that
// could sign), then the event is applied once (a delivery seen before gets 200 with
// `duplicate: true`).
//
// Claims: while no workspace has the OA CONNECTED, each PENDING claim's secret is
// tried, and the first claim an event is signed for wins: it becomes CONNECTED, the
// other claims on that OA are deleted, and the event is applied to it. This keeps a
// claim that never signs anything from blocking the OA's owner; it does not prove
// ownership (a claimant knows its own secret and can sign an event with it), which
// would take Zalo's OAuth.
import type { DataSource } from 'typeorm';
import { GraphQLError } from 'graphql';
import { sendJson } from '@customer-graph/runtime';
import type { Logger, RouteHandler, SecretBox } from '@customer-graph/runtime';
import type { ZaloOARow } from '../oa/oa.entity';
import { oaDirectory } from '../oa/oa.directory';
import { openOASecret } from '../oa/oa.secret';
import { applyZaloEvent } from '../followers/follower.ingest';
import {
  WebhookError,
  bodyHash,
  isFresh,
  parseZaloEvent,
  rawTimestamp,
  signatureMatches,
  zaloSignature,
} from './zalo-event';
import type { ZaloEvent } from './zalo-event';

export const SIGNATURE_HEADER = 'x-zevent-signature';
/** The one answer to an unknown OA and to a wrong signature alike. */
export const NOT_SIGNED = 'signature does not match';
export const STALE = 'event timestamp is outside the accepted window';

/** Postgres: a unique index refused the row; two transactions waited on each other. */
const RACE_CODES = new Set(['23505', '40P01']);

/** Opened secrets remembered per webhook handler; beyond this many, forgotten at once. */
const OPENED_SECRETS = 10_000;

export function zaloWebhook(db: DataSource, logger: Logger, secrets: SecretBox): RouteHandler {
  const directory = oaDirectory(db);
  // A claim's secret opened once per sealed form (a cipher set up per webhook cost
  // about as much as checking its signature); a re-keyed claim is a new sealed form.
  const opened = new Map<string, string>();
  const secretOf = (oa: ZaloOARow) => {
    const key = `${oa.workspaceId}\n${oa.oaId}\n${oa.secretKey}`;
    let secret = opened.get(key);
    if (secret === undefined) {
      secret = openOASecret(secrets, oa);
      if (opened.size >= OPENED_SECRETS) opened.clear();
      opened.set(key, secret);
    }
    return secret;
  };

  /** The claim whose secret signed the event; the CONNECTED one if any. */
  async function signer(
    event: ZaloEvent & { oaId: string },
    signature: string,
    body: Buffer,
    fresh: boolean,
  ): Promise<ZaloOARow> {
    const timestamp = rawTimestamp(body);
    const signedBy = (oa: ZaloOARow) =>
      event.appId === oa.appId &&
      signatureMatches(signature, zaloSignature(event.appId, body, timestamp, secretOf(oa)));
    const find = (claims: ZaloOARow[]) => {
      const connected = claims.find((c) => c.status === 'CONNECTED');
      // Once an OA is connected, other claims on it (made in a race) can never win.
      return connected ? (signedBy(connected) ? connected : undefined) : claims.find(signedBy);
    };
    let found = find(await directory.claims(event.oaId, fresh));
    // A miss re-reads the claims (re-keyed or claimed through another process), but
    // at most every few hundred ms per OA, so forged traffic stays off the database.
    if (!found && !fresh && directory.mayRefresh(event.oaId)) {
      found = find(await directory.claims(event.oaId, true));
    }
    if (!found) throw new WebhookError(401, NOT_SIGNED);
    return found;
  }

  /** Connects a pending claim; false when it changed or lost meanwhile. */
  async function connect(claim: ZaloOARow): Promise<boolean> {
    try {
      const [row]: { won: number; lost: number }[] = await db.query(
        `WITH won AS (
           UPDATE zalo_oa SET status = 'CONNECTED', connected_at = COALESCE(connected_at, now())
            WHERE workspace_id = $1 AND oa_id = $2 AND secret_key = $3
            RETURNING 1),
         lost AS (
           DELETE FROM zalo_oa
            WHERE oa_id = $2 AND status = 'PENDING' AND workspace_id <> $1
              AND EXISTS (SELECT 1 FROM won)
            RETURNING 1)
         SELECT (SELECT count(*) FROM won)::int AS won, (SELECT count(*) FROM lost)::int AS lost`,
        [claim.workspaceId, claim.oaId, claim.secretKey],
      );
      directory.forget();
      if (row.won === 0) return false;
      logger.info('zalo OA connected', {
        workspaceId: claim.workspaceId,
        oaId: claim.oaId,
        claimsLost: row.lost,
      });
      return true;
    } catch (error) {
      // Another workspace's claim was connected by an event at the same moment.
      if (RACE_CODES.has((error as { code?: string }).code ?? '')) return false;
      throw error;
    }
  }

  return async (req, res, body) => {
    try {
      const signature = req.headers[SIGNATURE_HEADER];
      if (typeof signature !== 'string') throw new WebhookError(401, `missing ${SIGNATURE_HEADER}`);
      const parsed = parseZaloEvent(body);
      if (!parsed.oaId) throw new WebhookError(400, 'missing the OA id');
      let event = parsed as ZaloEvent & { oaId: string };
      let oa: ZaloOARow | undefined;
      // A message status may name its OA in any of several places: each is tried.
      for (const oaId of event.kind === 'message_status' ? event.oaIds : [event.oaId]) {
        try {
          oa = await signer({ ...event, oaId }, signature, body, false);
          event = { ...event, oaId };
          break;
        } catch (error) {
          if (!(error instanceof WebhookError && error.message === NOT_SIGNED)) throw error;
        }
      }
      if (!oa) throw new WebhookError(401, NOT_SIGNED);
      if (!isFresh(event.at)) throw new WebhookError(401, STALE);
      // A pending claim is connected by this event; then the claims are read again.
      for (let attempt = 0; oa.status === 'PENDING'; attempt++) {
        if (await connect(oa)) oa = { ...oa, status: 'CONNECTED' };
        else if (attempt < 2) oa = await signer(event, signature, body, true);
        else throw new Error(`OA ${oa.oaId}: its claims kept changing while connecting it`);
      }
      const result = await applyZaloEvent(db, oa.workspaceId, event, {
        oaId: event.oaId,
        bodySha256: bodyHash(body),
      });
      logger.debug('zalo webhook', { workspaceId: oa.workspaceId, event: event.kind, ...result });
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
