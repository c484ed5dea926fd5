// bench:customers' cases: the list's common filters, each as the list builds it
// in-process (ListArgs) and as a client sends it through the gateway (GraphQL).
import type { ListArgs } from '@customer-graph/contacts';

export interface Case {
  name: string;
  args: Omit<ListArgs, 'field'>;
  staff?: string;
}

export const CASES: Case[] = [
  { name: 'newest first, no filter', args: {} },
  { name: 'page 2 000 deep (keyset)', args: {} },
  {
    name: 'name contains "nguyen van duc" (diacritics ignored)',
    args: { filter: { name: { contains: 'nguyen van duc' } } },
  },
  {
    name: 'name contains "nguyen" (one customer in sixteen)',
    args: { filter: { name: { contains: 'nguyen' } } },
  },
  {
    name: 'name contains a text nobody has ("nguyen van xyz")',
    args: { filter: { name: { contains: 'nguyen van xyz' } } },
  },
  {
    name: 'name starts with "tran thi", sorted by name',
    args: {
      filter: { name: { startsWith: 'tran thi' } },
      sort: [{ field: 'NAME', direction: 'ASC' }],
    },
  },
  {
    name: 'phone any form: eq "0900 012 346"',
    args: { filter: { phone: { eq: '0900 012 346' } } },
  },
  { name: 'has no phone', args: { filter: { phone: { isEmpty: true } } } },
  { name: 'has a phone', args: { filter: { phone: { isNotEmpty: true } } } },
  {
    name: 'email eq (case-insensitive)',
    args: { filter: { email: { eq: 'KHACH300@example.vn' } } },
  },
  { name: 'tags containsAny [vip]', args: { filter: { tags: { containsAny: ['vip'] } } } },
  {
    name: 'city eq Hà Nội and created in 2024',
    args: {
      filter: {
        city: { eq: 'Hà Nội' },
        createdAt: {
          gte: new Date('2024-01-01T00:00:00+07:00'),
          lt: new Date('2025-01-01T00:00:00+07:00'),
        },
      },
    },
  },
  {
    name: 'birthday between, or group PRIORITY',
    args: {
      filter: {
        or: [
          { birthday: { between: ['1990-01-01', '1990-01-31'] } },
          { group: { eq: 'PRIORITY' } },
        ],
      },
    },
  },
  { name: 'custom tier eq gold', args: { filter: { custom: [{ key: 'tier', eq: 'gold' }] } } },
  { name: 'staff member sees their own (staff-7)', args: {}, staff: 'staff-7' },
];

/** The page a client asks the gateway for: the list's own fields, 50 rows. */
export const GATEWAY_PAGE = `query CustomerListCase($f: CustomerFilter, $s: [CustomerSort!], $after: String) {
  customers(first: 50, filter: $f, sort: $s, after: $after) {
    pageInfo { endCursor hasNextPage }
    edges { node { id name phone email city type tags assignedStaff createdAt } }
  }
}`;

/** The count alone, as a client asks for it (no rows). */
export const GATEWAY_COUNT = `query CustomerCountCase($f: CustomerFilter) {
  customers(first: 0, filter: $f) { totalCount }
}`;

/** A case's variables for GATEWAY_PAGE (GATEWAY_COUNT takes `f` of them). */
export function gatewayVariables(c: Case, after: string | null): Record<string, unknown> {
  // Dates become ISO strings, as JSON carries them.
  return JSON.parse(
    JSON.stringify({ f: c.args.filter ?? null, s: c.args.sort ?? null, after }),
  ) as Record<string, unknown>;
}
