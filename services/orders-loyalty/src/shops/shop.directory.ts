// The claims on each shop, as the webhook needs them, cached in memory for a moment so
// that neither a steady flow of pushes nor forged traffic reads the table on every
// request. A shop nobody claims is cached too (negatively): a flood of pushes for
// made-up shops costs one read per shop per SHOP_CACHE_MS. connectShop and
// disconnectShop forget the cache of their process at once; another process sees the
// change within SHOP_CACHE_MS. (The same scheme as followers' oa.directory.ts.)
import type { DataSource } from 'typeorm';
import { ShopConnectionEntity } from './shop.entity';
import type { ShopConnectionRow } from './shop.entity';
import type { OrderSource } from '../orders/order.entity';

/** How long the claims on a shop (or the lack of any) are trusted from memory. */
export const SHOP_CACHE_MS = 2000;
/** At most this many shops are remembered; the oldest entry makes room. */
const SHOP_CACHE_ENTRIES = 10_000;
/** A signature that matches no cached claim re-reads them, at most this often per shop. */
const REFRESH_ON_MISMATCH_MS = 250;

export interface ShopDirectory {
  /** The claims on the shop (at most one CONNECTED); `fresh` skips the cache. */
  claims(source: OrderSource, shopId: string, fresh?: boolean): Promise<ShopConnectionRow[]>;
  /** Whether a re-read after a signature mismatch is due (it was not read just now). */
  mayRefresh(source: OrderSource, shopId: string): boolean;
  /** Drops everything remembered (a claim was made, changed, won, lost or removed). */
  forget(): void;
}

const directories = new WeakMap<DataSource, ShopDirectory>();

/** The directory of this database, shared by the webhook and the resolvers. */
export function shopDirectory(db: DataSource): ShopDirectory {
  let directory = directories.get(db);
  if (!directory) {
    directory = createDirectory(db);
    directories.set(db, directory);
  }
  return directory;
}

function createDirectory(db: DataSource): ShopDirectory {
  const shops = db.getRepository(ShopConnectionEntity);
  // The read itself is cached, so requests arriving together share one.
  const cache = new Map<string, { claims: Promise<ShopConnectionRow[]>; readAt: number }>();
  const keyOf = (source: string, shopId: string) => `${source}\u0000${shopId}`;
  return {
    claims(source, shopId, fresh = false) {
      const key = keyOf(source, shopId);
      const hit = cache.get(key);
      if (!fresh && hit && Date.now() - hit.readAt < SHOP_CACHE_MS) return hit.claims;
      const claims = shops.findBy({ source, shopId });
      const entry = { claims, readAt: Date.now() };
      cache.delete(key);
      if (cache.size >= SHOP_CACHE_ENTRIES) {
        // Map keeps insertion order: the first key is the entry read longest ago.
        cache.delete(cache.keys().next().value as string);
      }
      cache.set(key, entry);
      // A failed read is not remembered (the caller gets its error).
      claims.catch(() => cache.get(key) === entry && cache.delete(key));
      return claims;
    },
    mayRefresh(source, shopId) {
      const hit = cache.get(keyOf(source, shopId));
      return !hit || Date.now() - hit.readAt >= REFRESH_ON_MISMATCH_MS;
    },
    forget() {
      cache.clear();
    },
  };
}
