import { z } from 'zod'

/** Event time and every other instant in a message: integer epoch milliseconds (UTC). */
export const epochMs = z
  .number()
  .int()
  .min(Date.UTC(1970, 0, 1))
  .max(Date.UTC(2200, 0, 1))
  .describe('epoch milliseconds, UTC')

export const finite = z.number().refine(Number.isFinite, 'must be a finite number')

/*
 * The numbers quotecast accepts, decided once here; every contract with a price, volume, return or
 * feature value takes its bound from these, and a message outside one is dead-lettered naming it.
 *
 * Prices lie in [1e-6, 1e9] in the quote's currency. Real ones run from sub-penny OTC stocks
 * ($0.0001, a 100× margin below) to BRK.A (about $700,000, 1,400× above), Korean won shares in the
 * millions and PSE shares in pesos, so no real series is excluded. The range keeps every
 * computation finite in float64 with room to spare: a log return lies within ±ln(1e15) ≈ 34.5
 * (`MAX_LOG_RETURN`, its square 1,193); a close squared is at most 1e18, and twenty of them in the
 * double-double window sums 2e19 (Dekker's split needs |x| below 2^995); the widest prediction band,
 * close × exp(±(MAX_LOG_RETURN + 10)), stays within [5e-26, 3e28].
 *
 * A quote's volume lies in [0, 1e15]: the busiest shares trade about 1e10 a day, and 1e15 squared
 * is 1e30. A bar's volume sums at most `count` (a safe integer) quote volumes, below 2^53 × 1e15 ×
 * e ≈ 2.5e31 even with every addition rounded up, so bars allow 1e32 (squared, 1e64).
 */
export const MIN_PRICE = 1e-6
export const MAX_PRICE = 1e9
export const MAX_VOLUME = 1e15
export const MAX_BAR_VOLUME = 1e32
/** The largest |ln(a / b)| of two valid prices, in float64 exactly as the features compute it. */
export const MAX_LOG_RETURN = Math.log(MAX_PRICE / MIN_PRICE)
/**
 * The largest |value| of a feature. Every feature of version 1 lies within ±2 × MAX_PRICE (the MACD
 * histogram is the widest; returns and their spreads within ±MAX_LOG_RETURN, RSI in [0, 100], the
 * ratios within ±20); 1e12 leaves margin, and its square, 1e24, keeps the models' moments finite.
 */
export const MAX_FEATURE_VALUE = 1e12

/** 1e9 rather than 1000000000 in a message. */
const exponent = (x: number): string => x.toExponential().replace('e+', 'e')
const atLeast = (bound: number, name: string) => `must be at least ${exponent(bound)} (${name})`
const atMost = (bound: number, name: string) => `must be at most ${exponent(bound)} (${name})`

/** A price of a quote, bar or row: in [MIN_PRICE, MAX_PRICE]. */
export const positivePrice = z
  .number()
  .min(MIN_PRICE, atLeast(MIN_PRICE, 'MIN_PRICE'))
  .max(MAX_PRICE, atMost(MAX_PRICE, 'MAX_PRICE'))
/** A quote's volume: in [0, MAX_VOLUME]. */
export const quoteVolume = z.number().nonnegative().max(MAX_VOLUME, atMost(MAX_VOLUME, 'MAX_VOLUME'))
/** A bar's volume, a sum of quote volumes (and the bar builder's volume sums): in [0, MAX_BAR_VOLUME]. */
export const nonNegative = z
  .number()
  .nonnegative()
  .max(MAX_BAR_VOLUME, atMost(MAX_BAR_VOLUME, 'MAX_BAR_VOLUME'))
const within = (bound: string, name: string) => `must lie within ±${bound} (${name})`
/** A log return between two valid prices: within ±MAX_LOG_RETURN. */
export const logReturn = z
  .number()
  .min(-MAX_LOG_RETURN, within(MAX_LOG_RETURN.toFixed(2), 'MAX_LOG_RETURN'))
  .max(MAX_LOG_RETURN, within(MAX_LOG_RETURN.toFixed(2), 'MAX_LOG_RETURN'))
/** A feature's value: within ±MAX_FEATURE_VALUE. */
export const featureValue = z
  .number()
  .min(-MAX_FEATURE_VALUE, within(exponent(MAX_FEATURE_VALUE), 'MAX_FEATURE_VALUE'))
  .max(MAX_FEATURE_VALUE, within(exponent(MAX_FEATURE_VALUE), 'MAX_FEATURE_VALUE'))
/** A positive finite number that is no input price, such as a prediction's point or band. */
export const positiveFinite = z.number().positive()

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
