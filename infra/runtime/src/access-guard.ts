// Every field a subgraph resolves goes through the access policy (access.ts). A module
// states one rule per resolver, by "Type.field", beside its resolvers:
//   { can: 'settings.manage' }                 the caller must hold the capability;
//   { can: 'customers.read', customer: fn }    … and see the customer `fn` names, else
//                                              the field is null (a reference, a tab);
//   { inherit: 'why' }                         the parent was checked on the way here.
// defineSubgraph wraps each resolver with its rule; at boot, buildSchema refuses a
// subgraph where a resolver has no rule, or where a root field or an entity's
// `__resolveReference` is missing (an entity without one would be answered from the
// bare reference, unchecked). Adding a field without a rule fails at start, and so in
// every test that starts the subgraph.
import { Kind } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode } from 'graphql';
import type { Capability, RequestAccess } from './access';
import { requireCapability } from './access';
import { badInput } from './errors';
import { isUuid } from './ids';

export type AccessRule =
  | { can: Capability; customer?: (parent: never, args: never) => string | null | undefined }
  | { inherit: string };

/** A module's rules, by "Type.field". */
export type AccessRules = Record<string, AccessRule>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Resolver = (...args: any[]) => unknown;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ResolverMap = GraphQLResolverMap<any>;

const guarded = new WeakSet<Resolver>();

interface GuardContext {
  access: RequestAccess;
}

function guard(key: string, rule: AccessRule, resolve: Resolver): Resolver {
  if ('inherit' in rule) {
    const inherited: Resolver = (...args) => resolve(...args);
    guarded.add(inherited);
    return inherited;
  }
  const [typeName, field] = key.split('.');
  const isReference = field === '__resolveReference';
  const isRoot = typeName === 'Query' || typeName === 'Mutation';
  const action = isRoot ? field : key;
  const wrapped: Resolver = async (...args) => {
    // A reference resolver is called (parent, context, info); a field (parent, args, context, info).
    const [parent, second, third] = args;
    const ctx = (isReference ? second : third) as GuardContext;
    requireCapability(ctx.access.identity, rule.can, action);
    if (rule.customer) {
      const customerId = rule.customer(parent as never, (isReference ? {} : second) as never);
      // A root field's argument that no customer could have is bad input, named (a
      // resolver would otherwise hand it to Postgres). A reference or a parent is
      // checked as it is: seesCustomer finds no such customer.
      if (isRoot && customerId && !isUuid(customerId)) {
        throw badInput(argumentHolding(second, customerId), 'is not a customer id');
      }
      if (customerId && !(await ctx.access.seesCustomer(customerId))) return null;
    }
    return resolve(...args);
  };
  Object.defineProperty(wrapped, 'name', { value: `${typeName}.${field}` });
  guarded.add(wrapped);
  return wrapped;
}

/** The name of the (top-level) argument holding `value`; `customerId` if none does. */
function argumentHolding(args: unknown, value: string): string {
  const entries = Object.entries((args ?? {}) as Record<string, unknown>);
  return entries.find(([, v]) => v === value)?.[0] ?? 'customerId';
}

/** The module's resolver maps with each resolver wrapped by its rule (unruled ones as they are). */
export function guardResolvers(maps: ResolverMap[], rules: AccessRules = {}): ResolverMap[] {
  const used = new Set<string>();
  const result = maps.map(
    (map) =>
      Object.fromEntries(
        Object.entries(map).map(([typeName, fields]) => {
          if (typeof fields !== 'object' || fields === null || !isPlainObject(fields)) {
            return [typeName, fields];
          }
          const out: Record<string, unknown> = {};
          // Field resolvers by name (scalars and enums were passed over above).
          for (const [field, value] of Object.entries(fields)) {
            const key = `${typeName}.${field}`;
            const rule = rules[key];
            if (rule && typeof value === 'function') used.add(key);
            out[field] =
              rule && typeof value === 'function' ? guard(key, rule, value as Resolver) : value;
          }
          return [typeName, out];
        }),
      ) as ResolverMap,
  );
  const unused = Object.keys(rules).filter((key) => !used.has(key));
  if (unused.length > 0) {
    throw new Error(`access rules name no resolver of the module: ${unused.join(', ')}`);
  }
  return result;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The fields of a subgraph that escape the policy: resolvers without a rule, root
 * fields without a resolver, and entities without a guarded `__resolveReference`.
 */
export function unguardedFields(typeDefs: DocumentNode, resolvers: ResolverMap): string[] {
  const missing: string[] = [];
  for (const [typeName, fields] of Object.entries(resolvers)) {
    if (typeof fields !== 'object' || fields === null || !isPlainObject(fields)) continue;
    for (const [field, value] of Object.entries(fields)) {
      if (typeof value === 'function' && !guarded.has(value as Resolver)) {
        missing.push(`${typeName}.${field}`);
      }
    }
  }
  const has = (typeName: string, field: string) =>
    typeof (resolvers[typeName] as Record<string, unknown> | undefined)?.[field] === 'function';
  for (const definition of typeDefs.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION
    ) {
      continue;
    }
    const typeName = definition.name.value;
    if (typeName === 'Query' || typeName === 'Mutation') {
      for (const field of definition.fields ?? []) {
        if (!has(typeName, field.name.value)) missing.push(`${typeName}.${field.name.value}`);
      }
    }
    const key = definition.directives?.find((d) => d.name.value === 'key');
    const resolvable = key?.arguments?.find((a) => a.name.value === 'resolvable');
    const stub = resolvable?.value.kind === Kind.BOOLEAN && !resolvable.value.value;
    if (key && !stub && !has(typeName, '__resolveReference')) {
      missing.push(`${typeName}.__resolveReference`);
    }
  }
  return [...new Set(missing)].sort();
}
