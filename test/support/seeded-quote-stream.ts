import type { Bar } from '../../src/core/contracts/bar.ts'
import type { Quote } from '../../src/core/contracts/quote.ts'
import { seededRandom } from '../fixtures/seeded-random.ts'
import { barToQuote } from '../../src/core/providers/bar-to-quote.ts'
import { makeQuote } from '../../src/core/providers/make-quote.ts'

const DAY_MS = 86_400_000
/** Monday 2021-01-04, 00:00 UTC. */
const FIRST_DAY_MS = Date.UTC(2021, 0, 4)

export interface SeededStream {
  readonly quotes: Quote[]
  /** What was put in, by kind, for the test's diagnostics. */
  readonly counts: Readonly<
    Record<'snapshots' | 'bars' | 'duplicates' | 'late' | 'gaps' | 'conflicts', number>
  >
}

/**
 * Two symbols' quotes with every case the bar rules treat specially, from a seed:
 * `SEEDA`, live-like snapshots (1–4 a trading day, out of order within the day, cumulative
 * volume), some re-sent as they were, some for a day already closed, some days missing;
 * `SEEDB`, daily bar quotes of `bars` with gaps, some re-sent under the same id, some under
 * another source's id, some conflicting with a bar closed recently (late) or long ago (history).
 */
export function seededQuoteStream(bars: readonly Bar[], seed = 18): SeededStream {
  const random = seededRandom(seed)
  const chance = (p: number): boolean => random.uniform() < p
  const counts = { snapshots: 0, bars: 0, duplicates: 0, late: 0, gaps: 0, conflicts: 0 }
  const quotes: Quote[] = []
  let price = 50
  let volume = 0
  const sentA: Quote[] = []
  for (let day = 0; day < 280; day++) {
    const dayMs = FIRST_DAY_MS + day * DAY_MS
    const weekday = new Date(dayMs).getUTCDay()
    if (weekday === 0 || weekday === 6) continue
    if (chance(0.1)) {
      counts.gaps++
      continue
    }
    volume = 0
    const times = Array.from({ length: 1 + Math.floor(random.uniform() * 4) }, () =>
      Math.floor(random.uniform() * 6.5 * 3_600_000),
    ).sort((a, b) => a - b)
    let open: number | undefined
    let high = 0
    let low = Number.POSITIVE_INFINITY
    const day_: Quote[] = []
    for (const offsetMs of times) {
      price *= Math.exp((random.uniform() - 0.5) * 0.04)
      open ??= price
      high = Math.max(high, price)
      low = Math.min(low, price)
      volume += Math.floor(random.uniform() * 100_000)
      const asOf = dayMs + 14.5 * 3_600_000 + offsetMs
      day_.push(
        makeQuote({
          symbol: 'SEEDA',
          exchange: 'TEST',
          currency: 'USD',
          kind: 'snapshot',
          price,
          open,
          high,
          low,
          volume,
          asOf,
          fetchedAt: asOf + 1000,
          source: 'seed',
        }),
      )
    }
    // Out of order within the day: the bar is still open, so OHLC follow event time.
    if (day_.length > 1 && chance(0.3)) day_.reverse()
    for (const quote of day_) {
      quotes.push(quote)
      counts.snapshots++
      if (chance(0.15)) {
        quotes.push(quote)
        counts.duplicates++
      }
    }
    const before = sentA.at(-1)
    if (before !== undefined && chance(0.12)) {
      // A snapshot of an earlier (closed) day, never sent before: late.
      quotes.push({
        ...before,
        id: `${before.id}:late`,
        asOf: before.asOf + 1,
        fetchedAt: before.fetchedAt + 1,
      })
      counts.late++
    }
    sentA.push(...day_)
  }

  const sentB: Quote[] = []
  for (const bar of bars) {
    if (chance(0.08)) {
      counts.gaps++
      continue
    }
    const relabelled: Bar = { ...bar, symbol: 'SEEDB' }
    const quote = barToQuote(relabelled, {
      exchange: 'TEST',
      currency: 'USD',
      fetchedAt: bar.end + 3_600_000,
      source: 'seed',
    })
    quotes.push(quote)
    counts.bars++
    sentB.push(quote)
    const pick = random.uniform()
    const earlier = (back: number): Quote | undefined => sentB.at(-1 - back)
    if (pick < 0.05) {
      quotes.push(quote)
      counts.duplicates++
    } else if (pick < 0.1) {
      const other = earlier(Math.floor(random.uniform() * 5))
      if (other !== undefined) {
        quotes.push({ ...other, id: other.id.replace('seed:', 'other:'), source: 'other' })
        counts.duplicates++
      }
    } else if (pick < 0.14) {
      const back = chance(0.5) ? 3 : 45
      const other = earlier(back)
      if (other !== undefined) {
        const close = other.price * 1.01
        quotes.push({
          ...other,
          id: other.id.replace('seed:', 'revised:'),
          source: 'revised',
          price: close,
          high: Math.max(other.high ?? close, close),
        })
        counts.conflicts++
      }
    }
  }
  return { quotes, counts }
}
