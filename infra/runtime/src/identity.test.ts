import { createHmac } from 'node:crypto';
import { CONTEXT_HEADER, SIGNATURE_HEADER, signIdentity, verifyIdentity } from './identity';
import type { Identity } from './identity';

const secret = 'test-secret-of-at-least-32-bytes!';
const service = 'contacts';
const who: Identity = { workspaceId: 'ws-a', userId: 'u1', role: 'editor' };
const asHeaders = (h: Record<string, string>) => ({ get: (n: string) => h[n] });

describe('signed identity headers', () => {
  it('round-trips a signed identity', () => {
    const result = verifyIdentity(asHeaders(signIdentity(who, secret, service)), secret, service);
    expect(result).toEqual({ ok: true, identity: who });
  });

  it('refuses missing headers', () => {
    expect(verifyIdentity(asHeaders({}), secret, service)).toEqual({
      ok: false,
      reason: 'missing signed context',
    });
  });

  it('refuses a context signed with another secret', () => {
    const result = verifyIdentity(asHeaders(signIdentity(who, 'other', service)), secret, service);
    expect(result.ok).toBe(false);
  });

  it('refuses a context whose workspace was swapped after signing', () => {
    const signed = signIdentity(who, secret, service);
    const forged = Buffer.from(
      JSON.stringify({ w: 'ws-b', u: 'u1', r: 'admin', s: service, t: Date.now() }),
    ).toString('base64url');
    const result = verifyIdentity(
      asHeaders({ [CONTEXT_HEADER]: forged, [SIGNATURE_HEADER]: signed[SIGNATURE_HEADER] }),
      secret,
      service,
    );
    expect(result).toEqual({ ok: false, reason: 'bad context signature' });
  });

  it('refuses a context older than the replay window', () => {
    const old = signIdentity(who, secret, service, Date.now() - 61 * 1000);
    expect(verifyIdentity(asHeaders(old), secret, service)).toEqual({
      ok: false,
      reason: 'context expired',
    });
  });

  it('refuses a context signed for another subgraph', () => {
    const forFollowers = signIdentity(who, secret, 'followers');
    expect(verifyIdentity(asHeaders(forFollowers), secret, service)).toEqual({
      ok: false,
      reason: 'context is for another subgraph',
    });
  });

  it('lives 60 s: a context 59 s old passes, 61 s old is refused', () => {
    const now = Date.now();
    const young = signIdentity(who, secret, service, now - 59_000);
    expect(verifyIdentity(asHeaders(young), secret, service, now).ok).toBe(true);
    const old = signIdentity(who, secret, service, now - 61_000);
    expect(verifyIdentity(asHeaders(old), secret, service, now).ok).toBe(false);
  });

  it('refuses a signed context that is JSON but not an object', () => {
    const payload = Buffer.from('null').toString('base64url');
    const signature = createHmac('sha256', secret).update(payload).digest('hex');
    const result = verifyIdentity(
      asHeaders({ [CONTEXT_HEADER]: payload, [SIGNATURE_HEADER]: signature }),
      secret,
      service,
    );
    expect(result).toEqual({ ok: false, reason: 'context is not an object' });
  });

  it('refuses a non-hex signature without throwing', () => {
    const signed = signIdentity(who, secret, service);
    const result = verifyIdentity(
      asHeaders({ [CONTEXT_HEADER]: signed[CONTEXT_HEADER], [SIGNATURE_HEADER]: 'zz' }),
      secret,
      service,
    );
    expect(result.ok).toBe(false);
  });

  it('carries the request id signed: it round-trips, and a changed one breaks the signature', () => {
    const withId: Identity = { ...who, requestId: 'req-12345678' };
    const signed = signIdentity(withId, secret, service);
    expect(verifyIdentity(asHeaders(signed), secret, service)).toEqual({
      ok: true,
      identity: withId,
    });
    const claims = JSON.parse(Buffer.from(signed[CONTEXT_HEADER], 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, q: 'forged-id-1' })).toString(
      'base64url',
    );
    const result = verifyIdentity(
      asHeaders({ [CONTEXT_HEADER]: forged, [SIGNATURE_HEADER]: signed[SIGNATURE_HEADER] }),
      secret,
      service,
    );
    expect(result).toEqual({ ok: false, reason: 'bad context signature' });
  });

  it('refuses a signed request id that is not one', () => {
    const signed = signIdentity({ ...who, requestId: 'has space in it' }, secret, service);
    expect(verifyIdentity(asHeaders(signed), secret, service)).toEqual({
      ok: false,
      reason: 'bad request id',
    });
  });
});
