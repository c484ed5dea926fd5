// npm run schema:check [-- --base <ref>] — weighs the working tree's contracts
// against a base (main by default): the proposed SDL must compose, no breaking
// change may touch a registered operation (schema/operations/**), no incompatible
// event contract may reach a consuming service, and the operations manifests must be
// current. Prints every failure, warning and note; exits 1 on any failure.
import { repoRoot } from '@customer-graph/runtime';
import { declaredConsumers } from './event-contracts';
import { staleManifests } from './operations';
import {
  baseFromGit,
  checkChange,
  formatFindings,
  proposedFromWorkingTree,
  resolveBase,
} from './schema-check';

async function main(): Promise<number> {
  const at = process.argv.indexOf('--base');
  const ref = at >= 0 ? process.argv[at + 1] : 'main';
  if (!ref) throw new Error('--base needs a git ref');
  const root = repoRoot();
  const commit = resolveBase(root, ref);
  process.stdout.write(`schema:check: the working tree against ${ref} (${commit.slice(0, 12)})\n`);
  const findings = await checkChange(
    baseFromGit(root, commit),
    proposedFromWorkingTree(root, await declaredConsumers()),
  );
  const stale = staleManifests(root);
  if (stale.length > 0) {
    findings.failures.push(
      `stale operations manifest (run \`npm run operations:manifest\` and commit): ${stale.join(', ')}`,
    );
  }
  process.stdout.write(`${formatFindings(findings)}\n`);
  if (findings.failures.length > 0) {
    process.stdout.write(`schema:check failed: ${findings.failures.length} failure(s)\n`);
    return 1;
  }
  process.stdout.write(`schema:check passed (${findings.warnings.length} warning(s))\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`schema:check: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
