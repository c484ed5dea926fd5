import { SignJWT } from 'jose';
import type { Identity } from '@customer-graph/runtime';

/** A development (HS256) token for the given identity. */
export function signDevToken(
  identity: Identity,
  secret: string,
  expiresIn = '12h',
): Promise<string> {
  return new SignJWT({ workspace_id: identity.workspaceId, role: identity.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(identity.userId)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
