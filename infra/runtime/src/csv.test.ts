import {
  CsvError,
  countCsvRecords,
  detectDelimiter,
  foldHeader,
  headerIndex,
  readCsv,
  readCsvStream,
} from './csv';

const read = (text: string) => [...readCsv(text)];
const cells = (text: string) => read(text).map((r) => r.cells);

describe('readCsv', () => {
  it('reads plain records with CRLF, LF or CR line ends', () => {
    for (const eol of ['\r\n', '\n', '\r']) {
      expect(cells(['a,b', '1,2', '3,4'].join(eol))).toEqual([
        ['a', 'b'],
        ['1', '2'],
        ['3', '4'],
      ]);
    }
  });

  it('keeps delimiters, line breaks and doubled quotes inside quotes', () => {
    const text = 'code,address,note\r\n"A1","12 Lê Lợi, Q1\r\nHCM","say ""hi"""\r\nA2,x,y\r\n';
    expect(read(text)).toEqual([
      { line: 1, row: 1, cells: ['code', 'address', 'note'] },
      { line: 2, row: 2, cells: ['A1', '12 Lê Lợi, Q1\r\nHCM', 'say "hi"'] },
      // The quoted line break moves the file line on, not the spreadsheet row.
      { line: 4, row: 3, cells: ['A2', 'x', 'y'] },
    ]);
  });

  it('drops a UTF-8 BOM before the first record', () => {
    expect(cells('\uFEFFMã đơn hàng,SKU\n1,2')).toEqual([
      ['Mã đơn hàng', 'SKU'],
      ['1', '2'],
    ]);
  });

  it('detects ";" and tab delimiters from the first non-blank line, outside quotes', () => {
    expect(cells('\n"Tên, họ";SĐT\nAn;0912')).toEqual([
      ['Tên, họ', 'SĐT'],
      ['An', '0912'],
    ]);
    expect(cells('a\tb\n1,5\t2')).toEqual([
      ['a', 'b'],
      ['1,5', '2'],
    ]);
    expect(detectDelimiter('only')).toBe(',');
  });

  it('skips blank records but counts them in rows and lines', () => {
    expect(read('a,b\n\n , \n"",\n1,2')).toEqual([
      { line: 1, row: 1, cells: ['a', 'b'] },
      { line: 5, row: 5, cells: ['1', '2'] },
    ]);
  });

  it('keeps empty cells, a trailing delimiter included', () => {
    expect(cells('a,,c,\n,,x,')).toEqual([
      ['a', '', 'c', ''],
      ['', '', 'x', ''],
    ]);
  });

  it('reads a quote inside a raw cell as a quote, and text after a closing quote', () => {
    expect(cells('Màn hình 5" mới,"a"b, "c"')).toEqual([['Màn hình 5" mới', 'ab', 'c']]);
  });

  it('refuses a quote that is never closed, naming the line it opened on', () => {
    const error = (() => {
      try {
        read('a,b\n1,"open\n2,3\n');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CsvError);
    expect((error as CsvError).line).toBe(2);
    expect((error as CsvError).message).toBe('line 2: a quoted value opened here is never closed');
  });
});

describe('countCsvRecords', () => {
  it('counts the non-blank records readCsv yields, quoted line breaks included', () => {
    const text = '\uFEFFa;b\r\n"x\ny";1\r\n\r\n;\r\n2;"3"\r\n';
    expect(countCsvRecords(text)).toBe(read(text).length);
    expect(countCsvRecords(text)).toBe(3);
    expect(countCsvRecords('')).toBe(0);
    expect(countCsvRecords('\uFEFF\n\n')).toBe(0);
  });

  it('throws on an unclosed quote too', () => {
    expect(() => countCsvRecords('a\n"b')).toThrow(CsvError);
  });

  it('counts 20,000 records of a 5 MB text in one pass', () => {
    const line = `"${'x'.repeat(120)}, y",${'z'.repeat(120)}\n`;
    expect(countCsvRecords(line.repeat(20_000))).toBe(20_000);
  });
});

describe('foldHeader', () => {
  it.each([
    ['Số điện thoại', 'sodienthoai'],
    ['Mã ĐH', 'madh'],
    ['Trạng Thái Đơn Hàng', 'trangthaidonhang'],
    ['Phí vận chuyển (VNĐ)', 'phivanchuyenvnd'],
    ['phone_number', 'phonenumber'],
    ['Đ.thoại', 'dthoai'],
    ['Hoá đơn', 'hoadon'],
    ['Hóa đơn', 'hoadon'],
  ])('%s → %s', (header, folded) => {
    expect(foldHeader(header)).toBe(folded);
  });
});

describe('readCsvStream', () => {
  const whole = (text: string) => [...readCsv(text)];
  const streamed = async (pieces: (string | Buffer)[]) => {
    const out = [];
    for await (const r of readCsvStream(
      (async function* () {
        yield* pieces;
      })(),
    ))
      out.push(r);
    return out;
  };
  const TEXTS = [
    '\uFEFFHọ tên;Số điện thoại\r\nNguyễn Văn An;0912 345 001\r\n\r\n;;\r\n"Trần ""Bé"" Hai";"09\n12"\r\nLê Ba;0913',
    'a,b\n"x, y",2\r"multi\r\nline\nvalue",3\n5" tv,"q"tail\n\n,\nlast,row\n',
    'one\rtwo\r\rthree\r',
  ];

  it.each(TEXTS.map((t, i) => [i, t]))(
    'gives what readCsv gives for text %i, cut at every place, as text or as UTF-8 bytes',
    async (_i, text) => {
      const expected = whole(text as string);
      const bytes = Buffer.from(text as string, 'utf8');
      // Bytes cut anywhere, a character's bytes included; text cut between characters.
      for (let cut = 1; cut < bytes.length; cut++) {
        expect(await streamed([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(expected);
      }
      const t = text as string;
      for (let cut = 1; cut < t.length; cut++) {
        expect(await streamed([t.slice(0, cut), t.slice(cut)])).toEqual(expected);
      }
      // And in pieces of 3 bytes.
      const threes = [];
      for (let i = 0; i < bytes.length; i += 3) threes.push(bytes.subarray(i, i + 3));
      expect(await streamed(threes)).toEqual(expected);
    },
  );

  it('refuses a quote never closed, naming the line it opened on, once the file ends', async () => {
    await expect(streamed(['a,b\n1,"open', ' still\n2,3\n'])).rejects.toThrow(
      'line 2: a quoted value opened here is never closed',
    );
  });
});

describe('headerIndex', () => {
  it('finds a field by any of its names, folded, with the rank of the name', () => {
    const index = headerIndex({ PHONE: ['Số điện thoại', 'Phone'], NAME: ['Họ tên', 'Name'] });
    expect(index.get(foldHeader('SO DIEN THOAI'))).toEqual({ field: 'PHONE', rank: 0 });
    expect(index.get('name')).toEqual({ field: 'NAME', rank: 1 });
  });

  it('refuses a name standing for two fields', () => {
    expect(() => headerIndex({ A: ['Mã'], B: ['ma'] })).toThrow(
      'the header "ma" names both A and B',
    );
  });
});
