import { CONTEXT_HEADER, SIGNATURE_HEADER, signIdentity, verifyIdentity } from './identity';
import type { Identity } from './identity';

const secret = 'test-secret';
const who: Identity = { workspaceId: 'ws-a', userId: 'u1', role: 'editor' };
const asHeaders = (h: Record<string, string>) => ({ get: (n: string) => h[n] });

describe('signed identity headers', () => {
  it('round-trips a signed identity', () => {
    const result = verifyIdentity(asHeaders(signIdentity(who, secret)), secret);
    expect(result).toEqual({ ok: true, identity: who });
  });

  it('refuses missing headers', () => {
    expect(verifyIdentity(asHeaders({}), secret)).toEqual({
      ok: false,
      reason: 'missing signed context',
    });
  });

  it('refuses a context signed with another secret', () => {
    const result = verifyIdentity(asHeaders(signIdentity(who, 'other')), secret);
    expect(result.ok).toBe(false);
  });

  it('refuses a context whose workspace was swapped after signing', () => {
    const signed = signIdentity(who, secret);
    const forged = Buffer.from(
      JSON.stringify({ w: 'ws-b', u: 'u1', r: 'admin', t: Date.now() }),
    ).toString('base64url');
    const result = verifyIdentity(
      asHeaders({ [CONTEXT_HEADER]: forged, [SIGNATURE_HEADER]: signed[SIGNATURE_HEADER] }),
      secret,
    );
    expect(result).toEqual({ ok: false, reason: 'bad context signature' });
  });

  it('refuses a context older than the replay window', () => {
    const old = signIdentity(who, secret, Date.now() - 10 * 60 * 1000);
    expect(verifyIdentity(asHeaders(old), secret)).toEqual({
      ok: false,
      reason: 'context expired',
    });
  });

  it('refuses a non-hex signature without throwing', () => {
    const signed = signIdentity(who, secret);
    const result = verifyIdentity(
      asHeaders({ [CONTEXT_HEADER]: signed[CONTEXT_HEADER], [SIGNATURE_HEADER]: 'zz' }),
      secret,
    );
    expect(result.ok).toBe(false);
  });
});
