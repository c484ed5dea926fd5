// The peers' door: a caller's bearer JWT verified by the rules our gateway applies
// (gateway/src/auth.ts: HS256 with the dev secret, `exp` required, a lifetime of at
// most the configured maximum, no `iat` in the future, sub / workspace_id / role
// checked), the rules themselves read by the gateway's own loadGatewayConfig.
//
// A mirror, not an import: @customer-graph/gateway exports loadGatewayConfig but not
// createAuthenticator. Once it does, `authenticator` below is one line.
import { randomBytes } from 'node:crypto';
import { jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { loadGatewayConfig } from '@customer-graph/gateway';
import { WORKSPACE_ID_PATTERN, isRole, requestIdFrom } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';

/** Why a caller is refused: answered as HTTP 401, UNAUTHENTICATED. */
export class Unauthenticated extends Error {}

export type Authenticate = (
  authorization: string | null | undefined,
  requestId?: string | null,
) => Promise<Identity>;

/**
 * Verifies `Authorization: Bearer <jwt>` as the gateway does; the identity carries the
 * request id. The signing secret only completes the gateway's config (the baseline signs nothing).
 */
export function authenticator(
  jwtSecret: string,
  signingSecret = randomBytes(32).toString('hex'),
): Authenticate {
  const { jwt } = loadGatewayConfig({
    JWT_SECRET: jwtSecret,
    CONTEXT_SIGNING_SECRET: signingSecret,
  });
  if (jwt.kind !== 'secret') throw new Error('the peers verify HS256 dev tokens only');
  const key = new TextEncoder().encode(jwt.secret);
  const options = {
    issuer: jwt.issuer,
    audience: jwt.audience,
    algorithms: ['HS256'],
    requiredClaims: ['exp'],
    clockTolerance: jwt.clockSkewS,
  };
  return async (authorization, requestId) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new Unauthenticated('missing bearer token (Authorization: Bearer <jwt>)');
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(match[1], key, options));
    } catch (error) {
      throw new Unauthenticated(`invalid token: ${(error as Error).message}`);
    }
    const nowS = Math.floor(Date.now() / 1000);
    const { exp, iat } = claims;
    if (typeof exp !== 'number') throw new Unauthenticated('invalid token: it has no "exp" claim');
    if (iat !== undefined && (typeof iat !== 'number' || iat > nowS + jwt.clockSkewS)) {
      throw new Unauthenticated('invalid token: bad "iat"');
    }
    if (exp - Math.min(iat ?? nowS, nowS) > jwt.maxLifetimeS + jwt.clockSkewS) {
      throw new Unauthenticated('invalid token: it lives too long');
    }
    const { sub, workspace_id: workspaceId, role } = claims as JWTPayload & Record<string, unknown>;
    if (typeof sub !== 'string' || sub === '') {
      throw new Unauthenticated('token has no subject (sub)');
    }
    if (typeof workspaceId !== 'string' || !WORKSPACE_ID_PATTERN.test(workspaceId)) {
      throw new Unauthenticated('token has no valid workspace_id');
    }
    if (!isRole(role)) throw new Unauthenticated('token has no valid role');
    return { userId: sub, workspaceId, role, requestId: requestIdFrom(requestId ?? undefined) };
  };
}
