import { err, ok, type Result } from '../../src/core/contracts/result.ts'
import { DEFAULT_TRAINER_OPTIONS, type TrainerOverrides } from '../../src/core/training/trainer-options.ts'

/** The keys of `options` whose default is a number. */
const numericKeysOf = (options: object): string[] =>
  Object.entries(options)
    .filter(([, value]) => typeof value === 'number')
    .map(([key]) => key)

/** The options `--with` may set: the trainer's numbers, and those of its band and serving rule. */
const NUMERIC_OPTIONS = numericKeysOf(DEFAULT_TRAINER_OPTIONS)
const NESTED_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  band: numericKeysOf(DEFAULT_TRAINER_OPTIONS.band),
  serving: numericKeysOf(DEFAULT_TRAINER_OPTIONS.serving),
}

/** What is wrong with `value` as `--with` overrides, or null. */
function overridesProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object'
  for (const [key, setting] of Object.entries(value)) {
    const nested = NESTED_OPTIONS[key]
    if (nested !== undefined) {
      if (typeof setting !== 'object' || setting === null) return `${key} is not an object`
      for (const [inner, number] of Object.entries(setting as Record<string, unknown>)) {
        if (!nested.includes(inner)) return `${key}.${inner} is not one of ${nested.join(', ')}`
        if (typeof number !== 'number' || !Number.isFinite(number)) return `${key}.${inner} is not a number`
      }
    } else if (!NUMERIC_OPTIONS.includes(key)) {
      return `${key} is not one of ${[...NUMERIC_OPTIONS, ...Object.keys(NESTED_OPTIONS)].join(', ')}`
    } else if (typeof setting !== 'number' || !Number.isFinite(setting)) {
      return `${key} is not a number`
    } else if (key.endsWith('Decay') && !(setting > 0 && setting <= 1)) {
      return `${key} must be in (0, 1], not ${String(setting)}`
    }
  }
  return null
}

/**
 * Trainer option overrides from JSON text such as `{"volatilityDecay":0.94}`, for a bench that runs
 * the default trainer beside one change; the error names the option that is wrong and why.
 */
export function parseTrainerOverrides(text: string): Result<TrainerOverrides> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return err(`${JSON.stringify(text)} is not JSON (e.g. '{"volatilityDecay":0.94}')`)
  }
  const problem = overridesProblem(value)
  return problem === null ? ok(value as TrainerOverrides) : err(`${JSON.stringify(text)}: ${problem}`)
}
