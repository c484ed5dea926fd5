// What contacts' audit entries say of a filter or a patch: kinds and field names,
// never the values (a filter's `name: { contains: "Lan" }` names a person).
import type { AuditDetail } from '@customer-graph/runtime';
import type { CustomerFilterInput } from '../filter/filter.types';

/**
 * A filter's kind: ALL (no condition), LIST (a saved list), LIST_PART (a split part of
 * one: the list and a range), or FILTER; its top-level fields, and the list's id.
 */
export function filterDetail(filter: CustomerFilterInput | null | undefined): AuditDetail {
  const fields = Object.entries(filter ?? {})
    .filter(([, value]) => value != null)
    .map(([key]) => key)
    .sort();
  const onlyList = fields.every((f) => f === 'inList' || f === 'range');
  const kind =
    fields.length === 0
      ? 'ALL'
      : fields.includes('inList') && onlyList
        ? fields.includes('range')
          ? 'LIST_PART'
          : 'LIST'
        : 'FILTER';
  return {
    filterKind: kind,
    ...(fields.length > 0 && { filterFields: fields.join(',') }),
    ...(typeof filter?.inList === 'string' && /^[0-9a-f-]{36}$/i.test(filter.inList)
      ? { listId: filter.inList }
      : {}),
  };
}

/** The names of the fields a patch sets (not their values). */
export function patchFields(patch: object): string {
  return Object.keys(patch).sort().join(',') || 'none';
}
