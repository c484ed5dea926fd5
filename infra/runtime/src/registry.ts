// The subgraphs of the customer graph: the one list. Everything else is derived from
// it or checked against it — the gateway's subgraph URLs, the dev stack's ports and
// databases, the test stack, codegen, and docker-compose (a test compares the file
// with this list).
//
// A subgraph `name` is served by the package `@customer-graph/<name>` in
// `services/<name>/`, from the SDL `schema/<name>.graphql`; its environment variables
// start with `<NAME>_` (`ORDERS_LOYALTY_URL`); its database is `cg_<name>`.
import { envPrefix } from './env';

export const SUBGRAPHS = [
  { name: 'contacts', port: 4001 },
  { name: 'followers', port: 4002 },
  { name: 'orders-loyalty', port: 4003 },
  { name: 'marketing', port: 4004 },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const SUBGRAPH_NAMES: readonly SubgraphName[] = SUBGRAPHS.map((s) => s.name);

/** The gateway's port in the dev stack. */
export const GATEWAY_DEFAULT_PORT = 4000;

/** Default ports of the dev stack, by process name (the gateway's included). */
export const DEFAULT_PORTS: Record<string, number> = Object.fromEntries([
  ['gateway', GATEWAY_DEFAULT_PORT],
  ...SUBGRAPHS.map((s) => [s.name, s.port]),
]);

export function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}

/** The subgraph's database name on a shared server: `cg_orders_loyalty`. */
export function subgraphDatabase(name: SubgraphName): string {
  return `cg_${name.replace(/-/g, '_')}`;
}

/** The environment variables naming a subgraph's URL, port and database. */
export function subgraphVariables(name: string): { url: string; port: string; database: string } {
  const prefix = envPrefix(name);
  return { url: `${prefix}_URL`, port: `${prefix}_PORT`, database: `${prefix}_DATABASE_URL` };
}
