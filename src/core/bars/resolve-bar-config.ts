import { INTERVAL_MS, INTERVALS, type Interval } from '../contracts/primitives.ts'
import { err, ok, type Result } from '../contracts/result.ts'
import { EXCHANGE_CALENDARS } from '../schedule/exchange-calendars.ts'
import type { ExchangeCalendars } from '../schedule/resolve-calendars.ts'

/** How one symbol's quotes become bars; resolved once, up front, by {@link resolveBarConfig}. */
export interface BarConfig {
  readonly interval: Interval
  readonly intervalMs: number
  /** How far event time may pass a bar's end before the bar closes; 0 ≤ lateness ≤ intervalMs. */
  readonly allowedLatenessMs: number
  /**
   * The exchange's fixed offset from UTC (standard time): a snapshot belongs to the daily bar of
   * its local date, and cumulative day volume resets at local midnight. Without `calendars`,
   * intraday bars lie on the grid `floor((asOf + offset) / interval)`, the plain UTC grid for
   * whole-hour offsets.
   */
  readonly utcOffsetMs: number
  /**
   * The exchange calendars whose sessions lay out intraday bars (session-bar.ts), the symbol's
   * exchange being `exchangeOfSymbol(symbol)`; null for the plain grid above. Daily bars do not
   * use them. Default: `EXCHANGE_CALENDARS`.
   */
  readonly calendars: ExchangeCalendars | null
  /** How many recent quote ids are remembered for deduplication (about 17 bytes of state each). */
  readonly dedupCapacity: number
  /** A quote whose asOf is later than its fetchedAt by more than this is invalid. */
  readonly maxClockSkewMs: number
}

export type BarConfigOptions = Partial<Omit<BarConfig, 'intervalMs'>>

const QUARTER_HOUR_MS = 900_000
const HOUR_MS = 3_600_000

const DEFAULTS = {
  interval: '1d',
  allowedLatenessMs: 0,
  utcOffsetMs: 0,
  dedupCapacity: 64,
  maxClockSkewMs: 300_000,
  calendars: EXCHANGE_CALENDARS,
} as const satisfies BarConfigOptions

/** Fills in defaults and checks every option, naming the first bad one. */
export function resolveBarConfig(options: BarConfigOptions = {}): Result<BarConfig> {
  const interval = options.interval ?? DEFAULTS.interval
  if (!(INTERVALS as readonly string[]).includes(interval))
    return err(`interval: unknown interval "${interval}"`)
  const intervalMs = INTERVAL_MS[interval]
  const config: BarConfig = { ...DEFAULTS, ...options, interval, intervalMs }
  const isInt = Number.isSafeInteger
  if (
    !isInt(config.allowedLatenessMs) ||
    config.allowedLatenessMs < 0 ||
    config.allowedLatenessMs > intervalMs
  ) {
    return err(`allowedLatenessMs: must be an integer from 0 to the interval (${intervalMs} ms)`)
  }
  const offset = config.utcOffsetMs
  if (!isInt(offset) || offset % QUARTER_HOUR_MS !== 0 || offset < -12 * HOUR_MS || offset > 14 * HOUR_MS) {
    return err('utcOffsetMs: must be a whole number of quarter hours from -12:00 to +14:00')
  }
  if (!isInt(config.dedupCapacity) || config.dedupCapacity < 1 || config.dedupCapacity > 256) {
    return err('dedupCapacity: must be an integer from 1 to 256')
  }
  if (!isInt(config.maxClockSkewMs) || config.maxClockSkewMs < 0) {
    return err('maxClockSkewMs: must be a non-negative integer')
  }
  return ok(config)
}
