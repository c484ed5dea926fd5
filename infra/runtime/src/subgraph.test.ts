import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { badInput } from './errors';
import { createLogger } from './logger';
import { formatSubgraphError } from './subgraph';

const logged: string[] = [];
const logger = createLogger('error', (line) => logged.push(line));
const asFormatted = (error: GraphQLError): GraphQLFormattedError => ({
  ...error.toJSON(),
  path: ['customer'],
});

describe('formatSubgraphError', () => {
  it('hides an unexpected failure in production, and logs it', () => {
    const failure = new GraphQLError('connection refused to 10.0.0.5:5432', {
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    const formatted = formatSubgraphError(false, logger)(asFormatted(failure), failure);
    expect(formatted).toEqual({
      message: 'internal error',
      path: ['customer'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(logged.at(-1)).toMatch(/resolver failed path=customer/);
  });

  it('keeps the details outside production', () => {
    const failure = new GraphQLError('boom', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(formatSubgraphError(true, logger)(asFormatted(failure), failure).message).toBe('boom');
  });

  it('passes public errors through unchanged', () => {
    const refusal = badInput('first', '"first" is too large');
    const formatted = asFormatted(refusal);
    expect(formatSubgraphError(false, logger)(formatted, refusal)).toBe(formatted);
  });
});
