// What of a schema an operation relies on, as schema coordinates: `Customer` (a
// type), `Customer.name` (a field, or an input field, or an enum value
// `OrderStatus.PAID`), `Query.customers.filter` (an argument it passes),
// `@include` (a directive). A breaking change touches an operation when it changes
// one of these (schema-diff.ts).
//
// Inputs are counted generously where the document cannot say what a client sends:
// a variable of an input object type may carry any of its fields at run time, so
// every field of that type (and of the input types inside it) counts as used, and
// an enum reachable from an input or an output counts with all its values. A literal
// object (`filter: { orderedFrom: $from }`) uses only the fields it writes.
import {
  TypeInfo,
  getNamedType,
  isEnumType,
  isInputObjectType,
  typeFromAST,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { DocumentNode, GraphQLNamedType, GraphQLSchema } from 'graphql';

export function usedCoordinates(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const used = new Set<string>();
  // Types whose every value or input field is already counted.
  const whole = new Set<string>();
  const addType = (type: GraphQLNamedType | null | undefined, wholeInput: boolean) => {
    if (!type) return;
    used.add(type.name);
    if (whole.has(type.name)) return;
    if (isEnumType(type)) {
      whole.add(type.name);
      for (const value of type.getValues()) used.add(`${type.name}.${value.name}`);
    } else if (isInputObjectType(type) && wholeInput) {
      // Marked first: recursive input types (CustomerFilter.and) end here.
      whole.add(type.name);
      for (const field of Object.values(type.getFields())) {
        used.add(`${type.name}.${field.name}`);
        addType(getNamedType(field.type), true);
      }
    }
  };
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type);
        addType(type ? getNamedType(type) : undefined, true);
      },
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        used.add(`${parent.name}.${field.name}`);
        addType(getNamedType(field.type), false);
      },
      Argument() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        const argument = typeInfo.getArgument();
        const directive = typeInfo.getDirective();
        if (!argument) return;
        if (directive) used.add(`@${directive.name}.${argument.name}`);
        else if (parent && field) used.add(`${parent.name}.${field.name}.${argument.name}`);
        addType(getNamedType(argument.type), false);
      },
      ObjectField(node) {
        const parent = getNamedType(typeInfo.getParentInputType());
        if (!parent) return;
        used.add(`${parent.name}.${node.name.value}`);
        addType(getNamedType(typeInfo.getInputType()), false);
      },
      InlineFragment() {
        addType(typeInfo.getType() ? getNamedType(typeInfo.getType()) : undefined, false);
      },
      FragmentDefinition() {
        addType(typeInfo.getType() ? getNamedType(typeInfo.getType()) : undefined, false);
      },
      Directive() {
        const directive = typeInfo.getDirective();
        if (directive) used.add(`@${directive.name}`);
      },
    }),
  );
  return used;
}
