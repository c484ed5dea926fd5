// npm run schema:compose — writes schema/supergraph.graphql, or prints every
// composition error and exits 1.
import { writeFileSync } from 'node:fs';
import { composeSupergraph, supergraphPath } from './compose';

const result = composeSupergraph();
if (!result.ok) {
  process.stderr.write(`composition failed:\n${result.errors.map((e) => `  - ${e}`).join('\n')}\n`);
  process.exit(1);
}
writeFileSync(supergraphPath(), result.supergraphSdl);
for (const hint of result.hints) process.stdout.write(`hint: ${hint}\n`);
process.stdout.write(`wrote ${supergraphPath()}\n`);
