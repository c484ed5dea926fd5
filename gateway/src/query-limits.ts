// Limits on what one request may ask of the graph (ARCHITECTURE.md, "Gateway and
// trust"), checked at the gateway before any subgraph is called:
//   - tokens: at most MAX_TOKENS lexical tokens (graphql-js stops parsing past it);
//   - depth: at most MAX_DEPTH nested selections, fragments followed;
//   - aliases: at most MAX_ALIASES aliased fields;
//   - cost: every field costs 1, and a field's selections are multiplied by the rows
//     it may bring (its `first`, else its cap); mutations that do heavy work weigh
//     more (query-cost.ts, and the @cost / @listSize directives in the SDL). Analysts,
//     who run ad-hoc queries, get a larger budget than the screens' roles.
// Depth, aliases and cost are measured in one pass linear in the document's size. A
// request over a limit is refused with its own code, naming the limit and the
// figure; nothing reaches a subgraph.
import { GraphQLError, Kind, Lexer, Source, TokenKind } from 'graphql';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { PublicErrorCode } from '@customer-graph/runtime';
import type { Role } from '@customer-graph/runtime';
import { readCostDirectives } from './cost-directives';
import type { CostDirectives } from './cost-directives';
import { measureOperation } from './query-cost';
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

/** The refusals' codes, from the one enum of client-visible codes. */
type QueryLimitCode =
  | PublicErrorCode.QUERY_TOO_DEEP
  | PublicErrorCode.QUERY_TOO_MANY_ALIASES
  | PublicErrorCode.QUERY_TOO_COSTLY;

function refuse(code: QueryLimitCode, message: string, limit: number, actual: number) {
  // Apollo answers a plugin's error with extensions.http's status, and strips it.
  return new GraphQLError(message, {
    extensions: { code, limit, actual, http: { status: 400 } },
  });
}

/** Checks an operation against the limits for `role`; throws the first one broken. */
export function checkQueryLimits(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  role: Role,
  graph: { schema: GraphQLSchema; costs: CostDirectives },
): void {
  // Introspection reads the schema, not data: its depth is fixed by the type system
  // (the standard query nests ofType seven deep), and it is off in production anyway.
  const introspectionOnly = operation.selectionSet.selections.every(
    (s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'),
  );
  if (introspectionOnly) return;
  const m = measureOperation(graph.schema, graph.costs, document, operation, variables);
  if (m.depth > MAX_DEPTH) {
    throw refuse(
      PublicErrorCode.QUERY_TOO_DEEP,
      `the query is ${m.depth} levels deep; at most ${MAX_DEPTH}`,
      MAX_DEPTH,
      m.depth,
    );
  }
  if (m.aliases > MAX_ALIASES) {
    throw refuse(
      PublicErrorCode.QUERY_TOO_MANY_ALIASES,
      `the query has ${m.aliases} aliases; at most ${MAX_ALIASES}`,
      MAX_ALIASES,
      m.aliases,
    );
  }
  const budget = COST_BUDGET[role];
  if (m.cost > budget) {
    throw refuse(
      PublicErrorCode.QUERY_TOO_COSTLY,
      `the query may cost ${m.cost} (fields × page sizes, and weighted mutations); the ${role} budget is ${budget}: ask for smaller pages`,
      budget,
      m.cost,
    );
  }
}

// Counting reads every token graphql-js refused to read: an 8 MB body of junk tokens
// takes over a second. Up to this many the refusal's `actual` is exact; past it,
// `actual` is this plus one, meaning "more than this".
export const TOKENS_COUNTED = 10 * MAX_TOKENS;

/** Lexical tokens in a document, past the limit (a refusal's `actual`). */
export function countTokens(query: string): number {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  try {
    while (tokens <= TOKENS_COUNTED && lexer.advance().kind !== TokenKind.EOF) tokens++;
  } catch (error) {
    // A character graphql-js cannot read past the limit ends the count there: the
    // document is refused either way, and `actual` is then a lower bound.
    if (!(error instanceof GraphQLError)) throw error;
  }
  return tokens;
}

const TOO_MANY_TOKENS = /^Syntax Error: Document contains more that? \d+ tokens/;

// The cost directives of each schema the gateway serves, read from its supergraph
// when it loads (the API schema handed to requests has lost them).
const costsBySchema = new WeakMap<GraphQLSchema, CostDirectives>();

/** The Apollo plugin: every operation is measured once it is parsed and validated. */
export const queryLimitsPlugin: ApolloServerPlugin<GatewayContext> = {
  async serverWillStart() {
    return {
      schemaDidLoadOrUpdate({ apiSchema, coreSupergraphSdl }) {
        if (!coreSupergraphSdl) throw new Error('query limits need the gateway’s supergraph');
        costsBySchema.set(apiSchema, readCostDirectives(coreSupergraphSdl));
      },
    };
  },
  async requestDidStart() {
    return {
      async didResolveOperation({ document, operation, request, contextValue, schema }) {
        // Resolved means graphql-js found the operation; the guard is for the types.
        if (!operation) return;
        const costs = costsBySchema.get(schema);
        if (!costs) throw new Error('query limits: the schema served was never loaded');
        checkQueryLimits(document, operation, request.variables ?? {}, contextValue.identity.role, {
          schema,
          costs,
        });
      },
      // graphql-js stops parsing at MAX_TOKENS; its refusal is Apollo's
      // GRAPHQL_PARSE_FAILED, to which this adds the limit and the real count.
      async didEncounterErrors({ errors, source }) {
        for (const error of errors) {
          if (source !== undefined && TOO_MANY_TOKENS.test(error.message)) {
            Object.assign(error.extensions, { limit: MAX_TOKENS, actual: countTokens(source) });
          }
        }
      },
    };
  },
};
