// bench:analytics' cases: groupings analysts ask for, over the customers of
// customers-seed.ts (1,000,000 in one workspace) and the orders of orders-seed.ts. Each
// is run in-process (the statement the service builds, on a connection set up as its
// pools are) and through the gateway (GraphQL, an analyst's token).
import type { CustomerFilterInput, CustomerStatsKey } from '@customer-graph/contacts';

export interface CustomerCase {
  name: string;
  filter?: CustomerFilterInput;
  groupBy: CustomerStatsKey[];
  /** The goal applies: a two-key grouping, p95 ≤ 500 ms. */
  twoKeys: boolean;
}

export const CUSTOMER_CASES: CustomerCase[] = [
  { name: 'by tier and city (no filter)', groupBy: ['TIER', 'CITY'], twoKeys: true },
  { name: 'by type and city (no filter)', groupBy: ['TYPE', 'CITY'], twoKeys: true },
  {
    name: 'by month created and type (no filter)',
    groupBy: ['CREATED_MONTH', 'TYPE'],
    twoKeys: true,
  },
  { name: 'by tag and city (many-valued, no filter)', groupBy: ['TAG', 'CITY'], twoKeys: true },
  {
    name: 'by staff and gender, created in 2024',
    filter: {
      createdAt: {
        gte: new Date('2024-01-01T00:00:00+07:00'),
        lt: new Date('2025-01-01T00:00:00+07:00'),
      },
    },
    groupBy: ['ASSIGNED_STAFF', 'GENDER'],
    twoKeys: true,
  },
  {
    name: 'by city and tier, has a phone and no tag "sale"',
    filter: { phone: { isNotEmpty: true }, not: { tags: { containsAny: ['sale'] } } },
    groupBy: ['CITY', 'TIER'],
    twoKeys: true,
  },
  {
    name: 'by city, type and month created (three keys)',
    groupBy: ['CITY', 'TYPE', 'CREATED_MONTH'],
    twoKeys: false,
  },
  { name: 'by type (one key)', groupBy: ['TYPE'], twoKeys: false },
];

export interface OrderCase {
  name: string;
  filter?: Record<string, unknown>;
  groupBy: ('SOURCE' | 'STATUS' | 'DAY' | 'MONTH' | 'ASSIGNED_STAFF' | 'TIER')[];
}

export const ORDER_CASES: OrderCase[] = [
  { name: 'by month and source (no filter)', groupBy: ['MONTH', 'SOURCE'] },
  { name: 'by source and status (no filter)', groupBy: ['SOURCE', 'STATUS'] },
  {
    name: 'by day, ordered in one month',
    filter: { orderedFrom: '2024-03-01T00:00:00+07:00', orderedTo: '2024-04-01T00:00:00+07:00' },
    groupBy: ['DAY'],
  },
];

export const CUSTOMER_STATS = `query CustomerStatsCase($f: CustomerFilter, $g: [CustomerStatsKey!]!) {
  customerStats(filter: $f, groupBy: $g) { keys { key value } count }
}`;

export const ORDER_STATS = `query OrderStatsCase($f: OrderFilter, $g: [OrderStatsKey!]!) {
  orderStats(filter: $f, groupBy: $g) { keys { key value } count salesCount revenue averageOrderValue }
}`;
