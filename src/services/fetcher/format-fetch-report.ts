import type { FetchReport, SymbolReport } from './run-fetch-once.ts'

const describeAttempts = (report: SymbolReport): string =>
  report.attempts
    .map((attempt) => `${attempt.provider}: ${attempt.failure.kind}: ${attempt.failure.message}`)
    .join('; ')

/** One line per symbol saying what was published, from where, or why nothing was. */
export function formatFetchReport(report: FetchReport): string {
  const width = Math.max(6, ...report.symbols.map((entry) => entry.symbol.length))
  const lines = report.symbols.map((entry) => {
    const name = entry.symbol.padEnd(width)
    const { quote } = entry
    if (entry.status === 'failed' && quote !== undefined)
      return `${name}  FAILED     ${entry.publishError ?? ''}`
    if (entry.status === 'failed' || quote === undefined)
      return `${name}  FAILED     ${describeAttempts(entry) || 'no provider configured'}`
    const earlier = entry.attempts.length > 0 ? ` (after ${describeAttempts(entry)})` : ''
    const what = `${quote.price} ${quote.currency} as of ${new Date(quote.asOf).toISOString()} from ${quote.source}`
    return `${name}  ${entry.status.padEnd(9)}  ${what}${earlier}`
  })
  const failed = report.symbols.filter((entry) => entry.status === 'failed').length
  const total = report.symbols.length
  lines.push(failed === 0 ? `all ${total} symbols published` : `${failed} of ${total} symbols failed`)
  return `${lines.join('\n')}\n`
}
