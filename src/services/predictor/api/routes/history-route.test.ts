import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { BAR_SCHEMA_VERSION, type Bar } from '../../../../core/contracts/bar.ts'
import { encodeMessage } from '../../../../core/contracts/decode-message.ts'
import { MAX_PRICE, MIN_PRICE } from '../../../../core/contracts/primitives.ts'
import { applySteps } from '../../../../../test/fixtures/predictor/apply-steps.ts'
import { buildTestApp, type TestApp } from '../../../../../test/fixtures/predictor/build-test-app.ts'
import {
  createReplayFixture,
  type ReplayStep,
} from '../../../../../test/fixtures/predictor/create-replay-fixture.ts'
import { decodeChange } from '../../views/decode-change.ts'
import { errorResponse, historyResponse } from '../api-schemas.ts'

let t: TestApp
before(async () => {
  t = await buildTestApp()
})
after(() => t.app.close())

const DAY_MS = 86_400_000
const FIRST_DAY = Date.UTC(2024, 0, 1)

/** Daily bars of `symbol` with these closes (open, high and low at the close), one a day. */
function dailyBars(symbol: string, closes: readonly number[], volume = 1_000): Bar[] {
  return closes.map((close, index) => ({
    schema: BAR_SCHEMA_VERSION,
    symbol,
    interval: '1d',
    start: FIRST_DAY + index * DAY_MS,
    end: FIRST_DAY + (index + 1) * DAY_MS,
    open: close,
    high: close,
    low: close,
    close,
    volume,
    count: 1,
  }))
}

function replay(bars: readonly Bar[]): ReplayStep[] {
  const next = createReplayFixture(bars)
  const steps: ReplayStep[] = []
  for (let step = next(); step !== undefined; step = next()) steps.push(step)
  return steps
}

/** Every number anywhere in a JSON value, with its path. */
function numbersOf(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]]
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, inner]) => numbersOf(inner, `${path}.${key}`))
}

const normal = Array.from({ length: 30 }, (_, i) => 100 + ((i * 7) % 5) - 2)

test('history after the widest valid jumps is 200 with finite numbers, whatever the limit', async () => {
  const jumps = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? MAX_PRICE : MIN_PRICE))
  const steps = replay(dailyBars('JUMPY', [...normal, ...jumps, ...normal.slice(0, 5)]))
  assert.ok(steps.filter((s) => s.prediction !== undefined).length > 20, 'predictions were made')
  applySteps(t.views, steps, 0)
  for (const limit of [5, 20, 100]) {
    const response = await t.app.inject({ url: `/api/v1/history/JUMPY?limit=${String(limit)}` })
    assert.equal(response.statusCode, 200, `limit=${String(limit)}: ${response.body}`)
    const body = historyResponse.parse(response.json())
    assert.equal(body.count, Math.min(limit, steps.length))
    const withError = body.points.filter((point) => point.error !== null)
    assert.ok(withError.length > 0, 'the bars have predictions to compare with')
    for (const [path, value] of numbersOf(body)) assert.ok(Number.isFinite(value), `${path} = ${value}`)
  }
  const points = historyResponse.parse(
    (await t.app.inject({ url: '/api/v1/history/JUMPY?limit=100' })).json(),
  ).points
  const atJump = points.find((point) => point.close === MIN_PRICE && point.error !== null)
  assert.ok(atJump?.error !== null && atJump?.error !== undefined)
  assert.equal(atJump.error.logReturn, Math.log(MIN_PRICE / (atJump.prediction?.point ?? Number.NaN)))
})

test("the issue's bars (1.7e308, then 5e-324) are refused by the contract naming the bound", () => {
  const [huge, tiny] = dailyBars('EXTREME', [1.7e308, 5e-324])
  assert.deepEqual(decodeChange('bar', encodeMessage(huge)), {
    ok: false,
    error:
      'open: must be at most 1e9 (MAX_PRICE); high: must be at most 1e9 (MAX_PRICE); low: must be at most 1e9 (MAX_PRICE)',
  })
  assert.deepEqual(decodeChange('bar', encodeMessage(tiny)), {
    ok: false,
    error:
      'open: must be at least 1e-6 (MIN_PRICE); high: must be at least 1e-6 (MIN_PRICE); low: must be at least 1e-6 (MIN_PRICE)',
  })
})

