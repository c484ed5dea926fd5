// bench:page's first peer: Hive Gateway (@graphql-hive/gateway), one process, on our
// committed supergraph and our subgraphs, with our trust model (hive.trust.ts). With
// `dedupe` it keeps Hive's default of merging identical in-flight subgraph calls (of
// one caller); without, that merging is off. No response cache, no other cache across
// requests. The process is hive.main.ts.
import { ensurePeersInstalled } from './hive.types';
import { spawnPeer } from './peer-process';
import type { RunningPeer } from './peer-process';

export type { RunningPeer } from './peer-process';

export interface PeerOptions {
  /** The supergraph SDL file, e.g. schema/supergraph.graphql (from the repository root). */
  supergraphSdlPath: string;
  /** Subgraph name → its GraphQL URL. */
  subgraphUrls: Record<string, string>;
  /** The stack's CONTEXT_SIGNING_SECRET. */
  signingSecret: string;
  jwtSecret: string;
  port: number;
  /** Hive's merging of identical in-flight subgraph calls (its default: on). */
  dedupe: boolean;
}

export async function startHiveGateway(options: PeerOptions): Promise<RunningPeer> {
  ensurePeersInstalled();
  return spawnPeer('infra/dev/bench/page/hive.main.ts', options);
}
