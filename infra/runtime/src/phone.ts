// Phone numbers as Vietnamese sellers and customers write them, to one E.164 form.
//
// Accepted: spaces, dots, dashes, parentheses and full-width digits anywhere;
// "0…" (national), "84…" / "+84…" / "0084…" (international), and nine-digit national
// numbers whose leading 0 a spreadsheet dropped. Old 11-digit mobile numbers are
// mapped to their 2018 replacements (0168 → 038 …), so a customer who typed the old
// number and a follower who shares the new one are the same person.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { badInput } from './errors';

/** Old 11-digit mobile prefixes (without the 0) → their 2018 replacements. */
const OLD_MOBILE_PREFIXES: Record<string, string> = {
  '120': '70',
  '121': '79',
  '122': '77',
  '123': '83',
  '124': '84',
  '125': '85',
  '126': '76',
  '127': '81',
  '128': '78',
  '129': '82',
  '162': '32',
  '163': '33',
  '164': '34',
  '165': '35',
  '166': '36',
  '167': '37',
  '168': '38',
  '169': '39',
  '186': '56',
  '188': '58',
  '199': '59',
};

const SEPARATORS = /[\s.\-()\u00a0]/g;

/** The E.164 form (`+84912345678`) of a phone number, or null when it cannot be one. */
export function toE164(typed: string): string | null {
  // NFKC folds full-width digits and plus signs (０９１２…, ＋８４…) to ASCII.
  const compact = typed.normalize('NFKC').replace(SEPARATORS, '');
  if (!/^\+?\d{6,15}$/.test(compact)) return null;
  let digits = compact;
  if (digits.startsWith('+')) {
    if (!digits.startsWith('+84')) {
      const foreign = parsePhoneNumberFromString(digits);
      return foreign?.isValid() ? foreign.number : null;
    }
    digits = digits.slice(3);
  } else if (digits.startsWith('0084')) {
    digits = digits.slice(4);
  } else if (digits.startsWith('84') && digits.length >= 11) {
    digits = digits.slice(2);
  } else if (digits.startsWith('0')) {
    digits = digits.slice(1);
  } else if (digits.length !== 9) {
    // Only a nine-digit national number may come without its leading 0.
    return null;
  }
  if (digits.length === 10 && digits.startsWith('1')) {
    const replacement = OLD_MOBILE_PREFIXES[digits.slice(0, 3)];
    if (!replacement) return null;
    digits = replacement + digits.slice(3);
  }
  const parsed = parsePhoneNumberFromString(`+84${digits}`);
  return parsed?.isValid() ? parsed.number : null;
}

export interface Phone {
  /** As typed, kept for display. */
  typed: string;
  /** Normalised, for matching and uniqueness. */
  e164: string;
}

/** Normalises a phone given as input `field`; an impossible number is BAD_USER_INPUT. */
export function normalisePhone(typed: string, field = 'phone'): Phone {
  const e164 = toE164(typed);
  if (!e164) {
    throw badInput(field, `"${typed}" is not a valid phone number`);
  }
  return { typed: typed.trim(), e164 };
}
