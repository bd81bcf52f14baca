import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import fc from 'fast-check'
import { z } from 'zod'
import { parseOhlcvCsv } from '../market-data/parse-ohlcv-csv.ts'
import { MODEL_REGISTRY } from '../model/model-registry.ts'
import type { ModelSpec } from '../model/model-spec.ts'
import { defineStateLayout, type StateFieldSpec } from '../model/model-state-layout.ts'
import { VARIANCE_CHALLENGERS } from '../model/variance-models.ts'
import { resolveTrainerOptions } from './trainer-options.ts'
import { createTrainerState } from './trainer-state.ts'
import { trainStep } from './train-step.ts'
import { fromSnapshot, toSnapshot } from './trainer-snapshot.ts'
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

/** The fields of `shape` in the order of its keys (dotted below `prefix`), and its numbers in that order. */
function fieldsOf(shape: Shape, prefix = ''): { fields: StateFieldSpec[]; numbers: number[] } {
  const fields: StateFieldSpec[] = []
  const numbers: number[] = []
  for (const [name, value] of Object.entries(shape)) {
    const path = prefix + name
    if (typeof value === 'number') {
      fields.push(path)
      numbers.push(value)
    } else if (Array.isArray(value)) {
      fields.push([path, value.length])
      numbers.push(...value)
    } else {
      const inner = fieldsOf(value, `${path}.`)
      fields.push(...inner.fields)
      numbers.push(...inner.numbers)
    }
  }
  return { fields, numbers }
}

/** A model whose state holds the numbers of `shape`, left as they are: only its layout matters here. */
function modelOf(shape: Shape, id: string): ModelSpec {
  const { fields, numbers } = fieldsOf(shape)
  return {
    id,
    kind: 'shape',
    version: 1,
    features: ['r1'],
    layout: defineStateLayout(fields),
    stateSchema: z.any(),
    init(s) {
      s.set(numbers)
    },
    predict: () => Number.NaN,
    update: () => undefined,
  }
}

const others = MODEL_REGISTRY.filter((spec) => spec.id !== 'naive')
const modelList = fc
  .tuple(
    fc.shuffledSubarray(others),
    fc.integer({ min: 0, max: others.length }),
    fc.option(fc.tuple(shape, fc.constantFrom('own', 'modèle'))),
  )
  .map(([chosen, naiveAt, own]): ModelSpec[] => {
    const list: ModelSpec[] = [...chosen]
    list.splice(Math.min(naiveAt, list.length), 0, MODEL_REGISTRY[0]!)
    if (own !== null) list.push(modelOf(...own))
    return list
  })
const trainerCase = fc.tuple(
  modelList,
  fc.shuffledSubarray([...VARIANCE_CHALLENGERS]),
  fc.integer({ min: 1, max: 300 }),
)

test('every models layout decodes to the snapshot of the state encoded, alone or in a batch of layouts', () => {
  fc.assert(
    fc.property(fc.array(trainerCase, { minLength: 1, maxLength: 3 }), (cases) => {
      const states: TrainerState[] = []
      const optionsOfStates = cases.map(([models, varianceModels, count]) => {
        const trainerOptions = resolveTrainerOptions({ models, varianceModels })
        const state = createTrainerState(trainerOptions, 'AAPL', '1d')
        for (const row of rows.slice(0, count)) trainStep(trainerOptions, state, row)
        states.push(state)
        return trainerOptions
      })
      const values = encodeModelSnapshots(states)
      for (const [index, state] of states.entries()) {
        const trainerOptions = optionsOfStates[index]!
        assert.deepEqual(values[index], encodeModelSnapshot(state))
        const decoded = decodeModelSnapshot(values[index])
        assert.deepEqual(decoded, { ok: true, value: toSnapshot(state) })
        if (state.models.every((slot) => MODEL_REGISTRY.includes(slot.spec)))
          assert.deepEqual(fromSnapshot(trainerOptions, decoded.value), { ok: true, value: state })
      }
    }),
    { seed: 17_2026, numRuns: 60 },
  )
})
