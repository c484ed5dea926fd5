// The verified caller, as the gateway hands it to subgraphs.
//
// Wire format (two HTTP headers on every gateway → subgraph request):
//   x-cg-context:   base64url(JSON { "w": workspaceId, "u": userId, "r": role, "t": issuedAtMs })
//   x-cg-signature: hex(HMAC-SHA256(CONTEXT_SIGNING_SECRET, <x-cg-context value>))
// The secret is shared only by the gateway and the subgraphs, so a client (or anyone
// reaching a subgraph directly) cannot mint or alter a context; `t` bounds replay.
import { createHmac, timingSafeEqual } from 'node:crypto';

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
}

/** Workspace ids are opaque slugs or uuids; anything else is refused at the edge. */
export const WORKSPACE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** How old a signed context may be when it reaches a subgraph (clock skew included). */
export const MAX_CONTEXT_AGE_MS = 5 * 60 * 1000;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

function hmac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

export function signIdentity(
  identity: Identity,
  secret: string,
  now = Date.now(),
): Record<string, string> {
  const payload = Buffer.from(
    JSON.stringify({ w: identity.workspaceId, u: identity.userId, r: identity.role, t: now }),
  ).toString('base64url');
  return { [CONTEXT_HEADER]: payload, [SIGNATURE_HEADER]: hmac(secret, payload) };
}

export type VerifyResult = { ok: true; identity: Identity } | { ok: false; reason: string };

export function verifyIdentity(
  headers: { get(name: string): string | undefined },
  secret: string,
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
  let claims: { w?: unknown; u?: unknown; r?: unknown; t?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'context is not JSON' };
  }
  const { w, u, r, t } = claims;
  if (typeof w !== 'string' || !WORKSPACE_ID_PATTERN.test(w)) {
    return { ok: false, reason: 'bad workspace id' };
  }
  if (typeof u !== 'string' || u === '' || !isRole(r)) {
    return { ok: false, reason: 'bad user or role' };
  }
  if (typeof t !== 'number' || Math.abs(now - t) > MAX_CONTEXT_AGE_MS) {
    return { ok: false, reason: 'context expired' };
  }
  return { ok: true, identity: { workspaceId: w, userId: u, role: r } };
}
