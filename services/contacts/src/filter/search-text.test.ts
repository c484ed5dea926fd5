import { escapeLike, foldSearchText } from './search-text';

describe('foldSearchText', () => {
  it.each([
    ['Nguyễn Văn Đức', 'nguyen van duc'],
    ['  ĐẶNG   thị ', 'dang thi'],
    ['Hà\tNội\n', 'ha noi'],
    ['', ''],
    ['   ', ''],
    ['ABC 123', 'abc 123'],
  ])('folds %j to %j', (input, folded) => {
    expect(foldSearchText(input)).toBe(folded);
  });

  it('folds the decomposed and the precomposed spelling alike', () => {
    const precomposed = 'Trần Thị Ánh'.normalize('NFC');
    const decomposed = precomposed.normalize('NFD');
    expect(decomposed).not.toBe(precomposed);
    expect(foldSearchText(decomposed)).toBe('tran thi anh');
    expect(foldSearchText(precomposed)).toBe('tran thi anh');
  });

  it('leaves no combining mark behind, even one that lower-casing adds', () => {
    expect(foldSearchText('İstanbul')).toBe('istanbul');
  });
});

describe('escapeLike', () => {
  it('escapes the LIKE wildcards and the backslash', () => {
    expect(escapeLike('50%_off\\now')).toBe('50\\%\\_off\\\\now');
  });

  it('leaves other text alone', () => {
    expect(escapeLike("o'neil (vn)")).toBe("o'neil (vn)");
  });
});
