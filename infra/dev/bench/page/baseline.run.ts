// The baseline's work per request: the plan (baseline.plan.ts) walked over the
// subgraph modules' own resolvers and loaders, with one context per subgraph (its
// loaders, scoped to the caller as its subgraph scopes them), the JSON assembled as it
// goes. Every item of a list starts before any is awaited, so each DataLoader batches
// a page's keys into one statement, as in the subgraphs; a field whose value is at
// hand (most are) is set at once, without a promise.
import { getArgumentValues, getVariableValues } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import type { EntityJump, FieldPlan, ObjectPlan, OperationPlan, ValuePlan } from './baseline.plan';

/** A request's context in each subgraph, by name (a ServiceContext each). */
export type Contexts = Record<string, unknown>;

/** Input the subgraph refuses (bad variables): answered as the gateway would, 400. */
export class BadRequest extends Error {}

type Variables = Record<string, unknown>;

/** A value, or its promise when it had to wait: fields that need not wait make no promise. */
type Maybe<T> = T | Promise<T>;

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function complete(
  plan: ValuePlan,
  value: unknown,
  ctxs: Contexts,
  vars: Variables,
): Maybe<unknown> {
  if (isPromise(value)) return value.then((v) => complete(plan, v, ctxs, vars));
  if (value == null) return null;
  switch (plan.kind) {
    case 'leaf':
      return plan.serialize(value);
    case 'list': {
      const items = Array.from(value as Iterable<unknown>, (item) =>
        complete(plan.of, item, ctxs, vars),
      );
      return items.some(isPromise) ? Promise.all(items) : items;
    }
    case 'object':
      return completeObject(plan.object, value, ctxs, vars);
  }
}

function resolveField(
  field: FieldPlan,
  source: unknown,
  context: unknown,
  ctxs: Contexts,
  vars: Variables,
): Maybe<unknown> {
  const args = field.args ?? getArgumentValues(field.field, field.node, vars);
  return complete(field.value, field.resolve(source, args, context, field.info), ctxs, vars);
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
  if (entity == null) return;
  const pending: Promise<unknown>[] = [];
  for (const field of jump.fields) {
    const value = resolveField(field, entity, context, ctxs, vars);
    if (isPromise(value)) pending.push(value.then((v) => (out[field.key] = v)));
    else out[field.key] = value;
  }
  await Promise.all(pending);
}

function completeObject(
  plan: ObjectPlan,
  source: unknown,
  ctxs: Contexts,
  vars: Variables,
): Maybe<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of plan.keys) out[key] = null;
  for (const key of plan.typenameKeys) out[key] = plan.typename;
  const context = ctxs[plan.subgraph];
  let pending: Promise<unknown>[] | undefined;
  for (const field of plan.fields) {
    const value = resolveField(field, source, context, ctxs, vars);
    if (isPromise(value)) (pending ??= []).push(value.then((v) => (out[field.key] = v)));
    else out[field.key] = value;
  }
  for (const jump of plan.jumps) {
    (pending ??= []).push(resolveJump(jump, source as { id?: unknown }, out, ctxs, vars));
  }
  return pending ? Promise.all(pending).then(() => out) : out;
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
export async function runPlan(plan: OperationPlan, ctxs: Contexts, vars: Variables) {
  return completeObject(plan.root, undefined, ctxs, vars);
}
