import { hashId } from './hash-id.ts'

/**
 * A 53-bit hash of a closed bar's start and OHLCV, kept in the dedup ring when the bar closes, so
 * that a re-sent bar quote for a closed period can be told identical (a duplicate) from conflicting.
 */
export function barFingerprint(
  start: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
): number {
  return hashId(`bar:${start}:${open}:${high}:${low}:${close}:${volume}`)
}
