import type { BackfillReport } from './run-backfill.ts'

/** One line per symbol (bars published, from where, rows rejected, or why nothing was) and the final count. */
export function formatBackfillReport(report: BackfillReport): string {
  const width = Math.max(6, ...report.symbols.map((entry) => entry.symbol.length))
  const lines = report.symbols.map((entry) => {
    const name = entry.symbol.padEnd(width)
    const failures = entry.attempts
      .map((attempt) => `${attempt.provider}: ${attempt.failure.kind}: ${attempt.failure.message}`)
      .join('; ')
    if (entry.published === 0 && entry.publishError === undefined)
      return `${name}  FAILED  ${failures || 'no provider configured'}`
    const rejected =
      entry.rejected.length > 0
        ? `, ${entry.rejected.length} rows rejected (first: ${entry.rejected[0] ?? ''})`
        : ''
    const failedOver = failures === '' ? '' : ` (after ${failures})`
    const broken = entry.publishError === undefined ? '' : ` then FAILED: ${entry.publishError}`
    return `${name}  ${entry.published} bars from ${entry.provider ?? '?'}${rejected}${failedOver}${broken}`
  })
  lines.push(
    `published ${report.published} bars for ${report.symbols.filter((entry) => entry.published > 0).length} of ${report.symbols.length} symbols`,
  )
  return `${lines.join('\n')}\n`
}