test('a bar outside the contract that reached the views anyway still gives 200 and a finite log return', async () => {
  const steps = replay(dailyBars('LEAKED', normal))
  applySteps(t.views, steps, 0)
  const last = steps.at(-1)!
  const [leaked] = dailyBars('LEAKED', [5e-324])
  const bar = { ...leaked!, start: last.bar.end, end: last.bar.end + DAY_MS }
  t.views.apply({ kind: 'bar', bar }, 0)
  const response = await t.app.inject({ url: '/api/v1/history/LEAKED?limit=20' })
  assert.equal(response.statusCode, 200, response.body)
  const point = historyResponse.parse(response.json()).points.at(-1)
  const predicted = last.prediction?.point ?? Number.NaN
  assert.equal(point?.error?.logReturn, Math.log(5e-324) - Math.log(predicted))
  assert.ok(Number.isFinite(point.error.logReturn))
})

test('history queries are strict: plain decimal limits and real calendar dates only', async () => {
  const cases: [string, string, string][] = [
    ['limit=1e3', 'limit', 'limit: must be an integer from 1 to 5000'],
    ['limit=0x10', 'limit', 'limit: must be an integer from 1 to 5000'],
    ['limit=+5', 'limit', 'limit: must be an integer from 1 to 5000'],
    ['limit=05', 'limit', 'limit: must be an integer from 1 to 5000'],
    ['limit=%205', 'limit', 'limit: must be an integer from 1 to 5000'],
    ['limit=5000.0', 'limit', 'limit: must be an integer from 1 to 5000'],
    ['limit=9999', 'limit', 'limit: must be an integer from 1 to 5000'],
    ['from=2024-02-30', 'from', 'from: must be a real calendar date and time, such as 2024-02-29'],
    ['to=2023-02-29', 'to', 'to: must be a real calendar date and time, such as 2024-02-29'],
    ['from=2024-04-31', 'from', 'from: must be a real calendar date and time, such as 2024-02-29'],
    ['from=2024-01-31T24:00Z', 'from', 'from: must be a real calendar date and time, such as 2024-02-29'],
    ['to=2024-01-31T12:60Z', 'to', 'to: must be a real calendar date and time, such as 2024-02-29'],
    ['to=2024-01-31T12:00%2B24:00', 'to', 'to: must be a real calendar date and time, such as 2024-02-29'],
  ]
  for (const [query, parameter, message] of cases) {
    const response = await t.app.inject({ url: `/api/v1/history/AAPL?${query}` })
    assert.equal(response.statusCode, 400, `${query}: ${response.body}`)
    const body = errorResponse.parse(response.json())
    assert.deepEqual([body.parameter, body.message], [parameter, message], query)
  }
  const accepted: [string, number][] = [
    ['limit=5000', t.aapl.length],
    ['limit=1&to=2016-02-29', 1],
    ['from=2016-02-29T00:00:00Z&to=2016-03-01T23:59:59.999%2B00:00', 2],
  ]
  for (const [query, count] of accepted) {
    const response = await t.app.inject({ url: `/api/v1/history/AAPL?${query}` })
    assert.equal(response.statusCode, 200, `${query}: ${response.body}`)
    assert.equal(historyResponse.parse(response.json()).count, count, query)
  }
})

test('1,500 unknown query keys give a short error naming the first', async () => {
  const keys = Array.from({ length: 1500 }, (_, i) => `k${String(i)}=1`).join('&')
  for (const url of [
    `/api/v1/history/AAPL?${keys}`,
    `/api/v1/symbols?${keys}`,
    `/api/v1/history/AAPL?limit=5&${keys}`,
  ]) {
    const response = await t.app.inject({ url })
    assert.equal(response.statusCode, 400, response.body.slice(0, 300))
    assert.ok(response.body.length < 200, `${String(response.body.length)} bytes`)
    const body = errorResponse.parse(response.json())
    assert.deepEqual([body.parameter, body.message], ['k0', 'k0: unknown query parameter "k0" and 1499 more'])
  }
  const one = errorResponse.parse((await t.app.inject({ url: '/api/v1/symbols?%1B%5B2J=1' })).json())
  assert.equal(one.message, '\x1b[2J: unknown query parameter "\\x1b[2J"')
})
