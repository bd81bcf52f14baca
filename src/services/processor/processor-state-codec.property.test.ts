import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { BAR_BUILDER_STATE_VERSION, type OpenBar } from '../../core/bars/bar-builder-state.ts'
import { MAX_BAR_VOLUME, MAX_LOG_RETURN, MAX_PRICE, MIN_PRICE } from '../../core/contracts/primitives.ts'
import { FEATURE_VERSION } from '../../core/features/feature-names.ts'
import { FEATURE_WINDOW, fromFeatureStateJson } from '../../core/features/feature-state.ts'
import { PROCESSOR_STATE_VERSION, type ProcessorState } from './processor-state.ts'
import { decodeProcessorState, encodeProcessorState, encodeProcessorStates } from './processor-state-codec.ts'

// Every layout of the processor-state value: 0, 1 or 2 open bars, 0 to 256 dedup ids, each
// nullable number present or absent, any symbol; every number anywhere its schema allows.

const epochMs = fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) })
const int = fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 })
const between = (min: number, max: number) => fc.double({ min, max, noNaN: true })
const price = between(MIN_PRICE, MAX_PRICE)
const volume = between(0, MAX_BAR_VOLUME)
const finite = fc.double({ noNaN: true, noDefaultInfinity: true })
const ring = (item: fc.Arbitrary<number>) =>
  fc.array(item, { minLength: FEATURE_WINDOW, maxLength: FEATURE_WINDOW })
const ticker = fc.stringMatching(/^[A-Z0-9^][A-Z0-9.^=_-]{0,31}$/)

const openBar: fc.Arbitrary<OpenBar> = fc
  .tuple(epochMs, epochMs, price, price, price, price, int, int)
  .chain(([start, end, open, high, low, close, openAt, closeAt]) =>
    fc
      .tuple(fc.integer({ min: 1, max: 2 ** 40 }), volume, fc.boolean(), fc.option(volume))
      .map(([count, barVolume, hasBarQuote, cumVolume]) => ({
        start,
        end,
        open,
        high,
        low,
        close,
        openAt,
        closeAt,
        count,
        barVolume,
        hasBarQuote,
        cumVolume,
      })),
  )

const features = fc
  .tuple(
    fc.integer({ min: 0, max: 2 ** 53 - 1 }),
    fc.option(epochMs),
    ring(between(0, MAX_PRICE)),
    ring(between(-MAX_LOG_RETURN, MAX_LOG_RETURN)),
    ring(volume),
    fc.array(finite, { minLength: 16, maxLength: 16 }),
    fc.tuple(fc.option(finite), fc.option(finite), fc.option(finite), fc.option(finite)),
    fc.tuple(finite, finite, fc.option(finite)),
  )
  .map(
    ([
      count,
      lastStart,
      closes,
      returns,
      volumes,
      sums,
      [ema12, ema20, ema26, macdSignal],
      [rsiGain, rsiLoss, ewmaVar],
    ]) =>
      fromFeatureStateJson({
        version: FEATURE_VERSION,
        count,
        lastStart,
        closes,
        returns,
        volumes,
        sums,
        ema12,
        ema20,
        ema26,
        macdSignal,
        rsiGain,
        rsiLoss,
        ewmaVar,
      }),
  )

const processorState: fc.Arbitrary<ProcessorState> = fc
  .tuple(
    fc.oneof(ticker, fc.string({ unit: 'grapheme', maxLength: 12 })),
    ticker,
    fc.array(openBar, { maxLength: 2 }),
    fc.option(epochMs),
    fc.option(int),
    fc.array(fc.integer({ min: 0, max: 2 ** 53 - 1 }), { maxLength: 256 }),
    fc.integer({ min: 0, max: 2 ** 53 - 1 }),
    fc.option(fc.tuple(int, volume)),
    features,
  )
  .map(
    ([
      symbol,
      barsSymbol,
      open,
      closedThroughMs,
      eventTimeMs,
      recentIds,
      recentIdsNext,
      carry,
      featureState,
    ]) => ({
      schema: PROCESSOR_STATE_VERSION,
      symbol,
      bars: {
        version: BAR_BUILDER_STATE_VERSION,
        symbol: barsSymbol,
        open,
        closedThroughMs,
        eventTimeMs,
        recentIds,
        recentIdsNext,
        volumeCarry: carry === null ? null : { day: carry[0], cumVolume: carry[1] },
      },
      features: featureState,
    }),
  )

test('every processor-state layout decodes to exactly the state encoded, alone or in a batch', () => {
  fc.assert(
    fc.property(fc.array(processorState, { minLength: 1, maxLength: 4 }), (states) => {
      const values = encodeProcessorStates(states)
      for (const [index, state] of states.entries()) {
        assert.deepEqual(values[index], encodeProcessorState(state))
        assert.deepEqual(decodeProcessorState(values[index]), { ok: true, value: state })
      }
    }),
    { seed: 17_2026, numRuns: 300 },
  )
})
