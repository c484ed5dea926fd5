import { vietnamWeek } from './task.week';

const at = (iso: string) => vietnamWeek(new Date(iso));
// Monday 2026-01-05 00:00 in Vietnam is Sunday 2026-01-04 17:00 UTC.
const WEEK_OF_JAN_5 = {
  from: new Date('2026-01-04T17:00:00.000Z'),
  to: new Date('2026-01-11T17:00:00.000Z'),
};

it('starts the week on Monday 00:00 Vietnam time, while it is still Sunday in UTC', () => {
  expect(at('2026-01-04T17:00:00.000Z')).toEqual(WEEK_OF_JAN_5);
  expect(at('2026-01-04T18:30:00.000Z')).toEqual(WEEK_OF_JAN_5);
});

it('ends the week at Sunday 24:00 Vietnam time, while it is still Sunday in UTC', () => {
  expect(at('2026-01-11T16:59:59.999Z')).toEqual(WEEK_OF_JAN_5);
  expect(at('2026-01-11T17:00:00.000Z')).toEqual({
    from: new Date('2026-01-11T17:00:00.000Z'),
    to: new Date('2026-01-18T17:00:00.000Z'),
  });
});

it('puts the last minutes of Sunday in Vietnam in the week ending then', () => {
  // Sunday 2026-01-04 23:59 in Vietnam: the week of Monday 2025-12-29.
  expect(at('2026-01-04T16:59:00.000Z')).toEqual({
    from: new Date('2025-12-28T17:00:00.000Z'),
    to: WEEK_OF_JAN_5.from,
  });
});

it('crosses months and years', () => {
  // Thursday 2026-01-01 09:00 in Vietnam.
  expect(at('2026-01-01T02:00:00.000Z').from).toEqual(new Date('2025-12-28T17:00:00.000Z'));
  // Sunday 2026-03-01 in Vietnam: the week began Monday 2026-02-23.
  expect(at('2026-03-01T10:00:00.000Z').from).toEqual(new Date('2026-02-22T17:00:00.000Z'));
});
