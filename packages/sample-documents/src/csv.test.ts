import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type CsvColumn, toCsv, toCsvStream } from './index.js'

interface Device {
  serial: string
  model: string
  battery: number | null
  lastSeen: Date
  compliant: boolean
}

const devices: Device[] = [
  {
    serial: 'F9XK01',
    model: 'iPad (10th gen)',
    battery: 0.5,
    lastSeen: new Date('2026-11-30T07:00:00Z'),
    compliant: true,
  },
  {
    serial: 'C02Y',
    model: 'Chromebook, 14"',
    battery: null,
    lastSeen: new Date('2026-11-01T12:30:00Z'),
    compliant: false,
  },
]

const columns: CsvColumn<Device>[] = [
  { header: 'Serienummer', key: 'serial' },
  { header: 'Modell', key: 'model' },
  { header: 'Batteri', key: 'battery' },
  { header: 'Sist sett', value: (d) => d.lastSeen },
  { header: 'I samsvar', value: (d) => (d.compliant ? 'ja' : 'nei') },
]

/** An RFC 4180 reader, written from the RFC, to read back what toCsv writes. */
function parseCsv(text: string, separator = ','): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let i = 0
  let quoted = false
  while (i < text.length) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i += 2
        continue
      }
      if (ch === '"') {
        quoted = false
        i++
        continue
      }
      field += ch
      i++
      continue
    }
    if (ch === '"' && field === '') {
      quoted = true
      i++
    } else if (ch === separator) {
      row.push(field)
      field = ''
      i++
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i += 2
    } else {
      field += ch
      i++
    }
  }
  if (field !== '' || row.length > 0) throw new Error('last record not terminated by CRLF')
  return rows
}

async function streamText(stream: ReadableStream<Uint8Array>): Promise<string> {
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer())
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
}

