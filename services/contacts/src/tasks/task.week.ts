// "Due this week" is a week of the seller's calendar: Monday 00:00 to the next Monday
// 00:00 in Vietnam time (Asia/Ho_Chi_Minh), whatever zone the server runs in.
// Vietnam has kept UTC+7 without daylight saving since 1975, so the week is computed
// with that fixed offset, in code, where a test can pin the instant.

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Week {
  /** Monday 00:00 Vietnam time (included). */
  from: Date;
  /** The next Monday 00:00 Vietnam time (excluded). */
  to: Date;
}

/** The Vietnamese calendar week `now` falls in. */
export function vietnamWeek(now: Date): Week {
  // The UTC fields of this shifted instant are the wall clock in Vietnam.
  const local = new Date(now.getTime() + VIETNAM_OFFSET_MS);
  const sinceMonday = (local.getUTCDay() + 6) % 7;
  const monday = Date.UTC(
    local.getUTCFullYear(),
    local.getUTCMonth(),
    local.getUTCDate() - sinceMonday,
  );
  const from = new Date(monday - VIETNAM_OFFSET_MS);
  return { from, to: new Date(from.getTime() + 7 * DAY_MS) };
}
