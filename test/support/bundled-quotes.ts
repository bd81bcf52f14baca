import type { Bar } from '../../src/core/contracts/bar.ts'
import type { Quote } from '../../src/core/contracts/quote.ts'
import { barToQuote } from '../../src/core/providers/bar-to-quote.ts'
import { BUNDLED_CSV, loadCsv } from '../../src/platform/market-data/load-csv.ts'

/** A bundled real daily series as its bars and as the backfill quotes that carry them. */
export async function bundledSeries(
  name: keyof typeof BUNDLED_CSV,
): Promise<{ bars: Bar[]; quotes: Quote[] }> {
  const { url, symbol } = BUNDLED_CSV[name]
  const bars = await loadCsv(url, { symbol })
  return { bars, quotes: bars.map((bar) => barQuote(bar)) }
}

/** The quote a backfill publishes for a historical bar, with a stable identity. */
export function barQuote(bar: Bar): Quote {
  return barToQuote(bar, {
    exchange: 'TEST',
    currency: 'USD',
    fetchedAt: bar.end + 3_600_000,
    source: 'test',
  })
}
