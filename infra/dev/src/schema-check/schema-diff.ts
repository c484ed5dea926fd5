// The GraphQL half of `npm run schema:check`: the API schema the proposed SDL composes
// to, diffed against the base's with The Guild's @graphql-inspector/core, each change
// weighed against the registered operations (schema/operations/**):
//   - a BREAKING change that an operation relies on fails, naming the operation's
//     file, its name and the schema coordinate (the field) it relies on;
//   - a BREAKING change no operation relies on passes with a warning (a client
//     outside the registry may still use it);
//   - a DANGEROUS change (an enum value added, a default changed …) passes with a
//     warning, naming the operations it touches;
//   - every registered operation must still be valid against the proposed schema.
import { Supergraph } from '@apollo/federation-internals';
import { ChangeType, CriticalityLevel, diff } from '@graphql-inspector/core';
import type { Change } from '@graphql-inspector/core';
import { validate } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { composeSupergraph } from '../compose';
import { usedCoordinates } from './operation-usage';
import type { RegisteredOperation } from './operations';

export interface Findings {
  failures: string[];
  warnings: string[];
  notes: string[];
}

export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** Composes the proposed subgraph SDL; throws with every composition error. */
export function composeProposed(readSdl: (name: string) => string): string {
  const result = composeSupergraph(readSdl);
  if (!result.ok) {
    throw new Error(
      `the proposed SDL does not compose:\n${result.errors.map((e) => `  - ${e}`).join('\n')}`,
    );
  }
  return result.supergraphSdl;
}

/**
 * The coordinate an operation must use for `change` to touch it; undefined for a
 * change to the schema as a whole (its root types), which touches every operation.
 */
export function coordinateOf(change: Change): string | undefined {
  const path = change.path;
  if (!path) return undefined;
  const parts = path.split('.');
  switch (change.type) {
    // A new required argument, or a new default or type of one, matters to every
    // operation selecting the field, whether or not it passes the argument.
    case ChangeType.FieldArgumentAdded:
    case ChangeType.FieldArgumentDefaultChanged:
    case ChangeType.FieldArgumentTypeChanged:
      return parts.slice(0, 2).join('.');
    // A new required input field, a new default or a new enum value matters to every
    // operation using the type.
    case ChangeType.InputFieldAdded:
    case ChangeType.InputFieldDefaultValueChanged:
    case ChangeType.EnumValueAdded:
      return parts[0];
    default:
      // A directive's changes matter to the operations using the directive.
      return path.startsWith('@') ? parts[0] : path;
  }
}

interface OperationUse {
  operation: RegisteredOperation;
  used: Set<string>;
}

function describe(use: OperationUse): string {
  return `${use.operation.file} (${use.operation.name})`;
}

/**
 * Weighs the changes from `base` to `proposed` against the operations registered on
 * the base (what clients run today: each read against the base schema) and checks
 * the proposed registry against the proposed schema.
 */
export async function schemaChangeFindings(
  base: GraphQLSchema,
  proposed: GraphQLSchema,
  baseOperations: RegisteredOperation[],
  proposedOperations: RegisteredOperation[],
): Promise<Findings> {
  const findings: Findings = { failures: [], warnings: [], notes: [] };
  const uses: OperationUse[] = [];
  for (const operation of baseOperations) {
    const errors = validate(base, operation.document);
    if (errors.length > 0) {
      findings.warnings.push(
        `${operation.file} (${operation.name}) is not valid against the base schema, so no change is weighed against it: ${errors[0].message}`,
      );
      continue;
    }
    uses.push({ operation, used: usedCoordinates(base, operation.document) });
  }
  let nonBreaking = 0;
  for (const change of await diff(base, proposed)) {
    const level = change.criticality.level;
    if (level === CriticalityLevel.NonBreaking) {
      nonBreaking++;
      continue;
    }
    const coordinate = coordinateOf(change);
    const touched = uses.filter((u) => coordinate === undefined || u.used.has(coordinate));
    const what = `${change.message} [${change.type}${change.path ? ` at ${change.path}` : ''}]`;
    if (level === CriticalityLevel.Breaking && touched.length > 0) {
      for (const use of touched) {
        findings.failures.push(
          `breaking change used by ${describe(use)}: ${what}; the operation uses ${coordinate ?? 'the schema root'}`,
        );
      }
    } else if (level === CriticalityLevel.Breaking) {
      findings.warnings.push(`breaking change no registered operation uses: ${what}`);
    } else {
      const by = touched.length > 0 ? `; it touches ${touched.map(describe).join(', ')}` : '';
      findings.warnings.push(
        `dangerous change: ${what}${change.criticality.reason ? ` (${change.criticality.reason})` : ''}${by}`,
      );
    }
  }
  for (const operation of proposedOperations) {
    for (const error of validate(proposed, operation.document)) {
      findings.failures.push(
        `${operation.file} (${operation.name}) is not valid against the proposed schema: ${error.message}`,
      );
    }
  }
  findings.notes.push(`${nonBreaking} safe schema changes`);
  return findings;
}
