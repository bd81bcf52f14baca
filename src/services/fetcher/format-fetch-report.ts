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
    if (entry.status === 'finished') return `${name}  finished   ${describeAttempts(entry)}`
    if (entry.status === 'failed' || quote === undefined)
      return `${name}  FAILED     ${describeAttempts(entry) || 'no provider configured'}`
    const earlier = entry.attempts.length > 0 ? ` (after ${describeAttempts(entry)})` : ''
    const what = `${quote.price} ${quote.currency} as of ${new Date(quote.asOf).toISOString()} from ${quote.source}`
    return `${name}  ${entry.status.padEnd(9)}  ${what}${earlier}`
  })
  const count = (status: SymbolReport['status']): number =>
    report.symbols.filter((entry) => entry.status === status).length
  const [failed, finished, total] = [count('failed'), count('finished'), report.symbols.length]
  if (failed > 0) lines.push(`${failed} of ${total} symbols failed`)
  else if (finished > 0)
    lines.push(
      `${finished} of ${total} symbols finished: the replay has no bar after the stream's last, so nothing was published for them`,
    )
  else lines.push(`all ${total} symbols published`)
  return `${lines.join('\n')}\n`
}
