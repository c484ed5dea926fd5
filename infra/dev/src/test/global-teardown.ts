import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const infra = globalThis.__CG_TEST_INFRA__;
  if (!infra) return;
  await infra.broker?.stop();
  await infra.postgres?.stop();
  if (infra.dir) rmSync(infra.dir, { recursive: true, force: true });
}
