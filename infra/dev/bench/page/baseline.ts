// bench:page's floor: one process, no federation, that serves the two page operations
// (CustomerListPage, CustomerDetailPage) with the subgraph modules' own resolvers,
// loaders and SQL, called in-process, one pool per database (baseline.main.ts).
import { spawnPeer } from './peer-process';
import type { RunningPeer } from './peer-process';

export type { RunningPeer } from './peer-process';

export interface BaselineOptions {
  postgresPort: number;
  jwtSecret: string;
  port: number;
}

export async function startBaseline(options: BaselineOptions): Promise<RunningPeer> {
  return spawnPeer('infra/dev/bench/page/baseline.main.ts', options);
}
