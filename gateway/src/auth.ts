// Client authentication: a bearer JWT carrying the user id (`sub`), the workspace
// (`workspace_id`) and the role (`role`). HS256 with a shared secret in development,
// a JWKS URL (RS256/ES256/EdDSA, with a required issuer and audience) in production.
// Every token must carry `exp` and live at most the configured maximum (24 h).
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { HttpError, WORKSPACE_ID_PATTERN, isRole } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import type { JwtConfig, TokenRules } from './config';

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

/**
 * Rules beyond the signature (jose checks exp and nbf with the skew): a token must say
 * when it ends, must not live longer than maxLifetimeS, and must not claim to be
 * issued in the future — a token minted with a clock (or a key) gone wrong is refused
 * rather than trusted for years.
 */
export function checkTokenTimes(claims: JWTPayload, rules: TokenRules, nowS: number): void {
  const { exp, iat } = claims;
  if (typeof exp !== 'number') throw unauthenticated('invalid token: it has no "exp" claim');
  if (iat !== undefined) {
    if (typeof iat !== 'number') throw unauthenticated('invalid token: "iat" is not a number');
    if (iat > nowS + rules.clockSkewS) {
      throw unauthenticated('invalid token: "iat" is in the future');
    }
  }
  const lifetime = exp - Math.min(iat ?? nowS, nowS);
  if (lifetime > rules.maxLifetimeS + rules.clockSkewS) {
    throw unauthenticated(
      `invalid token: it lives ${lifetime} s; tokens may live at most ${rules.maxLifetimeS} s`,
    );
  }
}

export function createAuthenticator(config: JwtConfig): Authenticate {
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: config.kind === 'secret' ? ['HS256'] : ['RS256', 'ES256', 'EdDSA'],
    requiredClaims: ['exp'],
    clockTolerance: config.clockSkewS,
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
    checkTokenTimes(payload, config, Math.floor(Date.now() / 1000));
    return identityFromClaims(payload);
  };
}
