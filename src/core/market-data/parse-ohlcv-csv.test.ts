import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseOhlcvCsv } from './parse-ohlcv-csv.ts'

const DAY = 86_400_000

test('reads daily rows into 1d bars at 00:00 UTC of their date, ignoring the adjusted close', () => {
  const text = [
    'Date,Open,High,Low,Close,Adj Close,Volume',
    '2013-05-13,64.501427,65.414284,64.500000,64.962860,50.961628,79237200',
    '2013-05-14,64.835716,65.028572,63.164288,63.408573,49.742329,111779500',
    '',
  ].join('\r\n')
  const start = Date.UTC(2013, 4, 13)
  assert.deepEqual(parseOhlcvCsv(text, { symbol: 'AAPL' }), {
    ok: true,
    value: [
      {
        schema: 1,
        symbol: 'AAPL',
        interval: '1d',
        start,
        end: start + DAY,
        open: 64.501427,
        high: 65.414284,
        low: 64.5,
        close: 64.96286,
        volume: 79237200,
        count: 1,
      },
      {
        schema: 1,
        symbol: 'AAPL',
        interval: '1d',
        start: start + DAY,
        end: start + 2 * DAY,
        open: 64.835716,
        high: 65.028572,
        low: 63.164288,
        close: 63.408573,
        volume: 111779500,
        count: 1,
      },
    ],
  })
})

test('takes columns by name, in any order', () => {
  const parsed = parseOhlcvCsv('volume,close,low,high,open,date\n10,2,1,3,1.5,2000-01-03', {
    symbol: '^GSPC',
  })
  assert.deepEqual(
    parsed.ok && parsed.value.map((bar) => [bar.open, bar.high, bar.low, bar.close, bar.volume]),
    [[1.5, 3, 1, 2, 10]],
  )
})

const H = 'date,open,high,low,close,volume'
const parse = (text: string, isAdjusted = false) => parseOhlcvCsv(text, { symbol: 'X', isAdjusted })
const closes = (text: string, isAdjusted = false) => {
  const parsed = parse(text, isAdjusted)
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error)
  return parsed.value.map((bar) => [new Date(bar.start).toISOString(), bar.interval, bar.close, bar.volume])
}

test('fails on the first bad line, naming it, and quotes what it read escaped and cut short', () => {
  const cases = [
    ['date,open,high,low', 'line 1: no "close" column in header "date,open,high,low"'],
    [
      'when,open,high,low,close',
      'line 1: no "date (or datetime, timestamp)" column in header "when,open,high,low,close"',
    ],
    [`${H}\n2000-01-03,1,2,1,,5`, 'line 2: close "" is not a plain decimal number'],
    [`${H}\n2000-01-03,1,2,1,0x10,5`, 'line 2: close "0x10" is not a plain decimal number'],
    [`${H}\n2000-01-03,1,2,1,1.5,-5`, 'line 2: volume "-5" is not a plain decimal number'],
    [`${H}\n2000-01-03,1,2,1,Infinity,5`, 'line 2: close "Infinity" is not a plain decimal number'],
    [`${H}\n2000-01-03,1,2,1,1.5,1e40`, 'line 2: volume 1e40 is above MAX_BAR_VOLUME (1e32)'],
    [
      `${H}\n03/01/2000,1,2,1,1.5,5`,
      'line 2: time "03/01/2000" is not a date YYYY-MM-DD, an ISO 8601 time with offset, or epoch seconds',
    ],
    [`${H}\n2000-01-03,1,1,2,1.5,5`, 'line 2: high 1 is below low 2'],
    [`${H}\n2000-01-03,1,2,1,2.5,5`, 'line 2: close 2.5 is above high 2'],
    [`${H}\n2000-01-03,0.5,2,1,1.5,5`, 'line 2: open 0.5 is below low 1'],
    [`${H}\n2000-01-04,1,2,1,1.5,5\n2000-01-04,1,2,1,1.5,5`, 'line 3: its time is that of line 2'],
    [
      `${H}\n2000-01-03,1,2,1,1.5,5\n2000-01-05,1,2,1,1.5,5\n2000-01-04,1,2,1,1.5,5`,
      "line 4: its time is before line 3's, but the file is oldest first",
    ],
    [
      `${H}\n2013-02-28,1,2,1,1.5,5\n2013-02-30,1,2,1,1.5,5\n2013-03-01,1,2,1,1.5,5`,
      'line 3: date "2013-02-30" does not exist',
    ],
    [
      `${H}\n0001-01-01,1,2,1,1.5,5`,
      'line 2: date "0001-01-01" is outside the years 1970–2199 bars may start in',
    ],
    [
      `${H}\n0000-01-01,1,2,1,1.5,5`,
      'line 2: date "0000-01-01" is outside the years 1970–2199 bars may start in',
    ],
    [`${H}\n2000-01-03,1e300,1e300,1e300,1e300,5`, 'line 2: open 1e+300 is above MAX_PRICE (1e9)'],
    [`${H}\n2000-01-03,1e-300,1e-300,1e-300,1e-300,5`, 'line 2: open 1e-300 is below MIN_PRICE (1e-6)'],
    [
      `${H}\n2000-01-03T10:00:00,1,2,1,1.5,5`,
      'line 2: time "2000-01-03T10:00:00" has no UTC offset (Z or ±hh:mm): its instant is unknown',
    ],
    [`${H}\n"2000-01-03,1,2,1,1.5,5`, 'line 2: a quote opened at character 1 is not closed'],
    [
      `${H}\n2000-01-03,1,2,1,1.5,5\n2000-01-03T12:00:00Z,1,2,1,1.5,5\n2000-01-04T12:00:00Z,1,2,1,1.5,5`,
      'line 3: rows are 720 minutes apart; bars must be 1m, 5m, 15m, 30m, 1h or 1d',
    ],
  ] as const
  for (const [text, error] of cases) assert.deepEqual(parse(text), { ok: false, error }, text)
})

