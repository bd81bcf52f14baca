// Model updates per second on the trainer's hot path: the in-place training step (score every pending
// forecast, update every model, forecast the next bar, pick the served one) over the precomputed
// feature rows of the bundled S&P 500 series, repeated. No I/O, no JSON, no bus inside the timing.
import { readFileSync } from 'node:fs'
import { parseOhlcvCsv } from '../src/core/market-data/parse-ohlcv-csv.ts'
import { resolveTrainerOptions } from '../src/core/training/trainer-options.ts'
import { createTrainerState } from '../src/core/training/trainer-state.ts'
import { trainStep } from '../src/core/training/train-step.ts'
import { featureRowsOf } from '../src/core/training/feature-rows-of.ts'

const ROUNDS = Number(process.argv[2] ?? 20)
const parsed = parseOhlcvCsv(readFileSync(new URL('../data/sp500.csv', import.meta.url), 'utf8'), {
  symbol: '^GSPC',
})
if (!parsed.ok) throw new Error(parsed.error)
const rows = featureRowsOf(parsed.value)
const trainerOptions = resolveTrainerOptions()

function pass(): number {
  let state = createTrainerState(trainerOptions, '^GSPC', '1d')
  let predictions = 0
  for (const row of rows) {
    const result = trainStep(trainerOptions, state, row)
    state = result.state
    if (result.prediction !== null) predictions += 1
  }
  return predictions
}

for (let i = 0; i < 3; i++) pass() // warm-up: let the JIT settle before timing
const started = process.hrtime.bigint()
let predictions = 0
for (let i = 0; i < ROUNDS; i++) predictions += pass()
const seconds = Number(process.hrtime.bigint() - started) / 1e9
const steps = ROUNDS * rows.length
const models = trainerOptions.models.length
console.log(
  `model-hot-path: ${steps} training steps (${rows.length} rows × ${ROUNDS}, ${models} models each) in ${seconds.toFixed(2)} s`,
)
console.log(`  ${Math.round(steps / seconds).toLocaleString('en-US')} steps/s (rows/s per symbol)`)
console.log(`  ${Math.round((steps * models) / seconds).toLocaleString('en-US')} model updates/s`)
console.log(`  ${((seconds / steps) * 1e6).toFixed(2)} µs per step; ${predictions} predictions published`)
