import { inputErrorAsBadUserInput } from './input-errors';

const validation = (message: string) => ({
  message,
  extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
});

describe('input errors', () => {
  it('answers an unknown input field written in the query as BAD_USER_INPUT naming it', () => {
    expect(
      inputErrorAsBadUserInput(validation('Field "gt" is not defined by type "StringFilter".')),
    ).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'gt' } });
  });

  it('names the variable path of a bad variable value', () => {
    const formatted = inputErrorAsBadUserInput({
      message:
        'Variable "$f" got invalid value { gt: "a" } at "f.name"; Field "gt" is not defined by type "StringFilter".',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'f.name' });
  });

  it('names the variable path of a value a custom scalar refused, not the scalar', () => {
    const formatted = inputErrorAsBadUserInput({
      message:
        'Variable "$i" got invalid value "soon" at "i.dueAt"; Expected type "DateTime". "soon" is not an ISO 8601 date-time',
      extensions: { code: 'BAD_USER_INPUT', field: 'DateTime' },
    });
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'i.dueAt' });
  });

  it('answers a value of the wrong type as BAD_USER_INPUT', () => {
    expect(
      inputErrorAsBadUserInput(validation('Expected value of type "Int", found "ten".')).extensions
        ?.code,
    ).toBe('BAD_USER_INPUT');
  });

  it('leaves other validation failures alone', () => {
    const unknownField = validation('Cannot query field "secretKey" on type "ZaloOA".');
    expect(inputErrorAsBadUserInput(unknownField)).toBe(unknownField);
  });
});
