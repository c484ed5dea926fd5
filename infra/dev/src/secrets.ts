// Development secrets: made at random on the first `npm start` and kept in
// .data/dev-secrets.json (git-ignored), so no secret is ever in the repository and a
// token printed once stays valid across restarts. Environment variables override.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface DevSecrets {
  jwtSecret: string;
  contextSigningSecret: string;
}

export function loadDevSecrets(dataDir: string, create = true): DevSecrets | undefined {
  const file = path.join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  if (!create) return undefined;
  const secrets: DevSecrets = {
    jwtSecret: randomBytes(32).toString('base64url'),
    contextSigningSecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}
