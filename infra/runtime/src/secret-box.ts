// Secrets of third parties kept in a service's database (a Zalo OA's webhook secret),
// sealed at rest with AES-256-GCM under DATA_ENCRYPTION_KEY, so a database dump or
// backup does not hand them out.
//
// Sealed form (a text column): "v1." + base64url(iv) + "." + base64url(tag) + "." +
// base64url(ciphertext). 12-byte random IV, 16-byte tag. The associated data names
// what the secret belongs to (e.g. "zalo-oa:<workspace>:<oa>"), so a sealed value
// copied onto another row does not open there.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'v1.';

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export interface SecretBox {
  seal(plaintext: string, context: string): string;
  /** The plaintext; throws SecretBoxError if the value was altered or moved. */
  open(sealed: string, context: string): string;
}

/** Whether a stored value is sealed (values written before sealing existed are not). */
export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** A 32-byte key from its base64 (or base64url) text; anything else is refused. */
export function parseDataKey(text: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new SecretBoxError('DATA_ENCRYPTION_KEY must be 32 bytes, base64-encoded');
  }
  return key;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SecretBoxError('a secret box needs a 32-byte key');
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
      return PREFIX + parts.join('.');
    },
    open(sealed, context) {
      const parts = isSealed(sealed) ? sealed.slice(PREFIX.length).split('.') : [];
      if (parts.length !== 3) throw new SecretBoxError('not a sealed secret');
      const [iv, tag, body] = parts.map((p) => Buffer.from(p, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new SecretBoxError(`the sealed secret does not open: ${(error as Error).message}`);
      }
    },
  };
}
