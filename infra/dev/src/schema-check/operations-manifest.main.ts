// npm run operations:manifest — writes each client's persisted-query-manifest.json
// beside its operations (schema/operations/<client>/), and removes the manifest of a
// client left with no operation. With --check it writes nothing and exits 1 naming
// each stale manifest.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@customer-graph/runtime';
import {
  MANIFEST_FILE,
  OPERATIONS_DIR,
  manifestTexts,
  operationsDir,
  readOperationFiles,
  registeredOperations,
  staleManifests,
} from './operations';

const root = repoRoot();
if (process.argv.includes('--check')) {
  const stale = staleManifests(root);
  if (stale.length > 0) {
    process.stderr.write(
      `stale (run \`npm run operations:manifest\` and commit): ${stale.join(', ')}\n`,
    );
    process.exit(1);
  }
  process.stdout.write('every operations manifest is up to date\n');
} else {
  const operations = registeredOperations(readOperationFiles(root));
  const texts = manifestTexts(operations);
  for (const [file, text] of texts) {
    writeFileSync(path.join(root, file), text);
    const { operations: registered } = JSON.parse(text) as { operations: unknown[] };
    process.stdout.write(`wrote ${file} (${registered.length} operations)\n`);
  }
  for (const client of readdirSync(operationsDir(root))) {
    const file = path.posix.join(OPERATIONS_DIR, client, MANIFEST_FILE);
    if (!texts.has(file) && existsSync(path.join(root, file))) {
      rmSync(path.join(root, file));
      process.stdout.write(`removed ${file} (no operation left)\n`);
    }
  }
}
