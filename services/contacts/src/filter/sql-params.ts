// Positional parameters for one SQL statement. The caller may start with its own
// values (say the workspace id as $1) and the compiler numbers on from there.

export class SqlParams {
  readonly values: unknown[];

  /** `initial` is copied: values added here never show up in the caller's array. */
  constructor(initial: unknown[] = []) {
    this.values = [...initial];
  }

  /** Appends a value and returns its placeholder, `$1` for the first. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
