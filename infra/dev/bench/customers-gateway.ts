// bench:customers through the gateway: each case's page and count sent as GraphQL to
// the gateway of the stack (a dev token, one client, back to back), so the share of
// the gateway, the subgraph's GraphQL and the HTTP hops shows beside the SQL alone.
import { signDevToken } from '@customer-graph/gateway';
import type { BenchStack } from './bench-stack';
import type { Case } from './customers-cases';
import { GATEWAY_COUNT, GATEWAY_PAGE, gatewayVariables } from './customers-cases';
import { timeRuns } from './customers-plans';
import type { Stats } from './customers-plans';

export interface GatewayFigures {
  page: Stats;
  count: Stats;
  /** What the gateway answered, checked against the in-process figures. */
  rows: number;
  totalCount: number;
}

export async function gatewayPhase(
  stack: BenchStack,
  workspaceId: string,
  c: Case,
  after: string | null,
  runs: number,
): Promise<GatewayFigures> {
  const token = await signDevToken(
    c.staff
      ? { workspaceId, userId: c.staff, role: 'staff' }
      : { workspaceId, userId: 'bench', role: 'admin' },
    stack.jwtSecret,
  );
  const post = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${stack.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as {
      data?: { customers: { totalCount?: number; edges?: unknown[] } };
      errors?: unknown[];
    };
    if (body.errors || !body.data) {
      throw new Error(`${c.name}: ${JSON.stringify(body.errors).slice(0, 500)}`);
    }
    return body.data.customers;
  };
  const variables = gatewayVariables(c, after);
  const countVariables = { f: variables.f };
  const rows = (await post(GATEWAY_PAGE, variables)).edges!.length;
  const totalCount = (await post(GATEWAY_COUNT, countVariables)).totalCount!;
  return {
    page: await timeRuns(() => post(GATEWAY_PAGE, variables), runs),
    count: await timeRuns(() => post(GATEWAY_COUNT, countVariables), runs),
    rows,
    totalCount,
  };
}
