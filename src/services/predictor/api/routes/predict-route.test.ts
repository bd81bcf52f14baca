import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { MAX_FEATURE_VALUE, MAX_PRICE, MIN_PRICE } from '../../../../core/contracts/primitives.ts'
import { buildTestApp, type TestApp } from '../../../../../test/fixtures/predictor/build-test-app.ts'
import { errorResponse, predictionBody } from '../api-schemas.ts'

let t: TestApp
before(async () => {
  t = await buildTestApp()
})
after(() => t.app.close())

const post = (payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/predict',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  })

test("POST /api/v1/predict predicts with the symbol's current model exactly what the trainer published", async () => {
  for (const steps of [t.aapl, t.gspc]) {
    const last = steps.at(-1)!
    const response = await post(last.row)
    assert.equal(response.statusCode, 200, response.body)
    const { schema: _schema, ...published } = last.prediction!
    assert.deepEqual(predictionBody.parse(response.json()), published)
  }
})

test('POST /api/v1/predict answers for another row with the same model', async () => {
  const last = t.aapl.at(-1)!
  const row = { ...last.row, close: 200, values: { ...last.row.values, r1: 0.05 } }
  const body = predictionBody.parse((await post(row)).json())
  assert.equal(body.lastClose, 200)
  assert.equal(body.model.version, last.snapshot.version)
  assert.ok(body.intervals.p95.lower < body.intervals.p80.lower && body.intervals.p80.lower < body.point)
})

test('bad requests are 4xx naming what is wrong, never 500', async () => {
  const row = t.aapl.at(-1)!.row
  const cases: [string, unknown, Record<string, string>, number, string, string | undefined][] = [
    ['no body', '', {}, 400, 'bad_request', 'body'],
    ['not JSON', '{"symbol":', {}, 400, 'bad_request', 'body'],
    [
      'wrong media type',
      'symbol=AAPL',
      { 'content-type': 'text/plain' },
      415,
      'unsupported_media_type',
      'body',
    ],
    ['negative close', { ...row, close: -1 }, {}, 400, 'bad_request', 'body.close'],
    ['bad symbol', { ...row, symbol: 'aapl' }, {}, 400, 'bad_request', 'body.symbol'],
    ['missing values', { ...row, values: undefined }, {}, 400, 'bad_request', 'body.values'],
    ['non-numeric feature', { ...row, values: { r1: 'x' } }, {}, 400, 'bad_request', 'body.values.r1'],
    ['unknown field', { ...row, extra: 1 }, {}, 400, 'bad_request', 'body.extra'],
    ['an array', [row], {}, 400, 'bad_request', 'body'],
    ['unknown symbol', { ...row, symbol: 'MSFT' }, {}, 404, 'unknown_symbol', 'body.symbol'],
    ['other interval', { ...row, interval: '1h' }, {}, 422, 'unprocessable', 'body'],
    [
      'huge body',
      { ...row, values: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`f${i}`, i])) },
      {},
      413,
      'payload_too_large',
      'body',
    ],
  ]
  for (const [name, payload, headers, status, code, parameter] of cases) {
    const response = await post(payload, headers)
    assert.equal(response.statusCode, status, `${name}: ${response.body}`)
    const body = errorResponse.parse(response.json())
    assert.equal(body.error, code, name)
    assert.equal(body.parameter, parameter, name)
    assert.doesNotMatch(response.body, /at .*\.ts:\d+/, `${name}: no stack trace`)
  }
})

test('a symbol with bars but no model yet is a 404 no_model', async () => {
  const row = { ...t.aapl.at(-1)!.row, symbol: 'NOMODEL' }
  t.views.apply({ kind: 'bar', bar: { ...t.aapl[0]!.bar, symbol: 'NOMODEL' } }, 0)
  const response = await post(row)
  assert.equal(response.statusCode, 404)
  assert.equal(errorResponse.parse(response.json()).error, 'no_model')
})

