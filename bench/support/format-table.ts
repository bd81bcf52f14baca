import type { BenchRow } from './bench-row.ts'

const COLUMNS = [
  ['section', '§'],
  ['measure', 'measure'],
  ['quotecast', 'quotecast'],
  ['reference', 'reference (same run)'],
  ['ratio', 'ratio'],
  ['goal', 'goal'],
  ['verdict', 'verdict'],
] as const satisfies readonly (readonly [keyof BenchRow, string])[]

/** The rows as an aligned plain-text table for the terminal. */
export function formatTextTable(rows: readonly BenchRow[]): string {
  const cells = [COLUMNS.map(([, title]) => title), ...rows.map((row) => COLUMNS.map(([key]) => row[key]))]
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i]?.length ?? 0)))
  const format = (line: readonly string[]): string =>
    line
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return [
    format(cells[0] ?? []),
    widths.map((width) => '─'.repeat(width)).join('  '),
    ...cells.slice(1).map(format),
  ].join('\n')
}

/** The rows as a Markdown table. */
export function formatMarkdownTable(rows: readonly BenchRow[]): string {
  const escape = (cell: string): string => cell.replaceAll('|', '\\|')
  return [
    `| ${COLUMNS.map(([, title]) => title).join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${COLUMNS.map(([key]) => escape(row[key])).join(' | ')} |`),
  ].join('\n')
}
