// The claims on each OA id, as webhooks need them, cached in memory for a moment so
// that neither a steady flow of events nor forged traffic reads the table on every
// request. An OA id nobody claims is cached too (negatively): a flood of events for
// made-up OAs costs one read per id per OA_CACHE_MS. connectZaloOA forgets the cache
// of its process at once; another process sees the change within OA_CACHE_MS.
import type { DataSource } from 'typeorm';
import { ZaloOAEntity } from './oa.entity';
import type { ZaloOARow } from './oa.entity';

/** How long the claims on an OA id (or the lack of any) are trusted from memory. */
export const OA_CACHE_MS = 2000;
/** At most this many OA ids are remembered; the oldest entry makes room. */
const OA_CACHE_ENTRIES = 10_000;
/** A signature that matches no cached claim re-reads them, at most this often per OA. */
const REFRESH_ON_MISMATCH_MS = 250;

export interface OADirectory {
  /** The claims on the OA (at most one CONNECTED); `fresh` skips the cache. */
  claims(oaId: string, fresh?: boolean): Promise<ZaloOARow[]>;
  /** Whether a re-read after a signature mismatch is due (it was not read just now). */
  mayRefresh(oaId: string): boolean;
  /** Drops everything remembered (a claim was made, changed, won or lost). */
  forget(): void;
}

const directories = new WeakMap<DataSource, OADirectory>();

/** The directory of this database, shared by the webhook and the resolvers. */
export function oaDirectory(db: DataSource): OADirectory {
  let directory = directories.get(db);
  if (!directory) {
    directory = createDirectory(db);
    directories.set(db, directory);
  }
  return directory;
}

function createDirectory(db: DataSource): OADirectory {
  const oas = db.getRepository(ZaloOAEntity);
  // The read itself is cached, so requests arriving together share one.
  const cache = new Map<string, { claims: Promise<ZaloOARow[]>; readAt: number }>();
  return {
    claims(oaId, fresh = false) {
      const hit = cache.get(oaId);
      if (!fresh && hit && Date.now() - hit.readAt < OA_CACHE_MS) return hit.claims;
      const claims = oas.findBy({ oaId });
      const entry = { claims, readAt: Date.now() };
      cache.delete(oaId);
      if (cache.size >= OA_CACHE_ENTRIES) {
        // Map keeps insertion order: the first key is the entry read longest ago.
        cache.delete(cache.keys().next().value as string);
      }
      cache.set(oaId, entry);
      // A failed read is not remembered (the caller gets its error).
      claims.catch(() => cache.get(oaId) === entry && cache.delete(oaId));
      return claims;
    },
    mayRefresh(oaId) {
      const hit = cache.get(oaId);
      return !hit || Date.now() - hit.readAt >= REFRESH_ON_MISMATCH_MS;
    },
    forget() {
      cache.clear();
    },
  };
}
