// A bad argument value is a client's input error wherever graphql-js catches it. When
// the value is written in the query (`filter: { name: { gt: "a" } }`), graphql-js
// reports it as a validation failure; when it comes in a variable, Apollo already
// says BAD_USER_INPUT. Both are answered as BAD_USER_INPUT here, naming the input
// field the message names, so a client handles one code for bad input.
import type { GraphQLFormattedError } from 'graphql';

const VALUE_PROBLEMS = [
  /Field "([^"]+)" is not defined by type "[^"]+"/,
  /Expected value of type "[^"]+", found .*/,
  /Field "[^"]+\.([^"]+)" of required type "[^"]+" was not provided/,
  /Enum "[^"]+" cannot represent non-enum value/,
];

const VARIABLE_PATH = /got invalid value .* at "([^"]+)"/;

export function inputErrorAsBadUserInput(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code !== 'GRAPHQL_VALIDATION_FAILED' && code !== 'BAD_USER_INPUT') return formatted;
  // A variable's bad value names its path ("i.dueAt"), which beats what the value's own
  // check named (a custom scalar names itself: "DateTime", "VND").
  const path = VARIABLE_PATH.exec(formatted.message)?.[1];
  const problem = VALUE_PROBLEMS.map((re) => re.exec(formatted.message)).find(Boolean);
  if (!problem && !path) return formatted;
  const field = path ?? formatted.extensions?.field ?? problem?.[1] ?? undefined;
  return {
    ...formatted,
    extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT', ...(field ? { field } : {}) },
  };
}
