// The baseline's work per request: the plan (baseline.plan.ts) walked over the
// subgraph modules' own resolvers and loaders, with one context per subgraph (its
// loaders, scoped to the caller as its subgraph scopes them), the JSON assembled as it
// goes. Every item of a list starts before any is awaited, so each DataLoader batches
// a page's keys into one statement, as in the subgraphs.
import { getArgumentValues, getVariableValues } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import type { EntityJump, FieldPlan, ObjectPlan, OperationPlan, ValuePlan } from './baseline.plan';

/** A request's context in each subgraph, by name (a ServiceContext each). */
export type Contexts = Record<string, unknown>;

/** Input the subgraph refuses (bad variables): answered as the gateway would, 400. */
export class BadRequest extends Error {}

type Variables = Record<string, unknown>;

async function complete(
  plan: ValuePlan,
  value: unknown,
  ctxs: Contexts,
  vars: Variables,
): Promise<unknown> {
  if (value == null) return null;
  switch (plan.kind) {
    case 'leaf':
      return plan.serialize(value);
    case 'list':
      return Promise.all(
        Array.from(value as Iterable<unknown>, (item): Promise<unknown> =>
          complete(plan.of, item, ctxs, vars),
        ),
      );
    case 'object':
      return completeObject(plan.object, value, ctxs, vars);
  }
}

async function resolveField(
  field: FieldPlan,
  source: unknown,
  context: unknown,
  ctxs: Contexts,
  vars: Variables,
): Promise<unknown> {
  const args = field.args ?? getArgumentValues(field.field, field.node, vars);
  const value = await field.resolve(source, args, context, field.info);
  return complete(field.value, value, ctxs, vars);
}

/** The fields another subgraph answers: its `__resolveReference`, then its resolvers. */
async function resolveJump(
  jump: EntityJump,
  source: { id?: unknown },
  out: Record<string, unknown>,
  ctxs: Contexts,
  vars: Variables,
): Promise<void> {
  const context = ctxs[jump.subgraph];
  const reference = { __typename: jump.info.parentType.name, id: source.id };
  const entity = await jump.resolveReference(reference, context, jump.info);
  await Promise.all(
    jump.fields.map(async (field) => {
      out[field.key] =
        entity == null ? null : await resolveField(field, entity, context, ctxs, vars);
    }),
  );
}

async function completeObject(
  plan: ObjectPlan,
  source: unknown,
  ctxs: Contexts,
  vars: Variables,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of plan.keys) out[key] = null;
  for (const key of plan.typenameKeys) out[key] = plan.typename;
  const context = ctxs[plan.subgraph];
  await Promise.all([
    ...plan.fields.map(async (field) => {
      out[field.key] = await resolveField(field, source, context, ctxs, vars);
    }),
    ...plan.jumps.map((jump) => resolveJump(jump, source as { id?: unknown }, out, ctxs, vars)),
  ]);
  return out;
}

/** The variables as the root subgraph's schema coerces them (defaults applied). */
export function coerceVariables(
  schema: GraphQLSchema,
  plan: OperationPlan,
  inputs: Variables | null | undefined,
): Variables {
  const result = getVariableValues(schema, plan.operation.variableDefinitions ?? [], inputs ?? {});
  if (result.errors) throw new BadRequest(result.errors.map((e) => e.message).join('; '));
  return result.coerced;
}

/** The answer's `data` for one request. */
export function runPlan(plan: OperationPlan, ctxs: Contexts, vars: Variables) {
  return completeObject(plan.root, undefined, ctxs, vars);
}
