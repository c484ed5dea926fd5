// The baseline's plan of one operation, made once at start: for every field the page
// selects, which subgraph module answers it (its own guarded resolver, from the schema
// buildSchema gives that subgraph), its arguments when they are literals, and how its
// value is sent (the scalar's or enum's serializer). A field the parent's subgraph does
// not have is the entity's in another subgraph: the plan names that subgraph, whose
// `__resolveReference` turns the parent into its own object first — what the gateway's
// `_entities` call does, without the call. Nothing is parsed, validated or planned per
// request (baseline.run.ts walks the plan).
import {
  Kind,
  getArgumentValues,
  getNullableType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  visit,
} from 'graphql';
import type {
  FieldNode,
  GraphQLField,
  GraphQLFieldResolver,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLResolveInfo,
  GraphQLSchema,
  OperationDefinitionNode,
} from 'graphql';

/** How a value of a field's type is completed: wrappers, then a leaf or an object. */
export type ValuePlan =
  | { kind: 'leaf'; serialize(value: unknown): unknown }
  | { kind: 'list'; of: ValuePlan }
  | { kind: 'object'; object: ObjectPlan };

export interface FieldPlan {
  /** The response key (the alias, else the name). */
  key: string;
  /** The subgraph's resolver (guarded by its access rule), or the default one. */
  resolve: GraphQLFieldResolver<unknown, unknown>;
  /** The arguments, when the query gives them as literals (and defaults); else per request. */
  args: Record<string, unknown> | undefined;
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
  info: GraphQLResolveInfo;
  value: ValuePlan;
}

/** The fields of an object another subgraph answers, after its `__resolveReference`. */
export interface EntityJump {
  subgraph: string;
  resolveReference(reference: object, context: unknown, info: GraphQLResolveInfo): unknown;
  info: GraphQLResolveInfo;
  fields: FieldPlan[];
}

export interface ObjectPlan {
  typename: string;
  /** The subgraph the object came from, which answers `fields`. */
  subgraph: string;
  /** Every response key, in the query's order (the answer's key order). */
  keys: string[];
  /** Keys of `__typename`, answered from the plan. */
  typenameKeys: string[];
  fields: FieldPlan[];
  jumps: EntityJump[];
}

export interface OperationPlan {
  name: string;
  operation: OperationDefinitionNode;
  /** The root subgraph, whose schema coerces the variables. */
  subgraph: string;
  root: ObjectPlan;
}

type Schemas = Record<string, GraphQLSchema>;

function infoOf(
  schema: GraphQLSchema,
  parentType: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  operation: OperationDefinitionNode,
): GraphQLResolveInfo {
  return {
    fieldName: field.name,
    fieldNodes: [node],
    returnType: field.type,
    parentType,
    path: { prev: undefined, key: node.alias?.value ?? field.name, typename: parentType.name },
    schema,
    fragments: {},
    rootValue: undefined,
    operation,
    variableValues: {},
  };
}

function usesVariables(node: FieldNode): boolean {
  let found = false;
  for (const argument of node.arguments ?? []) {
    visit(argument.value, {
      Variable() {
        found = true;
      },
    });
  }
  return found;
}

function entityResolver(type: GraphQLObjectType): EntityJump['resolveReference'] | undefined {
  const extensions = type.extensions as { apollo?: { subgraph?: { resolveReference?: unknown } } };
  const resolve = extensions.apollo?.subgraph?.resolveReference;
  return typeof resolve === 'function' ? (resolve as EntityJump['resolveReference']) : undefined;
}

class Planner {
  constructor(
    private readonly schemas: Schemas,
    private readonly operation: OperationDefinitionNode,
  ) {}

