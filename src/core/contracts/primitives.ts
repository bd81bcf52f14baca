import { z } from 'zod'

/** Event time and every other instant in a message: integer epoch milliseconds (UTC). */
export const epochMs = z
  .number()
  .int()
  .min(Date.UTC(1970, 0, 1))
  .max(Date.UTC(2200, 0, 1))
  .describe('epoch milliseconds, UTC')

export const finite = z.number().refine(Number.isFinite, 'must be a finite number')
export const positivePrice = z.number().positive().refine(Number.isFinite, 'must be a finite number')
export const nonNegative = z.number().nonnegative().refine(Number.isFinite, 'must be a finite number')

/** Tickers such as AAPL, ^GSPC, BRK-B, JFC, 7203.T, EURUSD=X. */
export const symbol = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Z0-9^][A-Z0-9.^=_-]*$/, 'must be an upper-case ticker such as AAPL, ^GSPC or 7203.T')

export const shortText = z.string().min(1).max(64)

export const INTERVALS = ['1m', '5m', '15m', '30m', '1h', '1d'] as const
export const interval = z.enum(INTERVALS)
export type Interval = z.infer<typeof interval>

export const INTERVAL_MS: Readonly<Record<Interval, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
}
