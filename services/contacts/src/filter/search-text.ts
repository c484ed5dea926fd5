// The search form of Vietnamese text, as stored in the `*_search` columns: what a
// seller types without diacritics ("nguyen van duc") finds "Nguyễn Văn Đức".

const COMBINING_MARKS = /\p{M}/gu;
const WHITESPACE_RUNS = /\s+/g;
const LIKE_SPECIALS = /[\\%_]/g;

/** Lower-case, diacritics removed, đ → d, whitespace collapsed and trimmed. */
export function foldSearchText(s: string): string {
  return (
    s
      // NFD splits every accented letter into a base letter and combining marks
      // (whatever form the input came in); lower-casing before stripping catches
      // marks that lower-casing itself introduces (İ → i + dot above).
      .normalize('NFD')
      .toLowerCase()
      .replace(COMBINING_MARKS, '')
      // đ is a letter of its own, not d plus a mark, so NFD leaves it alone.
      .replace(/đ/g, 'd')
      .replace(WHITESPACE_RUNS, ' ')
      .trim()
  );
}

/** Escapes LIKE's wildcards and its escape character (backslash, PostgreSQL's default). */
export function escapeLike(s: string): string {
  return s.replace(LIKE_SPECIALS, (c) => `\\${c}`);
}