  object(subgraph: string, type: GraphQLObjectType, nodes: readonly FieldNode[]): ObjectPlan {
    const plan: ObjectPlan = {
      typename: type.name,
      subgraph,
      keys: [],
      typenameKeys: [],
      fields: [],
      jumps: [],
    };
    for (const node of nodes) {
      const key = node.alias?.value ?? node.name.value;
      plan.keys.push(key);
      const name = node.name.value;
      if (name === '__typename') {
        plan.typenameKeys.push(key);
      } else if (type.getFields()[name]) {
        plan.fields.push(this.field(subgraph, type, node));
      } else {
        this.jump(plan, type.name, node);
      }
    }
    return plan;
  }

  /** A field the object's subgraph lacks: the one whose entity of that type has it. */
  private jump(plan: ObjectPlan, typename: string, node: FieldNode): void {
    const owner = Object.entries(this.schemas).find(([, schema]) => {
      const type = schema.getType(typename);
      return isObjectType(type) && type.getFields()[node.name.value] && entityResolver(type);
    });
    if (!owner) throw new Error(`no subgraph resolves ${typename}.${node.name.value}`);
    const [subgraph, schema] = owner;
    const type = schema.getType(typename) as GraphQLObjectType;
    if (!type.getFields().id) throw new Error(`${typename} in ${subgraph} has no id to key on`);
    let jump = plan.jumps.find((j) => j.subgraph === subgraph);
    if (!jump) {
      const entities = (schema.getQueryType()?.getFields() ?? {})._entities;
      jump = {
        subgraph,
        resolveReference: entityResolver(type)!,
        info: infoOf(schema, schema.getQueryType()!, entities, node, this.operation),
        fields: [],
      };
      plan.jumps.push(jump);
    }
    jump.fields.push(this.field(subgraph, type, node));
  }

  private field(subgraph: string, type: GraphQLObjectType, node: FieldNode): FieldPlan {
    const schema = this.schemas[subgraph];
    const field = type.getFields()[node.name.value];
    const info = infoOf(schema, type, field, node, this.operation);
    return {
      key: node.alias?.value ?? node.name.value,
      resolve: field.resolve ?? defaultResolve,
      args: usesVariables(node) ? undefined : getArgumentValues(field, node, {}),
      field,
      node,
      info,
      value: this.value(subgraph, field.type, node),
    };
  }

  private value(subgraph: string, type: GraphQLOutputType, node: FieldNode): ValuePlan {
    const nullable = isNonNullType(type) ? type.ofType : getNullableType(type);
    if (isListType(nullable))
      return { kind: 'list', of: this.value(subgraph, nullable.ofType, node) };
    if (isLeafType(nullable)) {
      return { kind: 'leaf', serialize: (value) => nullable.serialize(value) };
    }
    if (!isObjectType(nullable)) {
      throw new Error(`the baseline plans object types only; ${node.name.value} is not one`);
    }
    const fields = (node.selectionSet?.selections ?? []).map((s) => {
      if (s.kind !== Kind.FIELD) throw new Error('the baseline plans fields only (no fragments)');
      return s;
    });
    return { kind: 'object', object: this.object(subgraph, nullable, fields) };
  }
}

function defaultResolve(
  source: unknown,
  args: unknown,
  context: unknown,
  info: GraphQLResolveInfo,
) {
  const value = (source as Record<string, unknown>)[info.fieldName];
  return typeof value === 'function'
    ? (value as (...a: unknown[]) => unknown).call(source, args, context, info)
    : value;
}

/** Plans `operation`, whose root fields are answered by `subgraph`. */
export function planOperation(
  schemas: Schemas,
  subgraph: string,
  operation: OperationDefinitionNode,
): OperationPlan {
  const query = schemas[subgraph].getQueryType();
  if (!query) throw new Error(`${subgraph} has no Query type`);
  const roots = operation.selectionSet.selections.map((s) => {
    if (s.kind !== Kind.FIELD) throw new Error('the baseline plans fields only (no fragments)');
    return s;
  });
  const root = new Planner(schemas, operation).object(subgraph, query, roots);
  if (root.jumps.length > 0)
    throw new Error(`${operation.name?.value}: a root field is not ${subgraph}'s`);
  return { name: operation.name?.value ?? '', operation, subgraph, root };
}
