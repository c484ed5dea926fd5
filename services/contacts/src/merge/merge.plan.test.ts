// The profile a merge plans, without a database: choices, what is discarded, unions,
// limits and figures.
import { thrownBy } from '@customer-graph/runtime/testing';
import type { CustomerRow } from '../customers/customer.entity';
import { planMerge } from './merge.plan';
import type { MergeCustomer } from './merge.types';

const NO_FIGURES = {
  orderCount: 0,
  totalSpent: '0',
  firstOrderAt: null,
  lastOrderAt: null,
  hasLiveOrder: false,
};

function customer(id: string, row: Partial<CustomerRow> = {}, more: Partial<MergeCustomer> = {}) {
  return {
    row: {
      id,
      workspaceId: 'ws',
      name: null,
      email: null,
      address: null,
      city: null,
      birthday: null,
      gender: null,
      timezone: null,
      avatarUrl: null,
      tags: [],
      labels: [],
      assignedStaff: null,
      group: null,
      type: 'VISITOR',
      custom: {},
      createdAt: new Date(0),
      updatedAt: new Date(0),
      ...row,
    },
    figures: NO_FIGURES,
    phones: [],
    externalIds: [],
    ...more,
  } as MergeCustomer;
}

const field = (plan: ReturnType<typeof planMerge>, name: string) =>
  plan.fields.find((f) => f.field === name);

it('keeps the survivor’s values, fills its empty ones in the order given, and says what it leaves', () => {
  const plan = planMerge(
    customer('s', { name: 'Hoa', email: 'HOA@x.vn' }),
    [
      customer('a', { city: 'Huế', email: 'hoa@x.vn' }),
      customer('b', { city: 'Vinh', name: 'H.' }),
    ],
    [],
  );
  expect(field(plan, 'name')).toEqual({ field: 'name', value: 'Hoa', from: 's' });
  expect(field(plan, 'city')).toEqual({ field: 'city', value: 'Huế', from: 'a' });
  expect(field(plan, 'gender')).toEqual({ field: 'gender', value: null, from: null });
  // The same address in another case is not a second email.
  expect(plan.discarded).toEqual([
    { field: 'name', value: 'H.', from: 'b' },
    { field: 'city', value: 'Vinh', from: 'b' },
  ]);
});

it('takes a chosen value even when it is empty, and chosen custom values', () => {
  const plan = planMerge(
    customer('s', { group: 'PRIORITY', custom: { size: 40 } }),
    [customer('a', { custom: { size: 42, tier: 'gold' } })],
    [
      { field: 'group', from: 'a' },
      { field: 'custom.size', from: 'a' },
    ],
  );
  expect(plan.values.group).toBeNull();
  expect(plan.values.custom).toEqual({ size: 42, tier: 'gold' });
  expect(plan.discarded).toEqual([
    { field: 'group', value: 'PRIORITY', from: 's' },
    { field: 'custom.size', value: 40, from: 's' },
  ]);
});

it('unions phones (the survivor’s primary first, a number once), tags and labels', () => {
  const plan = planMerge(
    customer('s', { tags: ['vip'] }, { phones: [{ number: '0912', e164: '+84912' }] }),
    [
      customer(
        'a',
        { tags: ['vip', 'hn'], labels: ['mới'] },
        {
          phones: [
            { number: '0913', e164: '+84913' },
            { number: '+84 912', e164: '+84912' },
          ],
        },
      ),
    ],
    [],
  );
  expect(plan.phones).toEqual([
    { number: '0912', e164: '+84912', primary: true, from: 's' },
    { number: '0913', e164: '+84913', primary: false, from: 'a' },
  ]);
  expect(plan.values.tags).toEqual(['vip', 'hn']);
  expect(plan.values.labels).toEqual(['mới']);
});

it('refuses a result holding more tags than a customer may', () => {
  const tags = (from: number) => Array.from({ length: 30 }, (_, i) => `t${from + i}`);
  const error = thrownBy(() =>
    planMerge(customer('s', { tags: tags(0) }), [customer('a', { tags: tags(30) })], []),
  );
  expect(error.extensions).toMatchObject({ field: 'mergedIds', limit: 50, actual: 60 });
});

it('adds up the order figures', () => {
  const figures = (n: number, spent: string, first: string, live: boolean) => ({
    figures: {
      orderCount: n,
      totalSpent: spent,
      firstOrderAt: new Date(first),
      lastOrderAt: new Date(first),
      hasLiveOrder: live,
    },
  });
  const plan = planMerge(
    customer('s', {}, figures(2, '9007199254740993', '2026-02-01', false)),
    [customer('a', {}, figures(1, '7', '2026-01-01', true))],
    [],
  );
  expect(plan.figures).toEqual({
    orderCount: 3,
    totalSpent: '9007199254741000',
    firstOrderAt: new Date('2026-01-01'),
    lastOrderAt: new Date('2026-02-01'),
    hasLiveOrder: true,
  });
});
