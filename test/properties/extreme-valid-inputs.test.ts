import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { applyQuote } from '../../src/core/bars/apply-quote.ts'
import { closeDueBars } from '../../src/core/bars/close-due-bars.ts'
import { resolveBarConfig } from '../../src/core/bars/resolve-bar-config.ts'
import { barSchema, type Bar } from '../../src/core/contracts/bar.ts'
import { encodeMessage } from '../../src/core/contracts/decode-message.ts'
import { featureRowSchema, type FeatureRow } from '../../src/core/contracts/feature-row.ts'
import { modelSnapshotSchema } from '../../src/core/contracts/model-snapshot.ts'
import { predictionSchema } from '../../src/core/contracts/prediction.ts'
import { MAX_PRICE, MAX_VOLUME, MIN_PRICE } from '../../src/core/contracts/primitives.ts'
import { quoteSchema, type Quote } from '../../src/core/contracts/quote.ts'
import { FEATURE_NAMES } from '../../src/core/features/feature-names.ts'
import { nextFeatures } from '../../src/core/features/next-features.ts'
import { EWMA_VOLATILITY } from '../../src/core/model/ewma-volatility.ts'
import { trainStep } from '../../src/core/training/train-step.ts'
import { resolveTrainerOptions } from '../../src/core/training/trainer-options.ts'
import { fromSnapshot, toSnapshot } from '../../src/core/training/trainer-snapshot.ts'
import { decodeModelSnapshot, encodeModelSnapshot } from '../../src/core/training/model-snapshot-codec.ts'
import { createTrainerState, type TrainerState } from '../../src/core/training/trainer-state.ts'
import {
  historyResponse,
  scoresResponse,
  symbolSummary,
} from '../../src/services/predictor/api/api-schemas.ts'
import { createModelPredictor } from '../../src/services/predictor/predict/create-model-predictor.ts'
import { historyPoints } from '../../src/services/predictor/present/history-points.ts'
import { scoresOf } from '../../src/services/predictor/present/scores-of.ts'
import { summariseSymbol } from '../../src/services/predictor/present/summarise-symbol.ts'
import { createViews, type PredictorViews } from '../../src/services/predictor/views/create-views.ts'
import { decodeChange, type ViewKind } from '../../src/services/predictor/views/decode-change.ts'
import {
  decodeProcessorState,
  encodeProcessorState,
} from '../../src/services/processor/processor-state-codec.ts'
import { createProcessorState, type ProcessorState } from '../../src/services/processor/processor-state.ts'

/*
 * Extreme but valid quotes through the whole chain, as the services run it: bar builder
 * (applyQuote, closeDueBars), features (nextFeatures), trainer (trainStep), the prediction
 * service's views and its on-demand forecast. Every output must satisfy its contract (which admits
 * no NaN or ±Infinity), every state must survive its changelog codec, and no value that is due may
 * be missing: a NaN would otherwise hide as "none".
 */

const SEED = 19_2026
const NUM_RUNS = 100
const DAY_MS = 86_400_000
const SYMBOL = 'EXTREME'
const LAST_DAY = Date.UTC(2190, 0, 1)

const resolved = resolveBarConfig({ interval: '1d' })
if (!resolved.ok) throw new Error(resolved.error)
const config = resolved.value

/** Prices from the whole allowed range: its ends, one ulp inside them, and log-uniform between. */
const price = fc.oneof(
  fc.constantFrom(MIN_PRICE, MAX_PRICE, MIN_PRICE * (1 + Number.EPSILON), MAX_PRICE * (1 - Number.EPSILON)),
  fc
    .double({ min: Math.log(MIN_PRICE), max: Math.log(MAX_PRICE), noNaN: true })
    .map((x) => Math.min(MAX_PRICE, Math.max(MIN_PRICE, Math.exp(x)))),
  fc.double({ min: 1, max: 1000, noNaN: true }),
)
const volume = fc.option(
  fc.oneof(fc.constantFrom(0, MAX_VOLUME), fc.double({ min: 0, max: MAX_VOLUME, noNaN: true })),
  { nil: undefined },
)

