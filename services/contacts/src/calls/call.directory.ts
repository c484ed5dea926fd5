// The phone-system connections, as the webhook needs them, cached in memory for a
// moment so that neither a steady flow of call events nor forged traffic reads the
// table on every request. A connection id nobody has is cached too (negatively): a
// flood of events for made-up ids costs one read per id per PROVIDER_CACHE_MS.
// connectCallProvider and disconnectCallProvider forget the cache of their process at
// once; another process sees the change within PROVIDER_CACHE_MS. (The scheme of
// followers' oa.directory.ts and orders' shop.directory.ts.)
import type { DataSource } from 'typeorm';
import { CallProviderEntity } from './call.entity';
import type { CallProviderRow } from './call.entity';

/** How long a connection (or the lack of one) is trusted from memory. */
export const PROVIDER_CACHE_MS = 2000;
/** At most this many connection ids are remembered; the oldest entry makes room. */
const PROVIDER_CACHE_ENTRIES = 10_000;
/** A signature that matches no cached secret re-reads it, at most this often per id. */
const REFRESH_ON_MISMATCH_MS = 250;

export interface ProviderDirectory {
  /** The connection with this id, or null; `fresh` skips the cache. */
  byId(connectionId: string, fresh?: boolean): Promise<CallProviderRow | null>;
  /** Whether a re-read after a signature mismatch is due (it was not read just now). */
  mayRefresh(connectionId: string): boolean;
  /** Drops everything remembered (a connection was made, re-keyed or removed). */
  forget(): void;
}

const directories = new WeakMap<DataSource, ProviderDirectory>();

/** The directory of this database, shared by the webhook and the resolvers. */
export function providerDirectory(db: DataSource): ProviderDirectory {
  let directory = directories.get(db);
  if (!directory) {
    directory = createDirectory(db);
    directories.set(db, directory);
  }
  return directory;
}

function createDirectory(db: DataSource): ProviderDirectory {
  const providers = db.getRepository(CallProviderEntity);
  // The read itself is cached, so requests arriving together share one.
  const cache = new Map<string, { row: Promise<CallProviderRow | null>; readAt: number }>();
  return {
    byId(connectionId, fresh = false) {
      const hit = cache.get(connectionId);
      if (!fresh && hit && Date.now() - hit.readAt < PROVIDER_CACHE_MS) return hit.row;
      // The one read not led by workspace_id: the connection id is what names the
      // workspace (its primary key).
      const row = providers.findOneBy({ id: connectionId });
      const entry = { row, readAt: Date.now() };
      cache.delete(connectionId);
      if (cache.size >= PROVIDER_CACHE_ENTRIES) {
        // Map keeps insertion order: the first key is the entry read longest ago.
        cache.delete(cache.keys().next().value as string);
      }
      cache.set(connectionId, entry);
      // A failed read is not remembered (the caller gets its error).
      row.catch(() => cache.get(connectionId) === entry && cache.delete(connectionId));
      return row;
    },
    mayRefresh(connectionId) {
      const hit = cache.get(connectionId);
      return !hit || Date.now() - hit.readAt >= REFRESH_ON_MISMATCH_MS;
    },
    forget() {
      cache.clear();
    },
  };
}
