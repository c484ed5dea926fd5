// The verified caller, as the gateway hands it to subgraphs.
//
// Wire format (two HTTP headers on every gateway → subgraph request):
//   x-cg-context:   base64url(JSON { "w": workspaceId, "u": userId, "r": role,
//                                    "s": targetSubgraph, "t": issuedAtMs,
//                                    "q": requestId })
//   x-cg-signature: hex(HMAC-SHA256(CONTEXT_SIGNING_SECRET, <x-cg-context value>))
// The secret is shared only by the gateway and the subgraphs, so a client (or anyone
// reaching a subgraph directly) cannot mint or alter a context. `s` names the one
// subgraph the context is for, so a context captured on its way to one subgraph
// cannot be replayed against another; `t` bounds replay to MAX_CONTEXT_AGE_MS. `q`
// is the request id (request-id.ts), optional: signed, so the audit entries a subgraph
// writes name the gateway's request and no caller of a subgraph can choose it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRequestId } from './request-id';

export const CONTEXT_HEADER = 'x-cg-context';
export const SIGNATURE_HEADER = 'x-cg-signature';

/**
 * Workspace roles, plus `platform`: our own operators (setting a workspace's plan),
 * which workspace resolvers treat as no customer-data role at all.
 */
export const ROLES = ['admin', 'editor', 'staff', 'analyst', 'platform'] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  workspaceId: string;
  userId: string;
  role: Role;
  /**
   * The request this identity acts in (request-id.ts): from the gateway's signed
   * context in a subgraph; absent outside requests (workers, consumers).
   */
  requestId?: string;
}

/** Workspace ids are opaque slugs or uuids; anything else is refused at the edge. */
export const WORKSPACE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * How old a signed context may be when it reaches a subgraph (clock skew included).
 * The gateway signs it just before each subgraph call, so a minute is generous.
 */
export const MAX_CONTEXT_AGE_MS = 60 * 1000;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

function hmac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** The signed headers for a call to `subgraph` on behalf of `identity`. */
export function signIdentity(
  identity: Identity,
  secret: string,
  subgraph: string,
  now = Date.now(),
): Record<string, string> {
  const payload = Buffer.from(
    JSON.stringify({
      w: identity.workspaceId,
      u: identity.userId,
      r: identity.role,
      s: subgraph,
      t: now,
      ...(identity.requestId !== undefined && { q: identity.requestId }),
    }),
  ).toString('base64url');
  return { [CONTEXT_HEADER]: payload, [SIGNATURE_HEADER]: hmac(secret, payload) };
}

export type VerifyResult = { ok: true; identity: Identity } | { ok: false; reason: string };

/** Verifies the signed context of a request that reached `subgraph`. */
export function verifyIdentity(
  headers: { get(name: string): string | undefined },
  secret: string,
  subgraph: string,
  now = Date.now(),
): VerifyResult {
  const payload = headers.get(CONTEXT_HEADER);
  const signature = headers.get(SIGNATURE_HEADER);
  if (!payload || !signature) return { ok: false, reason: 'missing signed context' };
  const expected = Buffer.from(hmac(secret, payload), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad context signature' };
  }
  let claims: { w?: unknown; u?: unknown; r?: unknown; s?: unknown; t?: unknown; q?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'context is not JSON' };
  }
  if (typeof claims !== 'object' || claims === null) {
    return { ok: false, reason: 'context is not an object' };
  }
  const { w, u, r, s, t, q } = claims;
  if (typeof w !== 'string' || !WORKSPACE_ID_PATTERN.test(w)) {
    return { ok: false, reason: 'bad workspace id' };
  }
  if (typeof u !== 'string' || u === '' || !isRole(r)) {
    return { ok: false, reason: 'bad user or role' };
  }
  if (s !== subgraph) return { ok: false, reason: 'context is for another subgraph' };
  if (typeof t !== 'number' || Math.abs(now - t) > MAX_CONTEXT_AGE_MS) {
    return { ok: false, reason: 'context expired' };
  }
  if (q !== undefined && !isRequestId(q)) return { ok: false, reason: 'bad request id' };
  const identity: Identity = { workspaceId: w, userId: u, role: r };
  if (q !== undefined) identity.requestId = q;
  return { ok: true, identity };
}
