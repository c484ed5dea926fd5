// What aggregates are checked against: a list's `totalCount` for each of many filters,
// asked as aliases of one query (`c0: customers(filter: $f0, first: 0) { totalCount }`),
// `perRequest` at a time (each alias may be heavy work the subgraph queues).
import type { Identity } from '../identity';
import type { TestSubgraph } from './subgraph';

export async function filteredTotals(
  subgraph: Pick<TestSubgraph, 'query'>,
  identity: Identity,
  list: { field: string; filterType: string },
  filters: readonly unknown[],
  perRequest = 20,
): Promise<number[]> {
  const counts: number[] = [];
  for (let i = 0; i < filters.length; i += perRequest) {
    const chunk = filters.slice(i, i + perRequest);
    const decl = chunk.map((_, j) => `$f${j}: ${list.filterType}`).join(', ');
    const fields = chunk.map(
      (_, j) => `c${j}: ${list.field}(filter: $f${j}, first: 0) { totalCount }`,
    );
    const body = await subgraph.query(
      identity,
      `query(${decl}) { ${fields.join(' ')} }`,
      Object.fromEntries(chunk.map((f, j) => [`f${j}`, f])),
    );
    if (body.errors) throw new Error(`${list.field} totals: ${JSON.stringify(body.errors)}`);
    chunk.forEach((_, j) => counts.push(body.data![`c${j}`].totalCount as number));
  }
  return counts;
}
