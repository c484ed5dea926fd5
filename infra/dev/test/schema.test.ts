// The contracts between teams: the four SDL files must compose, the committed
// supergraph must be what they compose to, and the committed resolver types must be
// what codegen makes of them. A failure prints what to run.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { generate } from '@graphql-codegen/cli';
import { parse, validate } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { pagedFields, repoRoot } from '@customer-graph/runtime';
import { composeSupergraph, schemaDir, supergraphPath } from '../src/compose';
import { SUBGRAPH_NAMES as SUBGRAPHS } from '@customer-graph/runtime';

describe('schema contracts', () => {
  it('the subgraphs compose, and schema/supergraph.graphql is up to date', () => {
    const result = composeSupergraph();
    if (!result.ok) {
      throw new Error(`composition failed:\n${result.errors.map((e) => `  - ${e}`).join('\n')}`);
    }
    const committed = readFileSync(supergraphPath(), 'utf8');
    if (committed !== result.supergraphSdl) {
      throw new Error(
        'schema/supergraph.graphql is stale: run `npm run schema:compose` and commit it',
      );
    }
    expect(committed).toBe(result.supergraphSdl);
  });

  it('reports composition errors instead of composing', () => {
    const broken = composeSupergraph((name) =>
      name === 'marketing'
        ? readFileSync(path.join(repoRoot(), 'schema/marketing.graphql'), 'utf8').replace(
            'type PageInfo @shareable {',
            'type PageInfo {',
          )
        : readFileSync(path.join(repoRoot(), `schema/${name}.graphql`), 'utf8'),
    );
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.errors.join('\n')).toMatch(/PageInfo/);
  });

  it('every paged field states its page default and its cap, once, in its SDL', () => {
    const checked: string[] = [];
    const problems: string[] = [];
    for (const name of SUBGRAPHS) {
      const sdl = readFileSync(path.join(schemaDir(), `${name}.graphql`), 'utf8');
      const found = pagedFields(buildSubgraphSchema({ typeDefs: parse(sdl) }));
      checked.push(...found.checked);
      problems.push(...found.problems.map((p) => `${name}: ${p}`));
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        'Query.customers',
        'CustomerList.customers',
        'Customer.notes',
        'Customer.orders',
        'Customer.marketing',
        'Query.followers',
      ]),
    );
    expect(problems).toEqual([]);
  });

  it('the generated resolver types match the SDL', async () => {
    const cwd = process.cwd();
    process.chdir(repoRoot());
    try {
      const config = (await import(path.join(repoRoot(), 'codegen.ts'))).default;
      const outputs = await generate({ ...config, silent: true }, false);
      const stale = outputs
        .filter((o: { filename: string; content: string }) => {
          const current = readFileSync(path.join(repoRoot(), o.filename), 'utf8');
          return current !== o.content;
        })
        .map((o: { filename: string }) => o.filename);
      if (stale.length > 0) {
        throw new Error(`stale generated types (run \`npm run codegen\`): ${stale.join(', ')}`);
      }
      expect(outputs).toHaveLength(4);
    } finally {
      process.chdir(cwd);
    }
  });

  it('every trusted operation under schema/operations/ is valid against the supergraph', () => {
    const api = Supergraph.build(readFileSync(supergraphPath(), 'utf8'))
      .apiSchema()
      .toGraphQLJSSchema();
    const dir = path.join(repoRoot(), 'schema/operations');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.graphql'),
    );
    expect(files).toEqual(expect.arrayContaining(['frontend/customer-list.graphql']));
    for (const file of files) {
      const errors = validate(api, parse(readFileSync(path.join(dir, file), 'utf8')));
      expect({ file, errors: errors.map((e) => e.message) }).toEqual({ file, errors: [] });
    }
  });
});
