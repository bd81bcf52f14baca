import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import fc from 'fast-check'
import { z } from 'zod'
import { parseOhlcvCsv } from '../market-data/parse-ohlcv-csv.ts'
import { MODEL_REGISTRY } from '../model/model-registry.ts'
import type { AnyModelSpec, ModelSpec } from '../model/model-spec.ts'
import { VARIANCE_CHALLENGERS } from '../model/variance-models.ts'
import { createSymbolTrainer } from './create-symbol-trainer.ts'
import { featureRowsOf } from './feature-rows-of.ts'
import { decodeModelSnapshot, encodeModelSnapshot, encodeModelSnapshots } from './model-snapshot-codec.ts'
import type { TrainerState } from './trainer-state.ts'

// Every layout of the models value: any list of the registered models (naive, the baseline,
// always among them) in any order, any list of variance challengers, and a model of its own with
// a state of any shape; states of several lists in one batch.

const parsed = parseOhlcvCsv(readFileSync(new URL('../../../data/aapl.csv', import.meta.url), 'utf8'), {
  symbol: 'AAPL',
})
assert.ok(parsed.ok)
const rows = featureRowsOf(parsed.value)

type Leaf = number | number[]
interface Shape {
  readonly [key: string]: Leaf | Shape
}

const key = fc.stringMatching(/^[A-Za-z_$][\w$]{0,6}$/).filter((k) => k !== '__proto__')
const leaf: fc.Arbitrary<Leaf> = fc.oneof(fc.double(), fc.array(fc.double(), { maxLength: 6 }))
const shape: fc.Arbitrary<Shape> = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, leaf, tie('shape')), { minKeys: 1, maxKeys: 4 }),
})).shape

/** A model whose state is `state`, left as it is: only its layout matters here. */
const modelOf = (state: Shape, id: string): ModelSpec<Shape> => ({
  id,
  kind: 'shape',
  version: 1,
  features: ['r1'],
  stateSchema: z.any(),
  init: () => structuredClone(state),
  copy: (s) => structuredClone(s),
  predict: () => Number.NaN,
  update: () => undefined,
})

const others = MODEL_REGISTRY.filter((spec) => spec.id !== 'naive')
const modelList = fc
  .tuple(
    fc.shuffledSubarray(others),
    fc.integer({ min: 0, max: others.length }),
    fc.option(fc.tuple(shape, fc.constantFrom('own', 'modèle'))),
  )
  .map(([chosen, naiveAt, own]): AnyModelSpec[] => {
    const list: AnyModelSpec[] = [...chosen]
    list.splice(Math.min(naiveAt, list.length), 0, MODEL_REGISTRY[0]!)
    if (own !== null) list.push(modelOf(...own))
    return list
  })
const trainerCase = fc.tuple(
  modelList,
  fc.shuffledSubarray([...VARIANCE_CHALLENGERS]),
  fc.integer({ min: 1, max: 300 }),
)

/** `value` with its typed arrays as arrays: a decoded model state holds arrays where the live one may not. */
const plain = (value: unknown): unknown =>
  value instanceof Float64Array
    ? Array.from(value)
    : Array.isArray(value)
      ? value.map(plain)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([k, item]) => [k, plain(item)]))
        : value

test('every models layout decodes to the snapshot of the state encoded, alone or in a batch of layouts', () => {
  fc.assert(
    fc.property(fc.array(trainerCase, { minLength: 1, maxLength: 3 }), (cases) => {
      const states: TrainerState[] = []
      const trainers = cases.map(([models, varianceModels, count]) => {
        const trainer = createSymbolTrainer({ models, varianceModels })
        const state = trainer.init('AAPL', '1d')
        for (const row of rows.slice(0, count)) trainer.step(state, row)
        states.push(state)
        return trainer
      })
      const values = encodeModelSnapshots(states)
      for (const [index, state] of states.entries()) {
        const trainer = trainers[index]!
        assert.deepEqual(values[index], encodeModelSnapshot(state))
        const decoded = decodeModelSnapshot(values[index])
        assert.deepEqual(decoded, { ok: true, value: plain(trainer.toSnapshot(state)) })
        if (state.models.every((slot) => MODEL_REGISTRY.includes(slot.spec)))
          assert.deepEqual(trainer.fromSnapshot(decoded.value), { ok: true, value: state })
      }
    }),
    { seed: 17_2026, numRuns: 60 },
  )
})
