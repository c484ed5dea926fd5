import { BadValue, readAmount, readInstant, readQuantity, readStatus } from './import.values';

const reason = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    if (error instanceof BadValue) return error.message;
    throw error;
  }
  throw new Error('not refused');
};

describe('readAmount', () => {
  it.each([
    ['1.250.000', 1_250_000],
    ['1,250,000 ₫', 1_250_000],
    ['1250000', 1_250_000],
    ['1.250.000đ', 1_250_000],
    ['1.250.000 VNĐ', 1_250_000],
    ['₫1,250,000', 1_250_000],
    ['1 250 000 VND', 1_250_000],
    ['1\u00a0250\u00a0000', 1_250_000],
    ['125000.00', 125_000],
    ['1.250.000,00', 1_250_000],
    ['1,250,000.00', 1_250_000],
    ['1.250', 1_250],
    ['0', 0],
  ])('%s → %d', (cell, amount) => {
    expect(readAmount(cell)).toBe(amount);
  });

  it('reads an empty cell as nothing', () => {
    expect(readAmount('  ')).toBeNull();
  });

  it.each([
    ['12,5', '"12,5" has a fraction of a đồng'],
    ['1.250.000,50', '"1.250.000,50" has a fraction of a đồng'],
    ['-15.000', '"-15.000" is negative'],
    ['1.25.000', '"1.25.000" is not an amount of đồng'],
    ['1.250,000', '"1.250,000" is not an amount of đồng'],
    ['miễn phí', '"miễn phí" is not an amount of đồng'],
    ['₫', '"₫" is not an amount of đồng'],
    ['99999999999999999999', '"99999999999999999999" is too large'],
  ])('refuses %s', (cell, message) => {
    expect(reason(() => readAmount(cell))).toBe(message);
  });
});

describe('readQuantity', () => {
  it('reads whole counts, with thousands separators or zero decimals', () => {
    expect(['2', ' 12 ', '1.000', '3.0', ''].map(readQuantity)).toEqual([2, 12, 1000, 3, null]);
  });

  it.each([
    ['0', '"0" is not from 1 to 2147483647'],
    ['1,5', '"1,5" has a fraction of a unit'],
    ['hai', '"hai" is not a whole number'],
    ['2 cái', '"2 cái" is not a whole number'],
  ])('refuses %s', (cell, message) => {
    expect(reason(() => readQuantity(cell))).toBe(message);
  });
});

describe('readInstant', () => {
  it.each([
    // Vietnam time is UTC+7.
    ['05/03/2025 14:30', '2025-03-05T07:30:00.000Z'],
    ['5/3/2025 9:05:07', '2025-03-05T02:05:07.000Z'],
    ['05-03-2025 00:15', '2025-03-04T17:15:00.000Z'],
    ['05/03/2025', '2025-03-04T17:00:00.000Z'],
    ['2025-03-05 14:30:00', '2025-03-05T07:30:00.000Z'],
    ['2025/03/05 14:30', '2025-03-05T07:30:00.000Z'],
    // ISO without a zone is Vietnam time too.
    ['2025-03-05T14:30', '2025-03-05T07:30:00.000Z'],
    ['2025-03-05T14:30:00+07:00', '2025-03-05T07:30:00.000Z'],
    ['2025-03-05T07:30:00Z', '2025-03-05T07:30:00.000Z'],
    ['2025-03-05T07:30:00.250Z', '2025-03-05T07:30:00.250Z'],
  ])('%s → %s', (cell, iso) => {
    expect(readInstant(cell)!.toISOString()).toBe(iso);
  });

  it('reads an empty cell as nothing', () => {
    expect(readInstant('')).toBeNull();
  });

  it.each([
    ['31/02/2025 10:00', '"31/02/2025 10:00" is not a date that exists'],
    ['05/13/2025', '"05/13/2025" is not a date that exists'],
    ['05/03/2025 24:10', '"05/03/2025 24:10" is not a date that exists'],
    ['hôm qua', '"hôm qua" is not a date (dd/mm/yyyy hh:mm, or ISO 8601)'],
  ])('refuses %s', (cell, message) => {
    expect(reason(() => readInstant(cell))).toBe(message);
  });
});

describe('readStatus', () => {
  it.each([
    ['Hoàn thành', 'COMPLETED'],
    ['HOÀN THÀNH', 'COMPLETED'],
    ['hoan thanh', 'COMPLETED'],
    ['Đã hủy', 'CANCELLED'],
    ['Đã huỷ', 'CANCELLED'],
    ['Đang giao', 'SHIPPING'],
    ['Chờ xác nhận', 'PENDING'],
    ['Chờ lấy hàng', 'CONFIRMED'],
    ['Đã giao', 'DELIVERED'],
    ['Trả hàng/Hoàn tiền', 'RETURNED'],
    ['Trả hàng / Hoàn tiền', 'RETURNED'],
    ['Completed', 'COMPLETED'],
    ['CANCELLED', 'CANCELLED'],
  ])('%s → %s', (cell, status) => {
    expect(readStatus(cell)).toBe(status);
  });

  it('refuses a word it does not know, naming some it does', () => {
    expect(reason(() => readStatus('Giao thất bại'))).toMatch(
      /^"Giao thất bại" is not an order status this import knows \(e\.g\. Chờ xác nhận, /,
    );
  });
});
