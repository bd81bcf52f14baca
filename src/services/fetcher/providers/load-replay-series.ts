import type { Bar } from '../../../core/contracts/bar.ts'
import { BUNDLED_CSV, loadCsv } from '../../../platform/market-data/load-csv.ts'

/** The bundled real daily series (data/), by symbol: ^GSPC (S&P 500, 2000–2020) and AAPL (2013–2018). */
export async function loadReplaySeries(): Promise<ReadonlyMap<string, readonly Bar[]>> {
  const entries = await Promise.all(
    Object.values(BUNDLED_CSV).map(
      async ({ url, symbol }) => [symbol, await loadCsv(url, { symbol })] as const,
    ),
  )
  return new Map(entries)
}
