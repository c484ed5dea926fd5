// What each field costs, read from the IBM cost spec directives in the supergraph
// (https://specs.apollo.dev/cost/v0.1, composed from the subgraphs' SDL). The gateway's
// API schema drops them, so the limits plugin reads them from the supergraph it serves
// (Apollo hands it over in schemaDidLoadOrUpdate). The SDL is the one statement of a
// list's cap and a mutation's weight; nothing here repeats a figure.
//   @listSize(assumedSize: 250, slicingArguments: ["first"])  a page of at most 250
//   @cost(weight: 1000) on a field                              the field instead of 1
//   @cost(weight: 250) on an argument                           see ArgumentWeight
import { Kind, parse } from 'graphql';
import type { ConstDirectiveNode, ConstValueNode, DocumentNode } from 'graphql';

export interface ListSize {
  /** The most rows the list brings: its cap, used when no slicing argument is given. */
  assumedSize?: number;
  /** Arguments whose value is the page size (`first`). */
  slicingArguments: string[];
}

export interface FieldCost {
  /** Replaces the default cost of 1 for the field itself. */
  weight?: number;
  listSize?: ListSize;
  /** Argument name → @cost weight. */
  argumentWeights: Map<string, number>;
}

/** `Type.field` → its cost directives; fields without any are absent. */
export type CostDirectives = Map<string, FieldCost>;

const COST_SPEC = 'https://specs.apollo.dev/cost/';

function argument(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((a) => a.name.value === name)?.value;
}

const intOf = (v: ConstValueNode | undefined) =>
  v?.kind === Kind.INT ? Number(v.value) : undefined;
const stringsOf = (v: ConstValueNode | undefined) =>
  v?.kind === Kind.LIST ? v.values.flatMap((s) => (s.kind === Kind.STRING ? [s.value] : [])) : [];

/**
 * The names the supergraph gives the two directives: `@link(url: ".../cost/v0.1",
 * as:, import:)` may rename them; unimported, listSize is `@cost__listSize`.
 */
function directiveNames(document: DocumentNode): { cost: string; listSize: string } {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) {
      continue;
    }
    for (const link of definition.directives ?? []) {
      const url = argument(link, 'url');
      if (link.name.value !== 'link' || url?.kind !== Kind.STRING) continue;
      if (!url.value.startsWith(COST_SPEC)) continue;
      const as = argument(link, 'as');
      const prefix = as?.kind === Kind.STRING ? as.value : 'cost';
      let listSize = `${prefix}__listSize`;
      const imports = argument(link, 'import');
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        if (entry.kind === Kind.STRING && entry.value === '@listSize') listSize = 'listSize';
        if (entry.kind === Kind.OBJECT) {
          const field = (n: string) => entry.fields.find((f) => f.name.value === n)?.value;
          const name = field('name');
          const renamed = field('as');
          if (name?.kind === Kind.STRING && name.value === '@listSize') {
            listSize = renamed?.kind === Kind.STRING ? renamed.value.slice(1) : 'listSize';
          }
        }
      }
      return { cost: prefix, listSize };
    }
  }
  return { cost: 'cost', listSize: 'cost__listSize' };
}

/** Reads every field's cost directives from a supergraph SDL (once per schema load). */
export function readCostDirectives(supergraphSdl: string): CostDirectives {
  const document = parse(supergraphSdl);
  const names = directiveNames(document);
  const costs: CostDirectives = new Map();
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    for (const field of definition.fields ?? []) {
      const cost: FieldCost = { argumentWeights: new Map() };
      for (const directive of field.directives ?? []) {
        if (directive.name.value === names.cost) cost.weight = intOf(argument(directive, 'weight'));
        if (directive.name.value === names.listSize) {
          cost.listSize = {
            assumedSize: intOf(argument(directive, 'assumedSize')),
            slicingArguments: stringsOf(argument(directive, 'slicingArguments')),
          };
        }
      }
      for (const arg of field.arguments ?? []) {
        const weight = arg.directives?.find((d) => d.name.value === names.cost);
        const value = weight && intOf(argument(weight, 'weight'));
        if (value !== undefined) cost.argumentWeights.set(arg.name.value, value);
      }
      if (cost.weight !== undefined || cost.listSize || cost.argumentWeights.size > 0) {
        costs.set(`${definition.name.value}.${field.name.value}`, cost);
      }
    }
  }
  return costs;
}
