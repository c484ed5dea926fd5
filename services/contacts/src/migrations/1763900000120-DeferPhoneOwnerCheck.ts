import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A phone is claimed before the customer it names is inserted (the claim decides
 * whether to create one at all), so the owner's foreign key is checked at commit.
 */
export class DeferPhoneOwnerCheck1763900000120 implements MigrationInterface {
  name = 'DeferPhoneOwnerCheck1763900000120';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE phone_owner ALTER CONSTRAINT phone_owner_customer_fk DEFERRABLE INITIALLY DEFERRED',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE phone_owner ALTER CONSTRAINT phone_owner_customer_fk NOT DEFERRABLE',
    );
  }
}
