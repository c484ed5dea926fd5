import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { badInput, PublicErrorCode } from './errors';
import { createLogger } from './logger';
import { publicErrorFormatter } from './public-errors';

const logged: string[] = [];
const logger = createLogger('error', (line) => logged.push(line));
const asFormatted = (error: GraphQLError): GraphQLFormattedError => ({
  ...error.toJSON(),
  path: ['customer'],
});
const production = publicErrorFormatter(false, logger, 'contacts');
const development = publicErrorFormatter(true, logger, 'contacts');

describe('publicErrorFormatter', () => {
  it('hides an unexpected failure in production, and logs it', () => {
    const failure = new GraphQLError('connection refused to 10.0.0.5:5432', {
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(production(asFormatted(failure), failure)).toEqual({
      message: 'internal error',
      path: ['customer'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(logged.at(-1)).toMatch(/contacts error path=customer/);
  });

  it('keeps the details outside production', () => {
    const failure = new GraphQLError('boom', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(development(asFormatted(failure), failure).message).toBe('boom');
  });

  it('passes public errors with their message, field, limit and actual', () => {
    const refusal = badInput('first', '"first" is too large');
    expect(production(asFormatted(refusal), refusal)).toEqual({
      message: '"first" is too large',
      path: ['customer'],
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
  });

  it('treats a code not in the public enum as internal', () => {
    const odd = new GraphQLError('SELECT * FROM customer failed', {
      extensions: { code: 'SOME_LIBRARY_CODE' },
    });
    expect(production(asFormatted(odd), odd).extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
  });

  it('drops internal extensions (reason, response, stacktrace) from public codes in production', () => {
    const unavailable = new GraphQLError('the marketing service is unavailable', {
      extensions: {
        code: PublicErrorCode.SUBGRAPH_UNAVAILABLE,
        serviceName: 'marketing',
        reason: 'connect ECONNREFUSED 10.0.0.7:4004',
        response: { url: 'http://10.0.0.7:4004/graphql', body: 'boom' },
        stacktrace: ['at x (/srv/app.js:1:1)'],
      },
    });
    expect(production(asFormatted(unavailable), unavailable)).toEqual({
      message: 'the marketing service is unavailable',
      path: ['customer'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'marketing' },
    });
  });

  it('answers a statement cancelled by statement_timeout as REQUEST_TIMEOUT, without the SQL', () => {
    const pgError = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
    });
    const wrapped = new GraphQLError(pgError.message, { originalError: pgError });
    const formatted = production(asFormatted(wrapped), wrapped);
    expect(formatted.extensions).toEqual({ code: 'REQUEST_TIMEOUT' });
    expect(formatted.message).not.toMatch(/statement/);
  });
});
