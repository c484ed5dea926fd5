// The Hive Gateway process of bench:page (started by hive.ts): the runtime with its
// defaults, our supergraph with the stack's subgraph URLs, our trust model, and only
// the in-flight merging switched by the options.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listen, repoRoot } from '@customer-graph/runtime';
import type { PeerOptions } from './hive';
import { useSignedIdentity } from './hive.trust';
import { loadHiveGateway } from './hive.types';
import { authenticator } from './peer-auth';
import { PEER_READY_LINE, peerOptions, stopOnSignals } from './peer-process';

async function main(): Promise<void> {
  const options = peerOptions<PeerOptions>();
  const supergraph = readFileSync(path.resolve(repoRoot(), options.supergraphSdlPath), 'utf8');
  const authenticate = authenticator(options.jwtSecret, options.signingSecret);
  const { createGatewayRuntime } = await loadHiveGateway();
  const gateway = createGatewayRuntime({
    supergraph,
    logging: 'error',
    landingPage: false,
    graphiql: false,
    transportEntries: {
      // Every subgraph (they all use the "http" transport): Hive's merging, or not.
      '*.http': { options: { deduplicateInflightRequests: options.dedupe } },
      ...Object.fromEntries(
        Object.entries(options.subgraphUrls).map(([name, location]) => [name, { location }]),
      ),
    },
    plugins: () => [useSignedIdentity(authenticate, options.signingSecret)],
  });
  // Served as our gateway is served (runtime http.ts: keep-alive 65 s).
  const http = await listen(gateway, options.port);
  stopOnSignals(async () => {
    await http.close();
    await gateway.dispose();
  });
  console.log(`${PEER_READY_LINE} (Hive Gateway, dedupe ${options.dedupe ? 'on' : 'off'})`);
}

main().catch((error) => {
  process.stderr.write(`hive gateway peer: ${(error as Error).stack}\n`);
  process.exit(1);
});
