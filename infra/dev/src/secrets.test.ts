import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDevSecrets } from './secrets';

describe('dev secrets', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'cg-secrets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are made once and read back the same', () => {
    const first = loadDevSecrets(dir)!;
    expect(Buffer.from(first.dataEncryptionKey, 'base64url')).toHaveLength(32);
    expect(loadDevSecrets(dir)).toEqual(first);
  });

  it('gain a secret an older file lacks, keeping the ones it has', () => {
    const file = path.join(dir, 'dev-secrets.json');
    writeFileSync(
      file,
      JSON.stringify({ jwtSecret: 'j'.repeat(43), contextSigningSecret: 'c'.repeat(43) }),
    );
    const secrets = loadDevSecrets(dir)!;
    expect(secrets).toMatchObject({
      jwtSecret: 'j'.repeat(43),
      contextSigningSecret: 'c'.repeat(43),
    });
    expect(JSON.parse(readFileSync(file, 'utf8')).dataEncryptionKey).toBe(
      secrets.dataEncryptionKey,
    );
  });

  it('are not made when asked only to read', () => {
    expect(loadDevSecrets(dir, false)).toBeUndefined();
  });
});
