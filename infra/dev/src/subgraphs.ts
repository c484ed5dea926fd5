// The subgraphs of the customer graph, in one list: names, SDL files, dev ports.
import { DEFAULT_PORTS } from '@customer-graph/runtime';

export const SUBGRAPHS = ['contacts', 'followers', 'orders-loyalty', 'marketing'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

export function defaultSubgraphUrl(name: SubgraphName): string {
  return `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`;
}