/** One trading day: a provider bar, or a few live snapshots; the close may repeat the last one exactly. */
const day = fc.record({
  gapDays: fc.oneof(
    { weight: 12, arbitrary: fc.constant(1) },
    { weight: 2, arbitrary: fc.integer({ min: 2, max: 10 }) },
    { weight: 1, arbitrary: fc.integer({ min: 365, max: 365 * 30 }) },
  ),
  kind: fc.constantFrom('bar', 'snapshot'),
  isFlat: fc.boolean(),
  prices: fc.array(price, { minLength: 2, maxLength: 3 }),
  volume,
  /** The services restart after this day: every state continues from its decoded changelog value. */
  isRestart: fc.boolean(),
  /** The clock closes the day's bar (as `--close-on-clock` does) instead of the next quote. */
  isClockClose: fc.boolean(),
})

type Day = typeof day extends fc.Arbitrary<infer T> ? T : never

function quotesOf(d: Day, dayStart: number, lastClose: number | undefined): Quote[] {
  const prices = d.isFlat && lastClose !== undefined ? d.prices.map(() => lastClose) : d.prices
  const close = prices.at(-1)!
  const base = { schema: 1, symbol: SYMBOL, exchange: 'TEST', currency: 'USD', source: 'property' } as const
  if (d.kind === 'bar') {
    return [
      {
        ...base,
        id: `bar:${String(dayStart)}`,
        kind: 'bar',
        interval: '1d',
        price: close,
        open: prices[0]!,
        high: Math.max(...prices),
        low: Math.min(...prices),
        ...(d.volume === undefined ? {} : { volume: d.volume }),
        asOf: dayStart,
        fetchedAt: dayStart + DAY_MS,
      },
    ]
  }
  return prices.map((p, i) => {
    const asOf = dayStart + (14 + i) * 3_600_000
    return {
      ...base,
      id: `snap:${String(asOf)}`,
      kind: 'snapshot',
      price: p,
      ...(d.volume === undefined ? {} : { volume: (d.volume * (i + 1)) / prices.length }),
      asOf,
      fetchedAt: asOf + 1000,
    }
  })
}

interface Chain {
  processor: ProcessorState
  trainer: TrainerState
  readonly views: PredictorViews
  bars: number
  lastRow?: FeatureRow
}

const trainerOptions = resolveTrainerOptions()
const predict = createModelPredictor(trainerOptions)

function applyToViews(views: PredictorViews, kind: ViewKind, value: Uint8Array): void {
  const change = decodeChange(kind, value)
  assert.ok(change.ok, `the views refused a ${kind}: ${change.ok ? '' : change.error}`)
  if (change.value !== null) views.apply(change.value, 0)
}

/** Features every row from `n` bars on must have: all but %B and the volume z-score (null while σ = 0). */
function missingFeatures(row: FeatureRow, n: number): string[] {
  const due = (name: string): boolean =>
    name === 'bollingerPctB' || name === 'volumeZ20'
      ? false
      : name.startsWith('macd')
        ? n >= 34
        : name === 'close'
          ? true
          : n >= 21
  return FEATURE_NAMES.filter((name) => due(name) && row.values[name] === null)
}

function stepBar(chain: Chain, bar: Bar): void {
  assert.ok(barSchema.safeParse(bar).success, `bar outside its contract: ${JSON.stringify(bar)}`)
  const { row } = nextFeatures(chain.processor.features, bar)
  chain.bars += 1
  const parsedRow = featureRowSchema.safeParse(row)
  assert.ok(parsedRow.success, `row outside its contract: ${parsedRow.error?.message ?? ''}`)
  assert.deepEqual(missingFeatures(row, chain.bars), [], `bar ${String(chain.bars)}: ${JSON.stringify(row)}`)
  const learned = chain.trainer.volatility[EWMA_VOLATILITY.count]!
  const result = trainStep(trainerOptions, chain.trainer, row, true)
  for (const f of result.scored?.forecasts ?? []) {
    assert.ok([f.predicted, f.actual, f.half80, f.half95].every(Number.isFinite), JSON.stringify(f))
  }
  if (learned >= trainerOptions.warmupBars) {
    // Naive is served (no model has 250 scored bars here), and it always forecasts once σ is warm.
    assert.ok(result.prediction !== null, `no prediction after bar ${String(chain.bars)}`)
  }
  if (result.prediction !== null) {
    const parsed = predictionSchema.safeParse(result.prediction)
    assert.ok(parsed.success, `prediction outside its contract: ${JSON.stringify(result.prediction)}`)
  }
  const snapshotValue = encodeModelSnapshot(chain.trainer)
  const snapshot = decodeModelSnapshot(snapshotValue)
  assert.ok(snapshot.ok, `model snapshot unreadable: ${snapshot.ok ? '' : snapshot.error}`)
  assert.ok(modelSnapshotSchema.safeParse(toSnapshot(chain.trainer)).success)
  applyToViews(chain.views, 'bar', encodeMessage(bar))
  if (result.prediction !== null) applyToViews(chain.views, 'prediction', encodeMessage(result.prediction))
  applyToViews(chain.views, 'model', snapshotValue)
  const forecast = predict(snapshot.value, row)
  if (forecast.ok) assert.ok(predictionSchema.safeParse(forecast.value).success, JSON.stringify(forecast))
  chain.lastRow = row
}

