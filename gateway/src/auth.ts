// Client authentication: a bearer JWT carrying the user id (`sub`), the workspace
// (`workspace_id`) and the role (`role`). HS256 with a shared secret in development,
// a JWKS URL (RS256/ES256) in production.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { HttpError, WORKSPACE_ID_PATTERN, isRole } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import type { JwtConfig } from './config';

export type Authenticate = (authorization: string | undefined) => Promise<Identity>;

function unauthenticated(message: string): HttpError {
  return new HttpError(401, message, 'UNAUTHENTICATED');
}

export function identityFromClaims(claims: JWTPayload): Identity {
  const { sub, workspace_id: workspaceId, role } = claims as JWTPayload & Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '') throw unauthenticated('token has no subject (sub)');
  if (typeof workspaceId !== 'string' || !WORKSPACE_ID_PATTERN.test(workspaceId)) {
    throw unauthenticated('token has no valid workspace_id');
  }
  if (!isRole(role))
    throw unauthenticated('token role must be admin, editor, staff, analyst or platform');
  return { userId: sub, workspaceId, role };
}

export function createAuthenticator(config: JwtConfig): Authenticate {
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: config.kind === 'secret' ? ['HS256'] : ['RS256', 'ES256', 'EdDSA'],
  };
  const verify =
    config.kind === 'secret'
      ? (token: string) => jwtVerify(token, new TextEncoder().encode(config.secret), options)
      : (() => {
          const keys = createRemoteJWKSet(new URL(config.jwksUrl));
          return (token: string) => jwtVerify(token, keys, options);
        })();
  return async (authorization) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw unauthenticated('missing bearer token (Authorization: Bearer <jwt>)');
    let payload: JWTPayload;
    try {
      ({ payload } = await verify(match[1]));
    } catch (error) {
      throw unauthenticated(`invalid token: ${(error as Error).message}`);
    }
    return identityFromClaims(payload);
  };
}
