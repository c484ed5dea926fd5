import { randomBytes } from 'node:crypto';
import { SecretBoxError, createSecretBox, isSealed, parseDataKey } from './secret-box';

const box = createSecretBox(randomBytes(32));

describe('the secret box', () => {
  it('seals to a different text each time, and opens it back', () => {
    const a = box.seal('oa-secret-key-1', 'zalo-oa:ws:oa1');
    const b = box.seal('oa-secret-key-1', 'zalo-oa:ws:oa1');
    expect(isSealed(a)).toBe(true);
    expect(a).not.toContain('oa-secret-key-1');
    expect(a).not.toBe(b);
    expect(box.open(a, 'zalo-oa:ws:oa1')).toBe('oa-secret-key-1');
  });

  it('refuses a value moved to another context, altered, or sealed with another key', () => {
    const sealed = box.seal('s3cret-value', 'zalo-oa:ws:oa1');
    expect(() => box.open(sealed, 'zalo-oa:other:oa1')).toThrow(SecretBoxError);
    // One bit of the ciphertext flipped.
    const [iv, tag, body] = sealed.slice(3).split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    const altered = `v1.${iv}.${tag}.${flipped.toString('base64url')}`;
    expect(() => box.open(altered, 'zalo-oa:ws:oa1')).toThrow(SecretBoxError);
    const other = createSecretBox(randomBytes(32));
    expect(() => other.open(sealed, 'zalo-oa:ws:oa1')).toThrow(SecretBoxError);
    expect(() => box.open('plain text', 'zalo-oa:ws:oa1')).toThrow(SecretBoxError);
  });

  it('takes a 32-byte key in base64 or base64url, and nothing else', () => {
    const key = randomBytes(32);
    expect(parseDataKey(key.toString('base64'))).toEqual(key);
    expect(parseDataKey(key.toString('base64url'))).toEqual(key);
    expect(() => parseDataKey('too-short')).toThrow(SecretBoxError);
  });
});
