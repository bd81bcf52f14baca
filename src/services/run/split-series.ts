import type { Bar } from '../../core/contracts/bar.ts'

/**
 * Splits each series into the history published at once (the initial training) and the last
 * `liveBars` bars replayed as if live, so a newcomer sees a trained model move within seconds.
 */
export function splitSeries(
  series: ReadonlyMap<string, readonly Bar[]>,
  liveBars: number,
): { history: Map<string, readonly Bar[]>; live: Map<string, readonly Bar[]> } {
  const history = new Map<string, readonly Bar[]>()
  const live = new Map<string, readonly Bar[]>()
  for (const [symbol, bars] of series) {
    const cut = Math.max(0, bars.length - liveBars)
    history.set(symbol, bars.slice(0, cut))
    live.set(symbol, bars.slice(cut))
  }
  return { history, live }
}
