/**
 * How hard the fault suite pushes. The quick profile (default) fits CI's budget; the long one is
 * for a release check: `QUOTECAST_FAULTS_PROFILE=long npm run test:faults`. Every random choice
 * comes from the seed, printed by each test: `QUOTECAST_FAULTS_SEED=N` replays a run.
 */
export interface FaultProfile {
  readonly name: 'quick' | 'long'
  readonly seed: number
  /** SIGKILLs across processor, trainer and prediction service in the kill test. */
  readonly kills: number
  /** Hostile messages among the real quotes (and feature rows) in the bad-input test. */
  readonly hostileMessages: number
  /** Hostile HTTP requests. */
  readonly hostileRequests: number
  /** How long the pipeline is held at its input rate in the load test. */
  readonly loadSeconds: number
  /** Quotes per second in the load test. */
  readonly loadRate: number
}

const PROFILES = {
  quick: { kills: 22, hostileMessages: 10_000, hostileRequests: 10_000, loadSeconds: 60, loadRate: 200 },
  long: { kills: 60, hostileMessages: 50_000, hostileRequests: 30_000, loadSeconds: 600, loadRate: 200 },
} as const

function readProfile(): FaultProfile {
  const name = process.env['QUOTECAST_FAULTS_PROFILE'] ?? 'quick'
  if (name !== 'quick' && name !== 'long') {
    throw new Error(`QUOTECAST_FAULTS_PROFILE must be quick or long, not ${JSON.stringify(name)}`)
  }
  const seedText = process.env['QUOTECAST_FAULTS_SEED'] ?? '20261125'
  const seed = Number(seedText)
  if (!Number.isSafeInteger(seed))
    throw new Error(`QUOTECAST_FAULTS_SEED must be an integer, not ${seedText}`)
  const loadSeconds = Number(process.env['QUOTECAST_LOAD_SECONDS'] ?? PROFILES[name].loadSeconds)
  return { name, seed, ...PROFILES[name], loadSeconds }
}

export const FAULT_PROFILE: FaultProfile = readProfile()
