import { loadavg } from 'node:os'
import type { BenchOptions, SectionName } from '../bench-options.ts'
import type { SectionResult } from './bench-row.ts'
import { formatMarkdownTable } from './format-table.ts'
import type { MachineInfo } from './machine-info.ts'

export interface TimedSection {
  readonly name: SectionName
  readonly seconds: number
  readonly result: SectionResult
}

export interface ResultsInput {
  readonly options: BenchOptions
  readonly machine: MachineInfo
  readonly sections: readonly TimedSection[]
  readonly totalSeconds: number
}

const riverVersions = (sections: readonly TimedSection[]): string => {
  const river = sections.find((section) => section.name === 'hot-path')?.result.figures['river'] as
    { river?: string; python?: string } | undefined
  return river?.river === undefined ? 'River not run' : `River ${river.river} (Python ${river.python ?? '?'})`
}

const archVersion = (sections: readonly TimedSection[]): string => {
  const arch = sections.find((section) => section.name === 'intervals')?.result.figures['arch']
  return typeof arch === 'string' ? `, arch ${arch}` : ''
}

/** bench/RESULTS.md: the machine, the table, how each figure was measured, and the raw figures. */
export function renderResults(input: ResultsInput): string {
  const { machine, options, sections } = input
  const command = `npm run bench${options.isQuick ? ' -- --quick' : ''}`
  const lines = [
    '# quotecast benchmark results',
    '',
    `Written by \`${command}\` (bench/run.ts) on ${machine.date}, in ${Math.round(input.totalSeconds)} s. Every ratio compares`,
    'quotecast with a reference measured in the same run on the same machine.',
    '',
    `- machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB memory, ${machine.os}`,
    `- versions: Node ${machine.node}, Apache Kafka ${machine.kafka}, ${riverVersions(sections)}${archVersion(sections)}; commit ${machine.commit}`,
    `- load average (1 min): ${machine.loadAtStart.toFixed(2)} at the start, ${(loadavg()[0] ?? Number.NaN).toFixed(2)} at the end`,
    ...(options.isQuick
      ? ['- quick run: smaller sizes and shorter load phases than the full `npm run bench`']
      : []),
    ...(options.note === undefined ? [] : [`- note: ${options.note}`]),
    '',
    formatMarkdownTable(sections.flatMap((section) => section.result.rows)),
    '',
    '## How each row was measured',
    '',
  ]
  for (const section of sections) {
    lines.push(`### ${section.name} (${Math.round(section.seconds)} s)`, '')
    for (const note of section.result.notes) lines.push(`- ${note.replaceAll('\n', '\n  ')}`)
    lines.push('')
  }
  const figures = Object.fromEntries(sections.map((section) => [section.name, section.result.figures]))
  lines.push(
    '<details><summary>Raw figures</summary>',
    '',
    '```json',
    JSON.stringify(figures, null, 2),
    '```',
    '',
    '</details>',
    '',
  )
  return lines.join('\n')
}