describe('toCsv', () => {
  it('writes RFC 4180: header, CRLF after every record, quoting where needed', () => {
    expect(toCsv(devices, columns)).toBe(
      'Serienummer,Modell,Batteri,Sist sett,I samsvar\r\n' +
        'F9XK01,iPad (10th gen),0.5,2026-11-30T07:00:00.000Z,ja\r\n' +
        'C02Y,"Chromebook, 14""",,2026-11-01T12:30:00.000Z,nei\r\n',
    )
  })

  it('quotes line breaks and quotes', () => {
    const csv = toCsv(
      [{ a: 'linje 1\nlinje 2', b: 'si "hei"', c: 'cr\rhere' }],
      [
        { header: 'a', key: 'a' },
        { header: 'b', key: 'b' },
        { header: 'c', key: 'c' },
      ],
    )
    expect(csv).toBe('a,b,c\r\n"linje 1\nlinje 2","si ""hei""","cr\rhere"\r\n')
  })

  it('writes the Norwegian Excel flavour: BOM, semicolons, decimal comma', () => {
    const csv = toCsv(devices, columns, { preset: 'excel-nb' })
    expect(csv.startsWith('\uFEFFSerienummer;Modell;Batteri;')).toBe(true)
    expect(csv).toContain('F9XK01;iPad (10th gen);0,5;')
    expect(csv).toContain(';"Chromebook, 14""";;2026-11-01T12:30:00.000Z;nei\r\n')
    // A comma is no longer special with ';' as separator.
    expect(toCsv([{ m: 'a, b' }], [{ header: 'm', key: 'm' }], { preset: 'excel-nb', header: false })).toBe(
      '\uFEFFa, b\r\n',
    )
    expect(toCsv(devices, columns, { preset: 'excel-nb', bom: false }).startsWith('Serienummer')).toBe(true)
  })

  it('takes the separator, BOM, line ending and header options one by one', () => {
    const rows = [{ x: 'a;b', y: 1.25 }]
    const cols: CsvColumn<(typeof rows)[number]>[] = [
      { header: 'x', key: 'x' },
      { header: 'y', key: 'y' },
    ]
    expect(toCsv(rows, cols, { separator: ';' })).toBe('x;y\r\n"a;b";1.25\r\n')
    expect(toCsv(rows, cols, { separator: '\t', lineEnding: '\n', header: false })).toBe('a;b\t1.25\n')
    expect(toCsv(rows, cols, { bom: true })).toBe('\uFEFFx,y\r\na;b,1.25\r\n')
    // A decimal comma with a comma separator is quoted, not corrupted.
    expect(toCsv(rows, cols, { decimalComma: true, header: false })).toBe('a;b,"1,25"\r\n')
  })

  it('defuses formulas: = + - @ tab and CR get a leading apostrophe', () => {
    const hostile = [
      '=HYPERLINK("http://x","klikk")',
      '+1+1',
      '-2+3',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
      'ok',
      ' =1',
    ]
    const csv = toCsv(
      hostile.map((v) => ({ v })),
      [{ header: 'v', key: 'v' }],
      { header: false },
    )
    expect(parseCsv(csv).map((r) => r[0])).toEqual([
      `'=HYPERLINK("http://x","klikk")`,
      "'+1+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\t=1",
      "'\r=1",
      'ok',
      ' =1',
    ])
    // Headers too; numbers stay numbers.
    expect(toCsv([{ n: -5 }], [{ header: '=cmd', key: 'n' }])).toBe("'=cmd\r\n-5\r\n")
  })

  it('writes empty cells for null, undefined, NaN and invalid dates; ISO dates; booleans; bigints', () => {
    const row = {
      a: null,
      b: undefined,
      c: Number.NaN,
      d: new Date(Number.NaN),
      e: true,
      f: 12345678901234567890n,
    }
    const cols = (Object.keys(row) as (keyof typeof row)[]).map((key) => ({ header: key, key }))
    expect(toCsv([row], cols, { header: false })).toBe(',,,,true,12345678901234567890\r\n')
  })

  it('writes just the header for no rows, and nothing without a header', () => {
    expect(toCsv([], columns)).toBe('Serienummer,Modell,Batteri,Sist sett,I samsvar\r\n')
    expect(toCsv([], columns, { header: false })).toBe('')
    expect(toCsv([], columns, { header: false, bom: true })).toBe('\uFEFF')
  })

  it('refuses misuse with a TypeError', () => {
    expect(() => toCsv(devices, [])).toThrow(TypeError)
    expect(() => toCsv(devices, columns, { separator: '|' as ',' })).toThrow(TypeError)
    expect(() => toCsv([{ o: { nested: 1 } }], [{ header: 'o', key: 'o' }])).toThrow(/column "o"/)
  })

  it('reads back what it writes, for any text (RFC 4180 round trip)', () => {
    const cell = fc.string({ unit: 'grapheme', maxLength: 20 })
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, cell, cell), { maxLength: 20 }),
        fc.constantFrom(',', ';', '\t') as fc.Arbitrary<',' | ';' | '\t'>,
        (rows, separator) => {
          const cols: CsvColumn<[string, string, string]>[] = [0, 1, 2].map((i) => ({
            header: `k${i}`,
            value: (r) => r[i as 0 | 1 | 2],
          }))
          const parsed = parseCsv(toCsv(rows, cols, { separator }), separator)
          const defused = (v: string): string => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)
          expect(parsed).toEqual([['k0', 'k1', 'k2'], ...rows.map((r) => r.map(defused))])
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('toCsvStream', () => {
  it('streams the same UTF-8 bytes as toCsv', async () => {
    for (const options of [{}, { preset: 'excel-nb' as const }, { header: false }]) {
      const text = await streamText(toCsvStream(devices, columns, options))
      expect(text).toBe(toCsv(devices, columns, options))
    }
  })

  it('reads an async iterable lazily, in batches', async () => {
    let produced = 0
    async function* rows(): AsyncGenerator<{ i: number; name: string }> {
      for (let i = 0; i < 10_000; i++) {
        produced++
        yield { i, name: `enhet ${i} æøå` }
      }
    }
    const stream = toCsvStream(rows(), [
      { header: 'nr', key: 'i' },
      { header: 'navn', key: 'name' },
    ])
    const reader = stream.getReader()
    await reader.read()
    // Only what the reader pulled has been produced, not all 10 000 rows.
    expect(produced).toBeLessThan(1_000)
    const rest: Uint8Array[] = []
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest.push(r.value)
    expect(produced).toBe(10_000)
    const text = new TextDecoder().decode(Buffer.concat(rest))
    expect(text.endsWith('9999,enhet 9999 æøå\r\n')).toBe(true)
  })

  it('ends the source when the client goes away', async () => {
    let closed = false
    function* rows(): Generator<{ i: number }> {
      try {
        for (let i = 0; ; i++) yield { i }
      } finally {
        closed = true
      }
    }
    const stream = toCsvStream(rows(), [{ header: 'i', key: 'i' }])
    const reader = stream.getReader()
    await reader.read()
    await reader.cancel()
    expect(closed).toBe(true)
  })
})
