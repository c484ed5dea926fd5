// Development secrets: made at random on the first `npm start` and kept in
// .data/dev-secrets.json (git-ignored), so no secret is ever in the repository and a
// token printed once stays valid across restarts. Environment variables override.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface DevSecrets {
  jwtSecret: string;
  contextSigningSecret: string;
  /** Seals third parties' secrets in the databases (32 bytes, base64url). */
  dataEncryptionKey: string;
  /** What the (sandbox) email and SMS providers sign delivery reports with. */
  emailWebhookSecret: string;
  smsWebhookSecret: string;
}

const fresh = (): DevSecrets => ({
  jwtSecret: randomBytes(32).toString('base64url'),
  contextSigningSecret: randomBytes(32).toString('base64url'),
  dataEncryptionKey: randomBytes(32).toString('base64url'),
  emailWebhookSecret: randomBytes(32).toString('base64url'),
  smsWebhookSecret: randomBytes(32).toString('base64url'),
});

/**
 * The dev secrets, made on first use. A file from an older version that lacks a
 * secret gets it added (the ones it has are kept, so tokens and sealed data stay valid).
 */
export function loadDevSecrets(dataDir: string, create = true): DevSecrets | undefined {
  const file = path.join(dataDir, 'dev-secrets.json');
  const kept = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>)
    : undefined;
  if (!kept && !create) return undefined;
  const secrets: DevSecrets = { ...fresh(), ...kept };
  if (!kept || Object.keys(secrets).some((k) => !(k in kept))) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  }
  return secrets;
}
