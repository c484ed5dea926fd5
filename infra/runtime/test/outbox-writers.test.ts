// Only the runtime writes the outbox (validated, with the relay's NOTIFY): no service
// code inserts, updates or deletes outbox rows, or notifies the relay, by itself.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../src';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !/\.(test|e2e)\.ts$/.test(entry.name) ? [full] : [];
  });
}

it('no service writes the outbox table except through the runtime', () => {
  const services = path.join(repoRoot(), 'services');
  const files = readdirSync(services).flatMap((s) => sourceFiles(path.join(services, s, 'src')));
  const writes =
    /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+outbox\b|OUTBOX_CHANNEL|pg_notify\(\s*'outbox'/i;
  const offenders = files
    .filter((f) => writes.test(readFileSync(f, 'utf8')))
    .map((f) => path.relative(repoRoot(), f));
  expect(offenders).toEqual([]);
  expect(files.length).toBeGreaterThan(50);
});
