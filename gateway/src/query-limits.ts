// Limits on what one request may ask of the graph (ARCHITECTURE.md, "Gateway and
// trust"), checked at the gateway before any subgraph is called:
//   - tokens: at most MAX_TOKENS lexical tokens (graphql-js stops parsing past it);
//   - depth: at most MAX_DEPTH nested selections, fragments followed;
//   - aliases: at most MAX_ALIASES aliased fields;
//   - cost: every field costs 1, and a field's selections are multiplied by its
//     `first` argument (the most rows a page can bring). Analysts, who run ad-hoc
//     queries, get a larger budget than the screens' roles.
// A request over a limit is refused with its own code, naming the limit and the
// figure; nothing reaches a subgraph.
import { GraphQLError, Kind } from 'graphql';
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Role } from '@customer-graph/runtime';
import type { GatewayContext } from './subgraph-source';

export const MAX_TOKENS = 5000;
export const MAX_DEPTH = 12;
export const MAX_ALIASES = 60;
export const COST_BUDGET: Record<Role, number> = {
  admin: 30_000,
  editor: 30_000,
  staff: 30_000,
  platform: 30_000,
  analyst: 150_000,
};

export enum QueryLimitCode {
  TOO_DEEP = 'QUERY_TOO_DEEP',
  TOO_MANY_ALIASES = 'QUERY_TOO_MANY_ALIASES',
  TOO_COSTLY = 'QUERY_TOO_COSTLY',
}

function refuse(code: QueryLimitCode, message: string, limit: number, actual: number) {
  // Apollo answers a plugin's error with extensions.http's status, and strips it.
  return new GraphQLError(message, {
    extensions: { code, limit, actual, http: { status: 400 } },
  });
}

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

/** The page size a field asks for: its `first` argument, literal or variable. */
function pageSize(field: FieldNode, variables: Record<string, unknown>): number {
  const first = field.arguments?.find((a) => a.name.value === 'first');
  if (!first) return 1;
  const value =
    first.value.kind === Kind.INT
      ? Number(first.value.value)
      : first.value.kind === Kind.VARIABLE
        ? variables[first.value.name.value]
        : undefined;
  // A missing variable takes the field's default (20 on every list here).
  return typeof value === 'number' && value > 0 ? value : 20;
}

function measure(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  seen: Set<string>,
): Measure {
  const total: Measure = { depth: 0, aliases: 0, cost: 0 };
  const add = (m: Measure, times = 1, deeper = 0) => {
    total.depth = Math.max(total.depth, m.depth + deeper);
    total.aliases += m.aliases;
    total.cost += m.cost * times;
  };
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const inner = selection.selectionSet
        ? measure(selection.selectionSet, fragments, variables, seen)
        : { depth: 0, aliases: 0, cost: 0 };
      add({ ...inner, cost: 1 + pageSize(selection, variables) * inner.cost }, 1, 1);
      if (selection.alias) total.aliases += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      add(measure(selection.selectionSet, fragments, variables, seen));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A fragment spread inside itself is refused by validation; stop here anyway.
      if (!fragment || seen.has(name)) continue;
      add(measure(fragment.selectionSet, fragments, variables, new Set([...seen, name])));
    }
  }
  return total;
}

/** Checks an operation against the limits for `role`; throws the first one broken. */
export function checkQueryLimits(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  role: Role,
): void {
  // Introspection reads the schema, not data: its depth is fixed by the type system
  // (the standard query nests ofType seven deep), and it is off in production anyway.
  const introspectionOnly = operation.selectionSet.selections.every(
    (s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'),
  );
  if (introspectionOnly) return;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const m = measure(operation.selectionSet, fragments, variables, new Set());
  if (m.depth > MAX_DEPTH) {
    throw refuse(
      QueryLimitCode.TOO_DEEP,
      `the query is ${m.depth} levels deep; at most ${MAX_DEPTH}`,
      MAX_DEPTH,
      m.depth,
    );
  }
  if (m.aliases > MAX_ALIASES) {
    throw refuse(
      QueryLimitCode.TOO_MANY_ALIASES,
      `the query has ${m.aliases} aliases; at most ${MAX_ALIASES}`,
      MAX_ALIASES,
      m.aliases,
    );
  }
  const budget = COST_BUDGET[role];
  if (m.cost > budget) {
    throw refuse(
      QueryLimitCode.TOO_COSTLY,
      `the query may cost ${m.cost} (fields × page sizes); the ${role} budget is ${budget}: ask for smaller pages`,
      budget,
      m.cost,
    );
  }
}

/** The Apollo plugin: every operation is measured once it is parsed and validated. */
export const queryLimitsPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, operation, request, contextValue }) {
        // Resolved means graphql-js found the operation; the guard is for the types.
        if (!operation) return;
        checkQueryLimits(document, operation, request.variables ?? {}, contextValue.identity.role);
      },
    };
  },
};
