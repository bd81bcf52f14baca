import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BAR_SCHEMA_VERSION, type Bar } from '../contracts/bar.ts'
import { featureRowSchema } from '../contracts/feature-row.ts'
import { FEATURE_NAMES, FEATURE_VERSION, type FeatureName } from './feature-names.ts'
import {
  createFeatureState,
  FEATURE_SLOT,
  featureStateSchema,
  fromFeatureStateJson,
  toFeatureStateJson,
} from './feature-state.ts'
import { nextFeatures } from './next-features.ts'

const T0 = Date.UTC(2024, 0, 2, 14, 30)
const MINUTE = 60_000

function bar(index: number, close: number, volume = 1000): Bar {
  const start = T0 + index * MINUTE
  return {
    schema: BAR_SCHEMA_VERSION,
    symbol: 'TEST',
    interval: '1m',
    start,
    end: start + MINUTE,
    open: close,
    high: close,
    low: close,
    close,
    volume,
    count: 1,
  }
}

/** The feature values after feeding `closes` (and `volumes`) as consecutive 1m bars. */
function run(closes: readonly number[], volumes?: readonly number[]): Record<FeatureName, number | null>[] {
  let state = createFeatureState()
  return closes.map((close, i) => {
    const out = nextFeatures(state, bar(i, close, volumes?.[i]))
    state = out.state
    return out.row.values
  })
}

function row<T>(rows: readonly T[], index: number): T {
  const found = rows.at(index)
  if (found === undefined) throw new Error(`no row ${index}`)
  return found
}

