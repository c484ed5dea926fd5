import { isUuid, uuidv7, uuidv7Time } from './ids';

describe('uuidv7', () => {
  it('carries its millisecond, with version 7 and the RFC variant', () => {
    const at = Date.UTC(2026, 10, 30, 3, 4, 5, 678);
    const id = uuidv7(at);
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(uuidv7Time(id)?.getTime()).toBe(at);
  });

  it('differs for one millisecond, and sorts by time', () => {
    const at = Date.UTC(2026, 0, 1);
    const ids = [uuidv7(at + 1), uuidv7(at), uuidv7(at)];
    expect(new Set(ids).size).toBe(3);
    expect(ids[1] < ids[0] && ids[2] < ids[0]).toBe(true);
  });

  it('reads no time from another kind of id, and refuses a time out of range', () => {
    expect(uuidv7Time('3b241101-e2bb-4255-8caf-4136c566a962')).toBeNull();
    expect(uuidv7Time('not-an-id')).toBeNull();
    expect(() => uuidv7(-1)).toThrow(RangeError);
    expect(() => uuidv7(2 ** 48)).toThrow(RangeError);
  });
});
