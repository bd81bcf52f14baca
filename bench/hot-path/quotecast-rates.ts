import { performance } from 'node:perf_hooks'
import type { FeatureRow } from '../../src/core/contracts/feature-row.ts'
import { MODEL_REGISTRY } from '../../src/core/model/model-registry.ts'
import { createModelState, readInputs } from '../../src/core/model/model-spec.ts'
import { runChild } from '../support/run-child.ts'

const MODEL_HOT_PATH = new URL('../model-hot-path.ts', import.meta.url).pathname
const PROCESSOR_HOT_PATH = new URL('../processor-hot-path.ts', import.meta.url).pathname

export interface HotPathOutput {
  readonly perSecond: number
  readonly output: string
}

const rateAfter = (output: string, pattern: RegExp, script: string): number => {
  const match = pattern.exec(output)
  if (match?.[1] === undefined) throw new Error(`${script} printed no ${String(pattern)}:\n${output}`)
  return Number(match[1].replaceAll(',', ''))
}

/** trainStep per second over the S&P 500 feature rows: bench/model-hot-path.ts as it is. */
export async function measureTrainingSteps(rounds: number): Promise<HotPathOutput> {
  const { stdout } = await runChild(process.execPath, [MODEL_HOT_PATH, String(rounds)], {
    timeoutMs: 300_000,
  })
  return { perSecond: rateAfter(stdout, /([\d,]+) steps\/s/, 'model-hot-path.ts'), output: stdout.trim() }
}

/** nextFeatures per second on daily bars: bench/processor-hot-path.ts as it is, "nextFeatures alone". */
export async function measureFeatureRows(): Promise<HotPathOutput> {
  const { stdout } = await runChild(process.execPath, [PROCESSOR_HOT_PATH], { timeoutMs: 300_000 })
  // The first "nextFeatures alone" is the daily-bar-quotes case: one feature row per quote.
  const perSecond = rateAfter(stdout, /nextFeatures alone:\s+([\d,]+)\/s/, 'processor-hot-path.ts')
  return { perSecond, output: stdout.trim() }
}

/**
 * quotecast's `rls` model alone (the one on the same three features River's regression gets):
 * one update and one forecast per bar, as River's predict_one + learn_one. Median of 5 timed runs.
 */
export function measureBareRls(rows: readonly FeatureRow[], rounds: number): number {
  const spec = MODEL_REGISTRY.find((model) => model.id === 'rls')
  if (spec === undefined) throw new Error('no rls model in the registry')
  const pass = (): number => {
    const state = createModelState(spec)
    // The previous row's inputs and this row's, read from the rows inside the timing as the trainer does.
    let previousInputs = new Float64Array(spec.features.length)
    let inputs = new Float64Array(spec.features.length)
    let hasPrevious = false
    let previous: FeatureRow | undefined
    let sum = 0
    for (const row of rows) {
      if (previous !== undefined && hasPrevious)
        spec.update(state, previousInputs, Math.log(row.close / previous.close))
      const isComplete = readInputs(row.values, spec.features, inputs)
      const forecast = isComplete ? spec.predict(state, inputs) : Number.NaN
      sum += Number.isNaN(forecast) ? 0 : forecast
      ;[previousInputs, inputs] = [inputs, previousInputs]
      hasPrevious = isComplete
      previous = row
    }
    return sum
  }
  for (let i = 0; i < 3; i++) pass()
  const rates: number[] = []
  for (let run = 0; run < 5; run++) {
    const started = performance.now()
    for (let i = 0; i < rounds; i++) pass()
    rates.push((rounds * rows.length) / ((performance.now() - started) / 1000))
  }
  return rates.sort((a, b) => a - b)[2] ?? Number.NaN
}
