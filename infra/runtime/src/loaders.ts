// DataLoader helpers. Batch functions must return results dense and aligned to
// their keys; these do the aligning so each loader is a query plus one call.
import DataLoader from 'dataloader';

/** One result (or null) per key, in key order. */
export function alignOne<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): (R | null)[] {
  const byKey = new Map<K, R>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((key) => byKey.get(key) ?? null);
}

/** A list (possibly empty) per key, in key order. */
export function alignMany<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): R[][] {
  const byKey = new Map<K, R[]>();
  for (const row of rows) {
    const list = byKey.get(keyOf(row));
    if (list) list.push(row);
    else byKey.set(keyOf(row), [row]);
  }
  return keys.map((key) => byKey.get(key) ?? []);
}

/**
 * A family of loaders keyed by the list's arguments: for `orders(first: 10)` on 50
 * customers, every customer with the same arguments shares one batched query.
 */
export function loaderFamily<A, K, V>(
  batch: (args: A, keys: readonly K[]) => Promise<V[]>,
): (args: A) => DataLoader<K, V> {
  const loaders = new Map<string, DataLoader<K, V>>();
  return (args) => {
    const id = JSON.stringify(args);
    let loader = loaders.get(id);
    if (!loader) {
      loader = new DataLoader<K, V>((keys) => batch(args, keys));
      loaders.set(id, loader);
    }
    return loader;
  };
}
