import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many Vietnam days and months the orders were placed in: the expressions
 * orderStats' DAY and MONTH group by (the runtime's stats.ts `dayKey`). Without them
 * the planner takes every order for a group of its own: it sorts the orders through a
 * temporary file instead of hashing a few hundred groups, and shares no work among
 * parallel workers.
 */
export class OrderStatsStatistics1767000000200 implements MigrationInterface {
  name = 'OrderStatsStatistics1767000000200';

  async up(q: QueryRunner): Promise<void> {
    for (const unit of ['day', 'month']) {
      await q.query(`CREATE STATISTICS customer_order_${unit}_stx
        ON (date_trunc('${unit}', ordered_at AT TIME ZONE 'Asia/Ho_Chi_Minh')) FROM customer_order`);
    }
    await q.query('ANALYZE customer_order');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP STATISTICS customer_order_month_stx');
    await q.query('DROP STATISTICS customer_order_day_stx');
  }
}
