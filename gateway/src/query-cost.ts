// Measures an operation's depth, alias count and cost in one pass, linear in the size
// of the document: each fragment is measured once and its figures reused at every
// spread (a fragment's fields are looked up on its own type condition, so its figures
// do not depend on where it is spread). A spread k times counts k times — its aliases
// and its cost are real work repeated — by addition and multiplication, not by
// walking it again; that is what made a chain of doubling fragments cost 2^n.
//
// Cost: a field costs 1 (or its @cost weight), plus its arguments' weights, plus its
// selections once per row it may bring. The rows of a list are the value it will run
// with: the slicing argument (`first`) as written, else its variable's value, else
// the variable's declared default, else the argument's default in the schema served,
// else the list's cap (@listSize assumedSize); a list without a slicing argument
// counts at its cap. The whole selection of a connection is multiplied (pageInfo and
// totalCount too): cruder than the cost spec's sizedFields, never lower.
import { Kind, getNamedType, isInterfaceType, isObjectType } from 'graphql';
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import type { CostDirectives, FieldCost } from './cost-directives';

export interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

/**
 * An argument's @cost weight on a list or a text (`phones`, `csv`) is per this many
 * entries (list items, or lines), rounded up; on any other argument it counts once
 * when the argument is given. @cost weights are integers, and a number in a phone
 * list is far less work than a row brought back: 250 per 1,000 numbers lets one
 * 100,000-number list (25,000) fit a screens' budget of 30,000, and not two.
 */
export const ENTRIES_PER_WEIGHT = 1000;

// Figures past this are all simply too much; saturating keeps a doubling chain of
// fragments from overflowing to Infinity (and 0 rows × Infinity from giving NaN).
const CEILING = Number.MAX_SAFE_INTEGER;
const saturate = (n: number) => Math.min(n, CEILING);
const NOTHING: Measure = { depth: 0, aliases: 0, cost: 0 };

/** Lines of a text, counted as the subgraphs split them (\r\n, \n or \r), unsplit. */
export function countLines(text: string): number {
  let lines = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lines++;
  }
  return lines;
}

export function measureOperation(
  schema: GraphQLSchema,
  costs: CostDirectives,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): Measure {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const declaredDefaults = new Map(
    (operation.variableDefinitions ?? []).map((d) => [d.variable.name.value, d.defaultValue]),
  );
  // null while a fragment is being measured: a fragment spread inside itself (refused
  // by validation before this runs) then adds nothing instead of looping.
  const measured = new Map<string, Measure | null>();

  /** What an argument will run with: only what the cost needs (a number, a list, a text). */
  function runValue(node: ValueNode): unknown {
    switch (node.kind) {
      case Kind.VARIABLE: {
        const given = variables[node.name.value];
        if (given !== undefined) return given;
        const declared = declaredDefaults.get(node.name.value);
        return declared ? runValue(declared) : undefined;
      }
      case Kind.INT:
        return Number(node.value);
      case Kind.STRING:
        return node.value;
      case Kind.LIST:
        return node.values;
      case Kind.NULL:
        return null;
      default:
        return true;
    }
  }

  function argumentValue(field: FieldNode, def: GraphQLField<unknown, unknown>, name: string) {
    const written = field.arguments?.find((a) => a.name.value === name);
    const value = written ? runValue(written.value) : undefined;
    // Not written, or a variable neither sent nor defaulted: the schema's default runs.
    return value !== undefined ? value : def.args.find((a) => a.name === name)?.defaultValue;
  }

  function rows(field: FieldNode, def: GraphQLField<unknown, unknown>, cost?: FieldCost) {
    const listSize = cost?.listSize;
    if (!listSize) return 1;
    const sizes = listSize.slicingArguments
      .map((name) => argumentValue(field, def, name))
      .filter((v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0);
    return sizes.length > 0 ? Math.max(...sizes) : (listSize.assumedSize ?? 1);
  }

  function argumentsCost(field: FieldNode, def: GraphQLField<unknown, unknown>, cost?: FieldCost) {
    let total = 0;
    for (const [name, weight] of cost?.argumentWeights ?? []) {
      const value = argumentValue(field, def, name);
      if (value === undefined || value === null) continue;
      const entries = Array.isArray(value)
        ? value.length
        : typeof value === 'string'
          ? countLines(value)
          : undefined;
      total += entries === undefined ? weight : Math.ceil((entries * weight) / ENTRIES_PER_WEIGHT);
    }
    return total;
  }

  function measureField(field: FieldNode, parent: GraphQLNamedType | undefined): Measure {
    const def =
      parent && (isObjectType(parent) || isInterfaceType(parent))
        ? parent.getFields()[field.name.value]
        : undefined;
    const cost = def ? costs.get(`${parent!.name}.${def.name}`) : undefined;
    const inner = field.selectionSet
      ? measureSet(field.selectionSet, def && getNamedType(def.type))
      : NOTHING;
    const own = (cost?.weight ?? 1) + (def ? argumentsCost(field, def, cost) : 0);
    const perRow = def ? rows(field, def, cost) : 1;
    return {
      depth: inner.depth + 1,
      aliases: saturate(inner.aliases + (field.alias ? 1 : 0)),
      cost: saturate(own + saturate(perRow * inner.cost)),
    };
  }

  function measureFragment(name: string): Measure {
    const known = measured.get(name);
    if (known !== undefined) return known ?? NOTHING;
    const fragment = fragments.get(name);
    if (!fragment) return NOTHING;
    measured.set(name, null);
    const m = measureSet(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
    measured.set(name, m);
    return m;
  }

  function measureSet(set: SelectionSetNode, parent: GraphQLNamedType | undefined): Measure {
    const total = { ...NOTHING };
    for (const selection of set.selections) {
      const m =
        selection.kind === Kind.FIELD
          ? measureField(selection, parent)
          : selection.kind === Kind.INLINE_FRAGMENT
            ? measureSet(
                selection.selectionSet,
                selection.typeCondition
                  ? schema.getType(selection.typeCondition.name.value)
                  : parent,
              )
            : measureFragment(selection.name.value);
      total.depth = Math.max(total.depth, m.depth);
      total.aliases = saturate(total.aliases + m.aliases);
      total.cost = saturate(total.cost + m.cost);
    }
    return total;
  }

  return measureSet(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
}
