// Composition as a build step: the four subgraph SDL files → schema/supergraph.graphql.
// The gateway serves only the committed supergraph, so a subgraph change that does not
// compose fails here (and in CI), never in production.
import { composeServices } from '@apollo/composition';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { SUBGRAPHS, findRepoFile } from '@customer-graph/runtime';

export type CompositionResult =
  { ok: true; supergraphSdl: string; hints: string[] } | { ok: false; errors: string[] };

export function schemaDir(): string {
  return path.dirname(findRepoFile('schema/contacts.graphql'));
}

export function supergraphPath(): string {
  return path.join(schemaDir(), 'supergraph.graphql');
}

export function composeSupergraph(
  readSdl: (name: string) => string = (name) =>
    readFileSync(path.join(schemaDir(), `${name}.graphql`), 'utf8'),
): CompositionResult {
  const services = [];
  const errors: string[] = [];
  for (const { name, port } of SUBGRAPHS) {
    try {
      const url = `http://127.0.0.1:${port}/graphql`;
      services.push({ name, url, typeDefs: parse(readSdl(name)) });
    } catch (error) {
      errors.push(`${name}.graphql: ${(error as Error).message}`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map((e) => e.message) };
  return {
    ok: true,
    supergraphSdl: result.supergraphSdl + '\n',
    hints: result.hints.map((h) => h.toString()),
  };
}