test('a hostile header is quoted with its controls escaped and cut to a few hundred characters', () => {
  const crOnly = `date\x1b]0;owned\x07,open${'\r'.repeat(10)}`
  const parsed = parse(`\x1b[31m${'x'.repeat(100_000)}\n${H}`)
  assert.ok(!parsed.ok)
  assert.ok(parsed.error.length < 300, parsed.error)
  assert.equal(parsed.error, `line 1: longer than 4096 characters, starting "\\x1b[31m${'x'.repeat(55)}"`)
  const osc = parse(crOnly)
  assert.ok(!osc.ok)
  assert.equal(
    osc.error,
    'line 1: no "date (or datetime, timestamp)" column in header "date\\x1b]0;owned\\x07,open"',
  )
})

test('reads a CR-only file line by line', () => {
  assert.deepEqual(closes(`${H}\r2000-01-03,1,2,1,1.5,5\r2000-01-04,1,2,1,1.75,5\r`), [
    ['2000-01-03T00:00:00.000Z', '1d', 1.5, 5],
    ['2000-01-04T00:00:00.000Z', '1d', 1.75, 5],
  ])
})

test('accepts the quirks of real downloads where the reading is clear', () => {
  // Yahoo: quoted header with a byte-order mark, a null row, newest first, no volume column.
  const yahoo =
    '\uFEFF"Date","Open","High","Low","Close","Adj Close"\n2020-01-06,1,2,1,1.5,0.75\n2020-01-03,null,null,null,null,null\n2020-01-02,1,2,1,1.25,0.625\n'
  assert.deepEqual(closes(yahoo), [
    ['2020-01-02T00:00:00.000Z', '1d', 1.25, 0],
    ['2020-01-06T00:00:00.000Z', '1d', 1.5, 0],
  ])
  const adjusted = closes(yahoo, true)
  assert.deepEqual(
    adjusted.map((row) => row[2]),
    [0.625, 0.75],
  )
  const bars = parse(yahoo, true)
  assert.ok(bars.ok)
  assert.deepEqual(
    bars.value.map((bar) => [bar.open, bar.high, bar.low]),
    [
      [0.5, 1, 0.5],
      [0.5, 1, 0.5],
    ],
  )
  assert.deepEqual(parse('date,open,high,low,close\n2020-01-02,1,2,1,1.5', true), {
    ok: false,
    error: 'line 1: no "adj close" column in header "date,open,high,low,close"',
  })
})

test('reads intraday rows with ISO offsets or epoch times, deciding the interval from their spacing', () => {
  const iso = `Datetime,Open,High,Low,Close,Volume\n2024-01-02 09:30:00-05:00,1,2,1,1.5,10\n2024-01-02T10:30:00-05:00,1,2,1,1.75,10\n2024-01-02T16:00:00Z,1,2,1,1.5,10\n`
  assert.deepEqual(
    closes(iso),
    [
      ['2024-01-02T14:30:00.000Z', '1h', 1.5, 10],
      ['2024-01-02T15:30:00.000Z', '1h', 1.75, 10],
      ['2024-01-02T16:00:00.000Z', '1h', 1.5, 10],
    ].map(([time, , close, volume]) => [time, '30m', close, volume]),
  )
  const seconds = `timestamp,open,high,low,close,volume\n1704205800,1,2,1,1.5,1\n1704206100,1,2,1,1.5,1\n`
  assert.deepEqual(
    closes(seconds).map((row) => row.slice(0, 2)),
    [
      ['2024-01-02T14:30:00.000Z', '5m'],
      ['2024-01-02T14:35:00.000Z', '5m'],
    ],
  )
  const millis = `timestamp,open,high,low,close,volume\n1704205800000,1,2,1,1.5,1\n1704205860000,1,2,1,1.5,1\n`
  assert.deepEqual(
    closes(millis).map((row) => row[1]),
    ['1m', '1m'],
  )
  // A daily series written at local midnight keeps its own calendar date.
  const daily = `Date,Open,High,Low,Close,Volume\n2024-01-02 00:00:00-05:00,1,2,1,1.5,1\n2024-01-03 00:00:00-05:00,1,2,1,1.5,1\n`
  assert.deepEqual(
    closes(daily).map((row) => row.slice(0, 2)),
    [
      ['2024-01-02T00:00:00.000Z', '1d'],
      ['2024-01-03T00:00:00.000Z', '1d'],
    ],
  )
})

test('decides the interval within the first rows and then streams, checking the order to the end', () => {
  const rows = Array.from(
    { length: 40 },
    (_, i) => `${new Date(Date.UTC(2024, 0, 2, 14, i)).toISOString()},1,2,1,1.5,1`,
  )
  const parsed = parse([H, ...rows, rows[10]].join('\n'))
  assert.deepEqual(parsed, { ok: false, error: "line 42: its time does not follow line 41's" })
  assert.equal(closes([H, ...rows].join('\n')).length, 40)
})
