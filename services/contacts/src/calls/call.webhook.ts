// POST /webhooks/calls: a phone system's call events (call-event.wire.ts has the wire
// format), verified against the secret of the connection the body names before
// anything is stored.
//
// Refusals are a 4xx with {"error": reason} (and "field" for a 400 about one). A
// sender learns nothing about which connections exist: an unknown connection id, a
// missing X-Signature and a wrong signature all get 401 NOT_SIGNED. Checks, in order:
// the body is a JSON object with a connection_id (400), the signature matches that
// connection's secret (401 NOT_SIGNED), the rest of the body is valid (400, told only
// to a sender that could sign), the timestamp is fresh (401 STALE), then the event is
// applied in the connection's workspace: a delivery seen before (the same body) gets
// 200 with `duplicate: true` and changes nothing; a retry with a new timestamp is a new
// event row, and since the call is recomputed from all its events, it changes nothing
// either. Nothing is stored for a refused request.
import type { DataSource } from 'typeorm';
import { sendJson } from '@customer-graph/runtime';
import type { Logger, RouteHandler, SecretBox } from '@customer-graph/runtime';
import type { CallProviderRow } from './call.entity';
import { providerDirectory } from './call.directory';
import { openProviderSecret } from './call.provider';
import { applyCallEvent } from './call.ingest';
import {
  EventRefused,
  SIGNATURE_HEADER,
  bodyHash,
  callEventSignature,
  connectionOf,
  isFresh,
  parseCallEvent,
  signatureMatches,
} from './call-event.wire';

/** The one answer to an unknown connection and to a missing or wrong signature alike. */
export const NOT_SIGNED = 'signature does not match';
export const STALE = 'event timestamp is outside the accepted window';

export function callWebhook(db: DataSource, logger: Logger, secrets: SecretBox): RouteHandler {
  const directory = providerDirectory(db);

  /** The connection whose secret signed the body. */
  async function signer(connectionId: string, signature: string, raw: Buffer) {
    const signedBy = (row: CallProviderRow | null): row is CallProviderRow =>
      row !== null &&
      signatureMatches(signature, callEventSignature(raw, openProviderSecret(secrets, row)));
    let found = await directory.byId(connectionId);
    // A miss re-reads the connection (re-keyed, or made through another process), but
    // at most every few hundred ms per id, so forged traffic stays off the database.
    if (!signedBy(found) && directory.mayRefresh(connectionId)) {
      found = await directory.byId(connectionId, true);
    }
    if (!signedBy(found)) throw new EventRefused(401, NOT_SIGNED);
    return found;
  }

  return async (req, res, raw) => {
    try {
      const { body, connectionId } = connectionOf(raw);
      const signature = req.headers[SIGNATURE_HEADER];
      if (connectionId === null || typeof signature !== 'string') {
        throw new EventRefused(401, NOT_SIGNED);
      }
      const connection = await signer(connectionId, signature, raw);
      const event = parseCallEvent(body);
      if (!isFresh(event.sentAt)) throw new EventRefused(401, STALE);
      const result = await applyCallEvent(db, connection.workspaceId, event, bodyHash(raw));
      logger.debug('call event', {
        workspaceId: connection.workspaceId,
        event: event.kind,
        ...result,
      });
      sendJson(res, 200, { ok: true, ...result });
    } catch (error) {
      if (!(error instanceof EventRefused)) throw error;
      sendJson(res, error.status, {
        error: error.message,
        ...(error.field !== undefined && { field: error.field }),
      });
    }
  };
}