function restart(chain: Chain): void {
  const processor = decodeProcessorState(encodeProcessorState(chain.processor))
  assert.ok(processor.ok, `processor state unreadable: ${processor.ok ? '' : processor.error}`)
  chain.processor = processor.value
  // Before its first row the trainer has no snapshot, and a restart starts it fresh.
  if (chain.trainer.version === 0) return
  const snapshot = decodeModelSnapshot(encodeModelSnapshot(chain.trainer))
  assert.ok(snapshot.ok, snapshot.ok ? '' : snapshot.error)
  const trainer = fromSnapshot(trainerOptions, snapshot.value)
  assert.ok(trainer.ok, `trainer state not restorable: ${trainer.ok ? '' : trainer.error}`)
  chain.trainer = trainer.value
}

function checkViews(views: PredictorViews): void {
  const view = views.get(SYMBOL)
  assert.ok(view !== undefined)
  const points = historyPoints(view, 0, Number.MAX_SAFE_INTEGER, 5000)
  const history = { symbol: view.symbol, interval: view.interval, count: points.length, points }
  const parsed = historyResponse.safeParse(history)
  assert.ok(parsed.success, `history outside its schema: ${parsed.error?.message ?? ''}`)
  assert.ok(symbolSummary.safeParse(summariseSymbol(view)).success)
  if (view.model !== undefined) {
    const scores = scoresResponse.safeParse(scoresOf(view.model))
    assert.ok(scores.success, `scores outside their schema: ${scores.error?.message ?? ''}`)
  }
}

test(`extreme but valid quotes keep every output, state and view finite and decodable (seed ${String(SEED)}, ${String(NUM_RUNS)} runs)`, (t) => {
  let bars = 0
  fc.assert(
    fc.property(
      fc.integer({ min: Date.UTC(1990, 0, 1) / DAY_MS, max: Date.UTC(2030, 0, 1) / DAY_MS }),
      fc.array(day, { minLength: 1, maxLength: 80, size: 'max' }),
      (firstDay, days) => {
        const chain: Chain = {
          processor: createProcessorState(SYMBOL),
          trainer: createTrainerState(trainerOptions, SYMBOL, '1d'),
          views: createViews({ maxBarsPerSymbol: 5000 }),
          bars: 0,
        }
        let dayStart = firstDay * DAY_MS
        let lastClose: number | undefined
        for (const d of days) {
          dayStart =
            dayStart + d.gapDays * DAY_MS > LAST_DAY ? dayStart + DAY_MS : dayStart + d.gapDays * DAY_MS
          for (const quote of quotesOf(d, dayStart, lastClose)) {
            assert.ok(quoteSchema.safeParse(quote).success, `not a valid quote: ${JSON.stringify(quote)}`)
            const applied = applyQuote(chain.processor.bars, quote, config)
            assert.equal(applied.rejected, null, JSON.stringify(applied.rejected))
            for (const bar of applied.completed) stepBar(chain, bar)
            lastClose = quote.price
          }
          if (d.isClockClose) {
            for (const bar of closeDueBars(chain.processor.bars, dayStart + 2 * DAY_MS, config).completed) {
              stepBar(chain, bar)
            }
          }
          if (d.isRestart) restart(chain)
        }
        for (const bar of closeDueBars(chain.processor.bars, LAST_DAY + 10 * DAY_MS, config).completed) {
          stepBar(chain, bar)
        }
        restart(chain)
        if (chain.bars > 0) checkViews(chain.views)
        bars += chain.bars
      },
    ),
    { seed: SEED, numRuns: NUM_RUNS },
  )
  assert.ok(bars > NUM_RUNS * 10, `only ${String(bars)} bars were tried`)
  t.diagnostic(`${String(bars)} bars through the chain in ${String(NUM_RUNS)} runs, seed ${String(SEED)}`)
})
