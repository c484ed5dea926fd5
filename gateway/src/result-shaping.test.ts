// shapeResponse against the library's computeResponse: for the frontends' operations and
// for operations written to reach every branch (aliases, fragments, @skip/@include,
// __typename, fields asked twice), on answers generated at random from the schema with
// nulls, missing fields, wrong leaf values and unknown __typenames mixed in, both give the
// same data, the same errors, or throw the same error.
import { readFileSync } from 'node:fs';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import type { Operation, SelectionSet, Type } from '@apollo/federation-internals';
import { computeResponse } from '@apollo/gateway/dist/resultShaping';
import { parse } from 'graphql';
import { findRepoFile } from '@customer-graph/runtime';
import { shapeResponse, useFastResultShaping } from './result-shaping';

// The library's own, taken before useFastResultShaping replaces its export.
const libraryShape = computeResponse;

const apiSchema = Supergraph.build(
  readFileSync(findRepoFile('schema/supergraph.graphql'), 'utf8'),
).apiSchema();

function operation(source: string): Operation {
  return operationFromDocument(apiSchema, parse(source), { validate: true });
}

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WRONG_LEAVES = [true, 1.5, 7, 'text', { an: 'object' }, [1], Number.NaN];

/** An answer for `selectionSet` as the merged subgraph answers could look, faults included. */
function answer(selectionSet: SelectionSet, rand: () => number, faults: boolean): unknown {
  const out: Record<string, unknown> = {};
  if (faults && rand() < 0.05) {
    out.__typename = rand() < 0.5 ? 'NoSuchType' : 'Money';
  } else if (rand() < 0.5) {
    out.__typename = selectionSet.parentType.name;
  }
  for (const selection of selectionSet.selections()) {
    if (selection.kind === 'FragmentSelection') {
      Object.assign(out, answer(selection.selectionSet, rand, faults));
      continue;
    }
    const field = selection.element;
    const name = field.responseName();
    if (field.name === '__typename') {
      if (rand() < 0.7) out[name] = rand() < 0.9 ? selectionSet.parentType.name : 'Nope';
      continue;
    }
    if (faults && rand() < 0.03) continue;
    out[name] = value(field.definition.type!, selection.selectionSet, rand, faults);
  }
  return out;
}

function value(
  type: Type,
  selectionSet: SelectionSet | undefined,
  rand: () => number,
  faults: boolean,
): unknown {
  if (type.kind === 'NonNullType') {
    return faults && rand() < 0.03 ? null : value(type.ofType, selectionSet, rand, faults);
  }
  if (rand() < (faults ? 0.1 : 0.03)) return null;
  if (type.kind === 'ListType') {
    return Array.from({ length: Math.floor(rand() * 4) }, () =>
      value(type.ofType, selectionSet, rand, faults),
    );
  }
  if (selectionSet) return answer(selectionSet, rand, faults);
  if (faults && rand() < 0.08) return WRONG_LEAVES[Math.floor(rand() * WRONG_LEAVES.length)];
  switch (type.kind === 'EnumType' ? 'enum' : type.name) {
    case 'enum': {
      const values = type.kind === 'EnumType' ? type.values : [];
      return values[Math.floor(rand() * values.length)]?.name ?? 'X';
    }
    case 'Int':
      return Math.floor(rand() * 1000) - 500;
    case 'Float':
      return rand() * 100;
    case 'Boolean':
      return rand() < 0.5;
    case 'ID':
      return rand() < 0.8 ? `id-${Math.floor(rand() * 1e6)}` : 42;
    default:
      return `s${Math.floor(rand() * 1000)}`;
  }
}

type Outcome = { data?: unknown; errors?: unknown[]; threw?: string };

function outcome(shape: typeof libraryShape, op: Operation, input: unknown, variables = {}) {
  try {
    const { data, errors } = shape({
      operation: op,
      variables,
      input: input as Record<string, unknown>,
      introspectionHandling: (f) => ({ introspected: f.element.responseName() }),
    });
    // Plain objects, so that the comparison sees values and key order alike.
    return {
      data: JSON.parse(JSON.stringify(data ?? null)),
      keys: JSON.stringify(data),
      errors: errors.map((e) => ({ message: e.message, path: e.path, code: e.extensions.code })),
    } as Outcome;
  } catch (error) {
    return { threw: (error as Error).message } as Outcome;
  }
}

function compare(source: string, variables: Record<string, unknown>, runs: number) {
  const op = operation(source);
  let withErrors = 0;
  for (let seed = 1; seed <= runs; seed++) {
    const rand = random(seed);
    const input = answer(op.selectionSet, rand, seed % 4 !== 0);
    const theirs = outcome(libraryShape, op, input, variables);
    const ours = outcome(shapeResponse, op, input, variables);
    expect(ours).toEqual(theirs);
    if (theirs.errors?.length || theirs.threw) withErrors++;
  }
  return withErrors;
}

const list = readFileSync(findRepoFile('schema/operations/frontend/customer-list.graphql'), 'utf8');
const detail = readFileSync(
  findRepoFile('schema/operations/frontend/customer-detail.graphql'),
  'utf8',
);

it('shapes the frontends’ pages as the library does, faults included', () => {
  // Some answers carry faults the library reports: the comparison covers its errors too.
  expect(compare(list, { first: 20 }, 300)).toBeGreaterThan(50);
  expect(compare(detail, { id: 'c1' }, 300)).toBeGreaterThan(50);
});

it('follows aliases, fragments, @skip/@include, __typename and fields asked twice', () => {
  const source = `
    query Q($yes: Boolean!, $no: Boolean = false) {
      __typename
      kind: __typename
      customers(first: 3) {
        totalCount
        edges {
          node {
            ...Row
            id
            name @skip(if: $yes)
            phone @include(if: $no)
            email @include(if: $yes)
            who: name
            t: __typename
            ... on Customer {
              id
              orderSummary { orderCount totalSpent }
              orders(first: 2) { edges { node { id code total } } }
            }
            ... @include(if: $yes) {
              city
              orders(first: 2) { edges { node { status __typename } } }
            }
          }
        }
      }
    }
    fragment Row on Customer {
      id
      tags
      createdAt
      orderSummary { lastOrderAt }
    }`;
  for (const variables of [{ yes: true }, { yes: false, no: true }, { yes: true, no: false }]) {
    expect(compare(source, variables, 200)).toBeGreaterThan(20);
  }
});

it('a variable that is not a boolean fails the same way, and only where it is visited', () => {
  const source = `query Q($x: Boolean!) { customers(first: 1) { edges { node { id name @skip(if: $x) } } } }`;
  const op = operation(source);
  const input = { customers: { edges: [{ node: { id: 'a', name: 'b' } }] } };
  const theirs = outcome(libraryShape, op, input, { x: 'yes' });
  expect(theirs.threw).toMatch(/Unexpected value yes/);
  expect(outcome(shapeResponse, op, input, { x: 'yes' })).toEqual(theirs);
  // Not reached: no edges, nothing thrown.
  const empty = { customers: { edges: [] } };
  expect(outcome(shapeResponse, op, empty, { x: 'yes' })).toEqual(
    outcome(libraryShape, op, empty, { x: 'yes' }),
  );
});

it('is what @apollo/gateway’s executeQueryPlan calls once installed', () => {
  useFastResultShaping();
  // executeQueryPlan reads computeResponse from this module's exports at each call.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const shaping = require('@apollo/gateway/dist/resultShaping');
  expect(shaping.computeResponse).toBe(shapeResponse);
  expect(useFastResultShaping()).toBe(libraryShape);
});
