import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds a file by its path from the repository root, walking up from `from`, so
 * the same code works from src/ (tsx, jest) and from dist/ (node in Docker).
 */
export function findRepoFile(relative: string, from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${relative} above ${from}`);
    dir = parent;
  }
}

export function readRepoFile(relative: string): string {
  return readFileSync(findRepoFile(relative), 'utf8');
}

/** The repository root (the folder holding schema/). */
export function repoRoot(from: string = __dirname): string {
  return path.dirname(path.dirname(findRepoFile('schema/contacts.graphql', from)));
}