function assertClose(
  actual: number | null | undefined,
  expected: number,
  label: string,
  tolerance = 1e-12,
): void {
  assert.ok(typeof actual === 'number', `${label}: expected ${expected}, got ${actual}`)
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${label}: ${actual} !== ${expected}`,
  )
}

const oneToForty = Array.from({ length: 40 }, (_, i) => i + 1)

test('each feature is null until its warm-up is complete, then always set (1-based bar of first value)', () => {
  const rows = run(oneToForty, oneToForty)
  const firstBar: Record<FeatureName, number> = {
    r1: 2,
    r2: 3,
    r3: 4,
    r4: 5,
    r5: 6,
    retMean5: 6,
    retStd5: 6,
    retMean20: 21,
    retStd20: 21,
    ewmaVol: 21,
    closeToSma20: 20,
    closeToEma20: 20,
    rsi14: 15,
    macd: 26,
    macdSignal: 34,
    macdHist: 34,
    bollingerPctB: 20,
    volumeZ20: 20,
    close: 1,
  }
  assert.deepEqual(Object.keys(rows[0] ?? {}), [...FEATURE_NAMES])
  for (const name of FEATURE_NAMES) {
    const first = rows.findIndex((values) => values[name] !== null) + 1
    assert.equal(first, firstBar[name], name)
    assert.ok(
      rows.slice(first - 1).every((values) => typeof values[name] === 'number'),
      `${name} stays set`,
    )
  }
})

test('lagged log returns and their 5-bar mean and sample std', () => {
  const values = row(run([100, 110, 99, 99, 108.9, 98.01]), -1)
  const [up, down] = [0.09531017980432493, -0.10536051565782628]
  assertClose(values.r1, down, 'r1')
  assertClose(values.r2, up, 'r2')
  assert.equal(values.r3, 0)
  assertClose(values.r4, down, 'r4')
  assertClose(values.r5, up, 'r5')
  assertClose(values.retMean5, -0.004020134341400539, 'retMean5')
  assertClose(values.retStd5, 0.10036051248800132, 'retStd5')
})

test('20-bar returns, EWMA volatility seeded with the mean square of the first 20 returns', () => {
  const closes = Array.from({ length: 21 }, (_, i) => (i % 2 === 0 ? 1 : 2))
  const rows = run([...closes, 1])
  const ln2 = 0.6931471805599453
  assert.equal(row(rows, 20).retMean20, 0)
  assertClose(row(rows, 20).retStd20, ln2 * Math.sqrt(20 / 19), 'retStd20')
  assertClose(row(rows, 20).ewmaVol, ln2, 'ewmaVol after 20 returns')
  assertClose(row(rows, 21).ewmaVol, 0.6720311250850731, 'ewmaVol after a flat bar: sqrt(0.94) ln 2')
})

test('SMA, EMA, Bollinger %B and volume z-score on 1..20', () => {
  const values = row(run(oneToForty.slice(0, 20), oneToForty.slice(0, 20)), -1)
  assertClose(values.closeToSma20, 0.9047619047619048, 'closeToSma20: 20 / 10.5 - 1')
  assertClose(values.closeToEma20, 0.6780423216715303, 'closeToEma20, EMA seeded with the first close')
  assertClose(values.bollingerPctB, 0.9118772355239569, '%B with population sigma sqrt(33.25)')
  assertClose(values.volumeZ20, 1.6057930839841814, 'z = 9.5 / sqrt(35)')
})

test('MACD(12, 26, 9): line from bar 26, signal and histogram from bar 34', () => {
  const rows = run(oneToForty)
  assertClose(row(rows, 25).macd, 5.2592254801732325, 'macd at 26')
  assertClose(row(rows, 33).macd, 6.036080072596107, 'macd at 34')
  assertClose(row(rows, 33).macdSignal, 5.737527795403895, 'signal at 34')
  assertClose(row(rows, 33).macdHist, 0.2985522771922123, 'histogram at 34')
  assertClose(row(rows, 39).macdSignal, 6.14388705785311, 'signal at 40')
  assertClose(row(rows, 39).macdHist, 0.24284025973672407, 'histogram at 40')
})

test('RSI(14) with Wilder smoothing', () => {
  const closes = Array.from({ length: 15 }, (_, i) => (i % 2 === 0 ? 10 : 11))
  const rows = run([...closes, 11])
  assert.equal(row(rows, 13).rsi14, null)
  assertClose(row(rows, 14).rsi14, 50, 'seven gains and seven losses of 1')
  assertClose(row(rows, 15).rsi14, 53.57142857142857, 'then a gain: 100 * 15 / 28')
})

test('a flat series: zero returns and spreads, RSI 100 as trading-signals has it, %B and z-score undefined', () => {
  const values = row(run(new Array<number>(40).fill(50)), -1)
  for (const name of [
    'r1',
    'retMean5',
    'retStd5',
    'retMean20',
    'retStd20',
    'ewmaVol',
    'closeToSma20',
    'macd',
    'macdHist',
  ] as const) {
    assertClose(values[name], 0, name)
  }
  assert.equal(values.rsi14, 100)
  assert.equal(values.bollingerPctB, null)
  assert.equal(values.volumeZ20, null)
})

test('the row carries the bar, the feature version and the gap, and satisfies its contract', () => {
  const first = nextFeatures(createFeatureState(), bar(0, 10))
  const second = nextFeatures(first.state, bar(3, 11))
  assert.equal(first.row.gapBars, 0)
  assert.equal(second.row.gapBars, 2)
  assert.equal(second.row.values.r1, Math.log(11 / 10))
  assert.deepEqual(
    { ...second.row, values: undefined },
    {
      schema: 1,
      symbol: 'TEST',
      interval: '1m',
      barStart: T0 + 3 * MINUTE,
      barEnd: T0 + 4 * MINUTE,
      close: 11,
      open: 11,
      high: 11,
      low: 11,
      featureVersion: FEATURE_VERSION,
      gapBars: 2,
      values: undefined,
    },
  )
  assert.equal(featureRowSchema.safeParse(second.row).success, true)
})

test('advances the state in place; the rows it returns share nothing with the state', () => {
  let state = createFeatureState()
  const rows: { row: unknown; json: string }[] = []
  for (let i = 0; i < 60; i++) {
    const out = nextFeatures(state, bar(i, 100 + Math.sin(i), 1000 + i))
    assert.equal(out.state, state)
    assert.equal(out.state.data[FEATURE_SLOT.count], i + 1)
    rows.push({ row: out.row, json: JSON.stringify(out.row) })
    state = out.state
  }
  for (const { row, json } of rows) assert.equal(JSON.stringify(row), json)
})

test('a fresh state shares its array with no other state', () => {
  const fresh = createFeatureState()
  const other = createFeatureState()
  assert.notEqual(fresh.data, other.data)
  for (let i = 0; i < 30; i++) nextFeatures(other, bar(i, 100 + i, 1000))
  assert.deepEqual(fresh, createFeatureState())
})

test('the JSON form of a fresh state: zeros, and null for what NaN stands for in place', () => {
  const zeros = new Array<number>(20).fill(0)
  assert.deepEqual(toFeatureStateJson(createFeatureState()), {
    version: FEATURE_VERSION,
    count: 0,
    lastStart: null,
    closes: zeros,
    returns: zeros,
    volumes: zeros,
    sums: new Array<number>(16).fill(0),
    ema12: null,
    ema20: null,
    ema26: null,
    macdSignal: null,
    rsiGain: 0,
    rsiLoss: 0,
    ewmaVar: null,
  })
})

test('a bar that does not follow the previous one is a broken invariant', () => {
  const { state } = nextFeatures(createFeatureState(), bar(5, 10))
  assert.throws(() => nextFeatures(state, bar(5, 10)), /does not follow/)
  assert.throws(() => nextFeatures(state, bar(4, 10)), /does not follow/)
})

test('the state has a small JSON form, valid against its schema, that converts back to it', () => {
  let state = createFeatureState()
  for (let i = 0; i < 100; i++)
    state = nextFeatures(state, bar(i, 1234.5678 * Math.exp(Math.sin(i) / 10), 1e9 + i)).state
  const json = JSON.stringify(toFeatureStateJson(state))
  assert.ok(json.length < 4096, `${json.length} bytes`)
  const parsed = featureStateSchema.parse(JSON.parse(json))
  assert.equal(parsed.lastStart, T0 + 99 * MINUTE)
  assert.deepEqual(fromFeatureStateJson(parsed), state)
})
