import type { Interval } from '../../core/contracts/primitives.ts'
import type { TimeRange } from './providers/provider.ts'
import type { BackfillReport, SymbolBackfill } from './run-backfill.ts'

/** A day for daily bars, a minute otherwise. */
const instant = (ms: number, interval: Interval): string =>
  interval === '1d' ? new Date(ms).toISOString().slice(0, 10) : `${new Date(ms).toISOString().slice(0, 16)}Z`

const span = (range: TimeRange, interval: Interval): string =>
  `${instant(range.fromMs, interval)} to ${instant(range.toMs, interval)}`

function describe(entry: SymbolBackfill, interval: Interval): string {
  const failures = entry.attempts
    .map((attempt) => `${attempt.provider}: ${attempt.failure.kind}: ${attempt.failure.message}`)
    .join('; ')
  const missing = entry.remaining === undefined ? '' : `; missing ${span(entry.remaining, interval)}`
  if (entry.status === 'up-to-date') {
    return entry.resumedAfter === undefined
      ? 'nothing to fetch: no completed session in the range'
      : `up to date: the quotes topic is at ${instant(entry.resumedAfter, interval)} (no request)`
  }
  if (entry.status === 'interrupted') {
    const from = entry.provider === undefined ? '' : ` from ${entry.provider}`
    return `interrupted after ${entry.published} bars${from}${missing}`
  }
  if (entry.published === 0 && entry.publishError === undefined)
    return `FAILED  ${failures || 'no provider configured'}${missing}`
  const rejected =
    entry.rejected.length > 0
      ? `, ${entry.rejected.length} rows rejected (first: ${entry.rejected[0] ?? ''})`
      : ''
  const failedOver = failures === '' ? '' : ` (after ${failures})`
  const resumed =
    entry.resumedAfter === undefined ? '' : ` (continued after ${instant(entry.resumedAfter, interval)})`
  const older =
    entry.unavailable === undefined
      ? ''
      : `; ${span(entry.unavailable, interval)} not served by ${entry.provider ?? '?'} at ${interval}`
  const broken = entry.publishError === undefined ? '' : ` then FAILED: ${entry.publishError}`
  const failedLater = entry.status === 'failed' && entry.publishError === undefined ? ' then FAILED' : ''
  return `${entry.published} bars from ${entry.provider ?? '?'}${rejected}${failedOver}${resumed}${older}${broken}${failedLater}${entry.status === 'failed' ? missing : ''}`
}

/**
 * One line per symbol (bars published, from where, rows rejected, where it resumed, or why nothing
 * was, and what is still missing) and the final count; after an interruption, how to resume.
 */
export function formatBackfillReport(report: BackfillReport, interval: Interval = '1d'): string {
  const width = Math.max(6, ...report.symbols.map((entry) => entry.symbol.length))
  const lines = report.symbols.map((entry) => `${entry.symbol.padEnd(width)}  ${describe(entry, interval)}`)
  lines.push(
    `published ${report.published} bars for ${report.symbols.filter((entry) => entry.published > 0).length} of ${report.symbols.length} symbols`,
  )
  if (report.isInterrupted) {
    const open = report.symbols.filter((entry) => entry.status === 'interrupted').length
    lines.push(
      `interrupted: ${open} of ${report.symbols.length} symbols not finished; run the same command again to resume (it continues after each symbol's latest quote in the quotes topic)`,
    )
  }
  return `${lines.join('\n')}\n`
}
