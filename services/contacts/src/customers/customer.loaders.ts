import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { RequestScope } from '@customer-graph/runtime';
import { alignMany, alignOne, isUuid, staffScope, survivorsOf } from '@customer-graph/runtime';
import { createPhoneMemo } from '../filter/phone-memo';
import type { E164Of } from '../filter/phone-memo';
import type { CompiledWhere } from './customer.list';
import { CustomerEntity } from './customer.entity';
import type { CustomerRow } from './customer.entity';
import { CustomerPhoneEntity } from './customer-phone.entity';
import type { CustomerPhoneRow } from './customer-phone.entity';
import { ExternalIdEntity } from './external-id.entity';
import type { ExternalIdRow } from './external-id.entity';

export interface CustomerLoaders {
  /**
   * The workspace's customer by id (a merged customer's id gives the survivor); null
   * for unknown ids, other workspaces' ids and, for staff, customers not assigned to
   * them.
   */
  customerById: DataLoader<string, CustomerRow | null>;
  /** A customer's phones, primary first. */
  phonesByCustomer: DataLoader<string, CustomerPhoneRow[]>;
  /** A customer's ids on other platforms. */
  externalIdsByCustomer: DataLoader<string, ExternalIdRow[]>;
  /** The id of the customer owning a phone (E.164), null when none does. */
  customerIdByPhone: DataLoader<string, string | null>;
  /** Phones parsed so far in this request: each distinct string is parsed once. */
  e164: E164Of;
  /** Filters compiled so far in this request, by their JSON (aliases repeat them). */
  compiledFilters: Map<string, Promise<CompiledWhere>>;
}

declare module '../context' {
  interface Loaders {
    customers: CustomerLoaders;
  }
}

export function createCustomerLoaders({
  db,
  workspaceId,
  identity,
}: RequestScope): CustomerLoaders {
  const customers = db.getRepository(CustomerEntity);
  const staff = staffScope(identity);
  const phones = db.getRepository(CustomerPhoneEntity);
  const externalIds = db.getRepository(ExternalIdEntity);
  return {
    customerById: new DataLoader(async (ids) => {
      const find = async (wanted: readonly string[]) => {
        // An id that is not a uuid names no customer; Postgres would reject the cast.
        const valid = wanted.filter(isUuid);
        return valid.length
          ? await customers.find({
              where: { workspaceId, id: In(valid), ...(staff ? { assignedStaff: staff } : {}) },
            })
          : [];
      };
      const found = alignOne(ids, await find(ids), (row) => row.id);
      // An id not found may be a merged customer's: it names the survivor now
      // (the runtime's customer-merges.ts). Looked up only on a miss.
      const missing = ids.filter((id, i) => found[i] === null && isUuid(id));
      if (missing.length === 0) return found;
      const survivors = await survivorsOf(db, workspaceId, missing);
      if (survivors.size === 0) return found;
      const kept = await find([...new Set(survivors.values())]);
      const byId = new Map(kept.map((row) => [row.id, row]));
      return ids.map((id, i) => {
        const survivor = survivors.get(id.toLowerCase());
        return found[i] ?? (survivor ? (byId.get(survivor) ?? null) : null);
      });
    }),
    phonesByCustomer: new DataLoader(async (customerIds) => {
      const rows = await phones.find({
        where: { workspaceId, customerId: In([...customerIds]) },
        order: { position: 'ASC' },
      });
      return alignMany(customerIds, rows, (row) => row.customerId);
    }),
    customerIdByPhone: new DataLoader(async (phones) => {
      const rows: { e164: string; customer_id: string }[] = await db.query(
        'SELECT e164, customer_id FROM phone_owner WHERE workspace_id = $1 AND e164 = ANY($2)',
        [workspaceId, [...phones]],
      );
      return alignOne(phones, rows, (row) => row.e164).map((row) => row?.customer_id ?? null);
    }),
    externalIdsByCustomer: new DataLoader(async (customerIds) => {
      const rows = await externalIds.find({
        where: { workspaceId, customerId: In([...customerIds]) },
        order: { createdAt: 'ASC' },
      });
      return alignMany(customerIds, rows, (row) => row.customerId);
    }),
    e164: createPhoneMemo(),
    compiledFilters: new Map(),
  };
}
