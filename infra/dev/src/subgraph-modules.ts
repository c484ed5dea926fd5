// The subgraphs of the registry, each from its package `@customer-graph/<name>` (every
// service exports its assembled subgraph as `subgraph`): the test stack, `npm run
// migrate` and the checks iterate the registry instead of naming four services.
import { SUBGRAPH_NAMES } from '@customer-graph/runtime';
import type { SubgraphModule, SubgraphName } from '@customer-graph/runtime';

export async function loadSubgraph(name: SubgraphName): Promise<SubgraphModule<unknown>> {
  const pkg = (await import(`@customer-graph/${name}`)) as { subgraph?: SubgraphModule<unknown> };
  if (!pkg.subgraph || pkg.subgraph.name !== name) {
    throw new Error(`@customer-graph/${name} does not export its subgraph as \`subgraph\``);
  }
  return pkg.subgraph;
}

export async function loadSubgraphs(
  names: readonly SubgraphName[] = SUBGRAPH_NAMES,
): Promise<Record<string, SubgraphModule<unknown>>> {
  const entries = await Promise.all(names.map(async (n) => [n, await loadSubgraph(n)] as const));
  return Object.fromEntries(entries);
}
