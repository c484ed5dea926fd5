// The analysts' figures (docs/analytics.md) go through the cost model like every list:
// each field weighs 1,000 (@cost) plus its selection once per possible group (its cap,
// @listSize 1,000), and a list argument counts per entry, so a request that would run
// too many groupings, or send a huge list of keys, is refused before any subgraph runs.
import { readFileSync } from 'node:fs';
import { Kind, buildASTSchema, parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { findRepoFile } from '@customer-graph/runtime';
import { readCostDirectives } from './cost-directives';
import { measureOperation } from './query-cost';
import { COST_BUDGET, checkQueryLimits } from './query-limits';

const supergraph = readFileSync(findRepoFile('schema/supergraph.graphql'), 'utf8');
const schema = buildASTSchema(parse(supergraph), { assumeValidSDL: true });
const costs = readCostDirectives(supergraph);

function parsed(query: string) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return { document, operation };
}

const cost = (query: string, variables = {}) => {
  const { document, operation } = parsed(query);
  return measureOperation(schema, costs, document, operation, variables).cost;
};

function refusal(query: string, role: 'admin' | 'analyst', variables = {}) {
  const { document, operation } = parsed(query);
  try {
    checkQueryLimits(document, operation, variables, role, { schema, costs });
  } catch (error) {
    return (error as { extensions: Record<string, unknown> }).extensions;
  }
  return undefined;
}

const CUSTOMERS = 'customerStats(groupBy: [TIER, CITY]) { keys { key value } count }';

describe('the figures’ cost', () => {
  it('is 1,000 for the field and its selection once per possible group', () => {
    // 1,000 + 2 keys + 1,000 groups × (keys: 1 + 3 × (key, value) + count).
    expect(cost(`{ ${CUSTOMERS} }`)).toBe(1_000 + 2 + 1_000 * (1 + 3 * 2 + 1));
    expect(cost('{ orderStats(groupBy: [MONTH]) { count revenue } }')).toBe(1_000 + 1 + 2_000);
    expect(cost('{ campaignFunnel { count sent } }')).toBe(1_000 + 2_000);
    // groupBy is one key (not a list); thenBy's two count per entry.
    expect(cost('{ callStats(groupBy: STAFF, thenBy: [DAY, RESULT]) { count } }')).toBe(
      1_000 + 2 + 1_000,
    );
  });

  it('lets a dashboard ask for a few, and refuses a request of many', () => {
    const few = `{ ${[1, 2, 3].map((i) => `a${i}: ${CUSTOMERS}`).join(' ')} }`;
    expect(refusal(few, 'admin')).toBeUndefined();
    const many = `{ ${Array.from({ length: 17 }, (_, i) => `a${i}: ${CUSTOMERS}`).join(' ')} }`;
    expect(refusal(many, 'analyst')).toMatchObject({
      code: 'QUERY_TOO_COSTLY',
      limit: COST_BUDGET.analyst,
    });
  });

  it('counts a list of keys per entry, so a huge one is refused before it runs', () => {
    const query = 'query($g: [CustomerStatsKey!]!) { customerStats(groupBy: $g) { count } }';
    const keys = Array.from({ length: 200_000 }, () => 'TYPE');
    expect(refusal(query, 'analyst', { g: keys })).toMatchObject({ code: 'QUERY_TOO_COSTLY' });
  });
});
