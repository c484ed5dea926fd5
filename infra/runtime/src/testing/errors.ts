// For unit tests of code that refuses input with a GraphQLError.
import { GraphQLError } from 'graphql';

/** The GraphQLError `run` throws; fails the test when it throws nothing or something else. */
export function thrownBy(run: () => unknown): GraphQLError {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected a GraphQLError, nothing was thrown');
}
