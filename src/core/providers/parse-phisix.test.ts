import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fixtureReply } from '../../../test/fixtures/providers/read-fixture.ts'
import { parsePhisixBar } from './parse-phisix-bar.ts'
import { parsePhisixQuote } from './parse-phisix-quote.ts'

const fetchedAt = Date.parse('2022-10-14T07:00:00Z')

test('parsePhisixQuote reads a phisix stock reply as a PHP snapshot', () => {
  assert.deepEqual(parsePhisixQuote(fixtureReply(200, 'pse/stock-jfc.json'), { symbol: 'JFC', fetchedAt }), {
    ok: true,
    value: {
      schema: 1,
      id: 'pse:JFC:snapshot:1665730200000',
      symbol: 'JFC',
      exchange: 'PSE',
      currency: 'PHP',
      kind: 'snapshot',
      price: 228,
      volume: 612340,
      asOf: Date.parse('2022-10-14T14:50:00+08:00'),
      fetchedAt,
      source: 'pse',
    },
  })
})

test('parsePhisixQuote reads "1,302.00" as a number and refuses a volume of "N/A"', () => {
  const result = parsePhisixQuote(fixtureReply(200, 'pse/stock-tel-malformed.json'), {
    symbol: 'TEL',
    fetchedAt,
  })
  assert.deepEqual(result, {
    ok: false,
    error: { kind: 'invalid', message: 'phisix TEL: volume: not a number: "N/A"' },
  })
})

test('phisix error shapes become failures of the right kind', () => {
  const cases = [
    [404, 'pse/not-found.txt', 'XYZ', 'not-found', 'phisix: no stock XYZ (HTTP 404)'],
    [503, 'pse/over-quota.html', 'JFC', 'quota', 'phisix: HTTP 503: HTML page "503 Over Quota"'],
    [500, 'pse/server-error.html', 'JFC', 'transient', 'HTTP 500: HTML page "500 Server Error"'],
    [200, 'pse/server-error.html', 'JFC', 'invalid', 'HTTP 200 but not JSON: HTML page "500 Server Error"'],
    [200, 'pse/stock-bdo-missing-price.json', 'BDO', 'invalid', 'phisix BDO: no "price" object'],
    [
      200,
      'pse/stock-glo-no-offset.json',
      'GLO',
      'invalid',
      'phisix: "as_of" must be an ISO 8601 time with an offset, got "2022-10-14T14:50:00"',
    ],
    [200, 'pse/stock-jfc.json', 'ALI', 'not-found', 'phisix: ALI is not in the reply'],
  ] as const
  for (const [status, file, symbol, kind, message] of cases) {
    assert.deepEqual(
      parsePhisixQuote(fixtureReply(status, file), { symbol, fetchedAt }),
      { ok: false, error: { kind, message } },
      file,
    )
  }
})

test('parsePhisixBar makes a close-only daily bar at 00:00 UTC of the Manila date', () => {
  const result = parsePhisixBar(fixtureReply(200, 'pse/stock-sm-2022-10-13.json'), {
    symbol: 'SM',
    fetchedAt,
  })
  assert.deepEqual(result, {
    ok: true,
    value: {
      schema: 1,
      id: 'pse:SM:1d:1665619200000',
      symbol: 'SM',
      exchange: 'PSE',
      currency: 'PHP',
      kind: 'bar',
      interval: '1d',
      price: 755,
      volume: 187630,
      asOf: Date.UTC(2022, 9, 13),
      fetchedAt,
      source: 'pse',
    },
  })
})
