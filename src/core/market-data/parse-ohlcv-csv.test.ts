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

test('fails on the first bad line, naming it', () => {
  const header = 'date,open,high,low,close,volume'
  const cases = [
    ['date,open,high,low,close', 'line 1: no "volume" column in header "date,open,high,low,close"'],
    [`${header}\n2000-01-03,1,2,1,null,5`, 'line 2: close "null" is not a positive number'],
    [`${header}\n2000-01-03,1,2,1,1.5,-5`, 'line 2: volume "-5" is not a non-negative number'],
    [`${header}\n03/01/2000,1,2,1,1.5,5`, 'line 2: date "03/01/2000" is not YYYY-MM-DD'],
    [`${header}\n2000-01-03,1,1,2,1.5,5`, 'line 2: high 1 is below low 2'],
    [
      `${header}\n2000-01-04,1,2,1,1.5,5\n2000-01-03,1,2,1,1.5,5`,
      "line 3: date 2000-01-03 does not follow the previous row's",
    ],
    [`${header}\n2000-01-03,1,2,1,,5`, 'line 2: close "" is not a positive number'],
  ] as const
  for (const [text, error] of cases)
    assert.deepEqual(parseOhlcvCsv(text, { symbol: 'X' }), { ok: false, error })
})
