import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, parsePage, toConnection, MAX_PAGE_SIZE } from './pagination';

describe('pagination', () => {
  it('round-trips a cursor', () => {
    const cursor = { sortKey: '2026-01-01T00:00:00.000Z', id: 'abc' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each(['not a cursor', Buffer.from('{"a":1}').toString('base64url'), ''])(
    'rejects the malformed cursor %j as BAD_USER_INPUT naming the argument',
    (bad) => {
      let thrown: unknown;
      try {
        parsePage({ first: 1, after: bad || 'x' });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(GraphQLError);
      expect((thrown as GraphQLError).extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'after',
      });
    },
  );

  it.each([-1, MAX_PAGE_SIZE + 1, 1.5])('rejects first = %p', (first) => {
    expect(() => parsePage({ first })).toThrow(/"first" must be an integer/);
  });

  it('defaults first and accepts no cursor', () => {
    expect(parsePage({}, 7)).toEqual({ first: 7, after: null });
  });

  it('builds a connection from first + 1 rows', () => {
    const rows = [
      { id: 'a', at: '3' },
      { id: 'b', at: '2' },
      { id: 'c', at: '1' },
    ];
    const conn = toConnection(rows, 2, (r) => ({ sortKey: r.at, id: r.id }));
    expect(conn.edges.map((e) => e.node.id)).toEqual(['a', 'b']);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    expect(decodeCursor(conn.pageInfo.endCursor!)).toEqual({ sortKey: '2', id: 'b' });
  });

  it('reports the last page', () => {
    const conn = toConnection([{ id: 'a' }], 5, (r) => ({ sortKey: 'k', id: r.id }));
    expect(conn.pageInfo).toEqual({ hasNextPage: false, endCursor: conn.edges[0].cursor });
  });
});
