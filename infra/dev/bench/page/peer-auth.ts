// The peers' door: a caller's bearer JWT verified by our gateway's own authenticator
// (gateway/src/auth.ts) with the gateway's own config rules (loadGatewayConfig), so a
// peer accepts and refuses exactly the tokens our gateway does. The identity carries
// the request id, as the gateway's context does.
import { randomBytes } from 'node:crypto';
import { createAuthenticator, loadGatewayConfig } from '@customer-graph/gateway';
import { requestIdFrom } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';

export type Authenticate = (
  authorization: string | null | undefined,
  requestId?: string | null,
) => Promise<Identity>;

/**
 * Verifies `Authorization: Bearer <jwt>` as the gateway does. The signing secret only
 * completes the gateway's config (the baseline signs nothing).
 */
export function authenticator(
  jwtSecret: string,
  signingSecret = randomBytes(32).toString('hex'),
): Authenticate {
  const { jwt } = loadGatewayConfig({
    JWT_SECRET: jwtSecret,
    CONTEXT_SIGNING_SECRET: signingSecret,
  });
  const verify = createAuthenticator(jwt);
  return async (authorization, requestId) => ({
    ...(await verify(authorization ?? undefined)),
    requestId: requestIdFrom(requestId ?? undefined),
  });
}
