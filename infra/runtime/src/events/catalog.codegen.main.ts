// npm run events:codegen — writes infra/runtime/src/events/catalog.generated.ts from
// schema/events/*.json, and a snapshot schema/events/published/<type>.v<n>.json for
// each event version that has none yet (commit both). Exits 1, naming the file and
// the keyword, on a schema outside the supported subset.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { catalogPath, generateCatalog, missingSnapshots } from './catalog.codegen';
import { eventSchemaDir, readEventContracts } from './contract-schema';

async function main() {
  const dir = eventSchemaDir();
  const contracts = readEventContracts(dir);
  writeFileSync(catalogPath(), await generateCatalog(contracts));
  process.stdout.write(`wrote ${path.relative(process.cwd(), catalogPath())}\n`);
  for (const [file, content] of missingSnapshots(dir, contracts)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    process.stdout.write(
      `wrote ${path.relative(process.cwd(), file)} (first snapshot of this version)\n`,
    );
  }
}

main().catch((error: Error) => {
  process.stderr.write(`events:codegen failed: ${error.message}\n`);
  process.exit(1);
});