test('a model that warms up or lacks a feature is a 422 saying which', async () => {
  const early = t.aapl[5]!
  const snapshot = { ...early.snapshot, symbol: 'EARLY' }
  t.views.apply({ kind: 'model', snapshot }, 0)
  const response = await post({ ...early.row, symbol: 'EARLY' })
  assert.equal(response.statusCode, 422)
  assert.match(errorResponse.parse(response.json()).message, /warming up/)
})

test('extreme numbers in a row are 200 with finite numbers inside the bounds and 400 naming the field outside', async () => {
  const row = t.aapl.at(-1)!.row
  const finiteEverywhere = (value: unknown): boolean =>
    typeof value === 'number'
      ? Number.isFinite(value)
      : value === null || typeof value !== 'object' || Object.values(value).every(finiteEverywhere)
  // Each model served in turn (naive is served on the real series), so every model's forecast is tried.
  const snapshot = t.aapl.at(-1)!.snapshot
  for (const served of snapshot.models.map((model) => model.id)) {
    const symbol = `SERVED-${served.toUpperCase()}`
    t.views.apply({ kind: 'model', snapshot: { ...snapshot, symbol, served } }, 0)
    for (const close of [MIN_PRICE, MAX_PRICE]) {
      for (const extreme of [-MAX_FEATURE_VALUE, 0, MAX_FEATURE_VALUE]) {
        const values = { ...row.values, r1: extreme, closeToSma20: extreme, volumeZ20: -extreme }
        const response = await post({ ...row, symbol, close, values })
        assert.equal(response.statusCode, 200, `${served}, close ${close}, ${extreme}: ${response.body}`)
        const body = predictionBody.parse(response.json())
        assert.deepEqual([body.lastClose, body.model.id], [close, served])
        assert.ok(finiteEverywhere(body), response.body)
      }
    }
  }
  const cases: [string, unknown, string, string][] = [
    [
      'the largest double as close',
      { ...row, close: 1.7976931348623157e308 },
      'body.close',
      'body.close: must be at most 1e9 (MAX_PRICE)',
    ],
    [
      'a close below a millionth',
      { ...row, close: 1e-7 },
      'body.close',
      'body.close: must be at least 1e-6 (MIN_PRICE)',
    ],
    [
      'a feature past the bound',
      { ...row, values: { ...row.values, r1: 1e300 } },
      'body.values.r1',
      'body.values.r1: must lie within ±1e12 (MAX_FEATURE_VALUE)',
    ],
    [
      'barStart after barEnd',
      { ...row, barStart: row.barEnd + 1 },
      'body.barEnd',
      'body.barEnd: must be after barStart',
    ],
    ['barEnd 0', { ...row, barStart: 0, barEnd: 0 }, 'body.barEnd', 'body.barEnd: must be after barStart'],
    [
      'an unknown feature version',
      { ...row, featureVersion: 2 },
      'body.featureVersion',
      'body.featureVersion: must be 1, the feature set of the models',
    ],
  ]
  for (const [name, payload, parameter, message] of cases) {
    const response = await post(payload)
    assert.equal(response.statusCode, 400, `${name}: ${response.body}`)
    const body = errorResponse.parse(response.json())
    assert.deepEqual([body.error, body.parameter, body.message], ['bad_request', parameter, message], name)
  }
})

test('a body of 1,500 unknown keys or one 10 KB key gets a short error', async () => {
  const row = t.aapl.at(-1)!.row
  const many = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${String(i)}`, 1]))
  for (const payload of [
    { ...row, ...many },
    { ...row, ['x'.repeat(10_000)]: 1 },
  ]) {
    const response = await post(payload)
    assert.equal(response.statusCode, 400)
    assert.ok(response.body.length < 500, `${String(response.body.length)} bytes`)
    const body = errorResponse.parse(response.json())
    assert.equal(body.error, 'bad_request')
    assert.ok(body.parameter !== undefined && body.parameter.length <= 100, body.parameter)
  }
})
