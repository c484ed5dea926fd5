// A request's phone numbers, each parsed once. Parsing a number (libphonenumber's full
// metadata) is the costly part of reading a filter or a phone list; the same number
// often appears many times in one request (a filter repeated in aliases, a list with
// duplicates), so the request keeps what it has parsed. The memo lives as long as the
// request (it hangs off the request's loaders) and is bounded by what the request may
// carry: the filter and phone-list caps.
import { toE164 } from '@customer-graph/runtime';

export type E164Of = (typed: string) => string | null;

export function createPhoneMemo(parse: E164Of = toE164): E164Of {
  const seen = new Map<string, string | null>();
  return (typed) => {
    let e164 = seen.get(typed);
    if (e164 === undefined) {
      e164 = parse(typed);
      seen.set(typed, e164);
    }
    return e164;
  };
}
