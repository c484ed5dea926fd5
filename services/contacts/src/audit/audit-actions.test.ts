import { Kind, parse } from 'graphql';
import { AUDIT_ACTIONS, readRepoFile } from '@customer-graph/runtime';

it("contacts' SDL enum AuditAction is the runtime's AuditAction, value for value", () => {
  const sdl = parse(readRepoFile('schema/contacts.graphql'));
  const values = sdl.definitions.flatMap((d) =>
    d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'AuditAction'
      ? (d.values ?? []).map((v) => v.name.value)
      : [],
  );
  expect(values).toEqual([...AUDIT_ACTIONS]);
});
