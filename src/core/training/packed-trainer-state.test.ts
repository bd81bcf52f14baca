import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import type { FeatureRow } from '../contracts/feature-row.ts'
import { parseOhlcvCsv } from '../market-data/parse-ohlcv-csv.ts'
import { syntheticFeatureRows } from '../../../test/fixtures/training/synthetic-feature-rows.ts'
import { featureRowsOf } from './feature-rows-of.ts'
import { encodeModelSnapshot, encodeModelSnapshotsOf } from './model-snapshot-codec.ts'
import { createTrainerWorkbench, packTrainerState, type PackedTrainerState } from './packed-trainer-state.ts'
import { trainStep } from './train-step.ts'
import { resolveTrainerOptions } from './trainer-options.ts'
import { createTrainerState } from './trainer-state.ts'

const trainerOptions = resolveTrainerOptions()

const closes = Array.from({ length: 40 }, (_, t) => 100 * Math.exp(0.01 * Math.sin(t * 0.7)))

/** The bundled series' feature rows: long enough for a variance challenger to be served. */
const bundledRows = (file: string, symbol: string): FeatureRow[] => {
  const parsed = parseOhlcvCsv(readFileSync(new URL(`../../../data/${file}`, import.meta.url), 'utf8'), {
    symbol,
  })
  assert.ok(parsed.ok)
  return featureRowsOf(parsed.value)
}

/** The default options, and a serving rule so loose that the served point model changes too. */
const optionSets = [
  { name: 'default', options: trainerOptions },
  { name: 'loose serving', options: resolveTrainerOptions({ serving: { minScoredBars: 20, maxDm: 1 } }) },
]

for (const { name, options } of optionSets)
  test(`symbols trained in turn in one workbench publish what states of their own publish, bit for bit (${name})`, () => {
    const series = [bundledRows('sp500.csv', '^GSPC'), bundledRows('aapl.csv', 'AAPL')]
    const symbols = ['^GSPC', 'AAPL']
    const own = symbols.map((symbol) => createTrainerState(options, symbol, '1d'))
    const workbench = createTrainerWorkbench(options)
    const packed = new Map<string, PackedTrainerState>()
    const longest = Math.max(...series.map((rows) => rows.length))
    for (let t = 0; t < longest; t++) {
      symbols.forEach((symbol, i) => {
        const row = series[i]![t]
        if (row === undefined) return
        const expected = trainStep(options, own[i]!, row)
        const before = packed.get(symbol)
        const state = before === undefined ? workbench.openNew(symbol, '1d') : workbench.open(before)
        const actual = trainStep(options, state, row)
        packed.set(symbol, packTrainerState(state, before))
        assert.deepEqual(actual.prediction, expected.prediction, `${symbol}, row ${String(t)}`)
      })
    }
    const encoded = encodeModelSnapshotsOf([...packed.values()], workbench.open)
    assert.deepEqual(encoded, own.map(encodeModelSnapshot))
    // What the comparison covered: a challenger served in place of EWMA, and with the loose rule a point model in place of naive.
    assert.ok(own.some((state) => state.servedVariance > 0))
    if (name === 'loose serving') assert.ok(own.some((state) => state.served > 0))
  })

test('packing in place reuses the packed state; a packed state of other models is refused by name', () => {
  const state = createTrainerState(trainerOptions, 'AAPL', '1d')
  for (const row of syntheticFeatureRows(closes, 'AAPL')) trainStep(trainerOptions, state, row)
  const packed = packTrainerState(state)
  assert.equal(packTrainerState(state, packed), packed)
  const fewer = resolveTrainerOptions({ varianceModels: [] })
  assert.throws(() => createTrainerWorkbench(fewer).open(packed), /AAPL's packed state does not fit/)
})

test('a packed symbol holds under 4 KiB of memory after GC; the state it was packed from, over 4 KiB', () => {
  const module = new URL('./packed-trainer-state.ts', import.meta.url).pathname
  const options = new URL('./trainer-options.ts', import.meta.url).pathname
  const state = new URL('./trainer-state.ts', import.meta.url).pathname
  // Per symbol, the growth of the V8 heap and array buffers from none to 2,000 symbols kept in a Map.
  const script = `
    import { packTrainerState } from ${JSON.stringify(module)}
    import { resolveTrainerOptions } from ${JSON.stringify(options)}
    import { createTrainerState } from ${JSON.stringify(state)}
    const trainerOptions = resolveTrainerOptions()
    const used = () => { globalThis.gc(); globalThis.gc(); const u = process.memoryUsage(); return u.heapUsed + u.arrayBuffers }
    const perSymbol = (make) => {
      const kept = new Map(); const before = used()
      for (let i = 0; i < 2000; i++) { const symbol = 'S' + String(i).padStart(5, '0'); kept.set(symbol, make(symbol)) }
      const bytes = (used() - before) / kept.size
      kept.clear()
      return bytes
    }
    const full = perSymbol((symbol) => createTrainerState(trainerOptions, symbol, '1d'))
    const packed = perSymbol((symbol) => packTrainerState(createTrainerState(trainerOptions, symbol, '1d')))
    process.stdout.write(JSON.stringify({ full, packed }))`
  const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  })
  assert.equal(child.status, 0, child.stderr.slice(0, 2000))
  const { full, packed } = JSON.parse(child.stdout) as { full: number; packed: number }
  assert.ok(packed < 4096, `packed ${String(packed)} B a symbol`)
  assert.ok(full > 4096, `full ${String(full)} B a symbol`)
})
