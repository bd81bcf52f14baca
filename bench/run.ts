// `npm run bench [-- --quick] [-- --only pipeline,latency,hot-path,api,scale,streams,intervals]`: every figure side
// by side with its reference, measured in this run on this machine; prints the table and writes
// bench/RESULTS.md.
import { rmSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { createKafkaBus } from '../src/platform/bus/kafka-bus.ts'
import { startKafkaBroker } from '../src/platform/kafka-broker/start-broker.ts'
import { measureApi } from './api-load/measure-api.ts'
import { BENCH_USAGE, resolveBenchOptions, SECTIONS, type SectionName } from './bench-options.ts'
import { measureHotPath } from './hot-path/measure-hot-path.ts'
import { measureIntervalReference } from './interval-reference/measure-interval-reference.ts'
import { measureLatency } from './latency/measure-latency.ts'
import { measurePipeline } from './pipeline/measure-pipeline.ts'
import { measureScale } from './scale/measure-scale.ts'
import { measureStreams } from './streams/measure-streams.ts'
import type { BenchRow, SectionResult } from './support/bench-row.ts'
import { formatTextTable } from './support/format-table.ts'
import { describeMachine } from './support/machine-info.ts'
import { BENCH_LOG_DIR, profileServicesInto } from './support/service-process.ts'
import { renderResults, type TimedSection } from './support/render-results.ts'

const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  console.log(BENCH_USAGE)
  process.exit(0)
}
const options = ((): ReturnType<typeof resolveBenchOptions> => {
  try {
    return resolveBenchOptions(args)
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${BENCH_USAGE}`)
    process.exit(2)
  }
})()
profileServicesInto(options.cpuProfileDir)
const machine = describeMachine()
const startedAt = performance.now()
const done: TimedSection[] = []

const failed = (name: SectionName, error: unknown): SectionResult => ({
  rows: [
    {
      section: name,
      measure: 'not measured',
      quotecast: 'n/a',
      reference: 'n/a',
      ratio: '—',
      goal: '—',
      verdict: 'info',
    },
  ],
  notes: [`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`],
  figures: {},
})

async function run(name: SectionName, measure: () => Promise<SectionResult>): Promise<void> {
  console.log(`\n▶ ${name} (${((performance.now() - startedAt) / 1000).toFixed(0)} s into the run)`)
  const sectionStart = performance.now()
  let result: SectionResult
  try {
    result = await measure()
  } catch (error) {
    result = failed(name, error)
  }
  const seconds = (performance.now() - sectionStart) / 1000
  done.push({ name, seconds, result })
  console.log(formatTextTable(result.rows))
  for (const note of result.notes) console.log(`  · ${note}`)
  console.log(`  (${seconds.toFixed(0)} s)`)
}

const wants = (name: SectionName): boolean => options.sections.includes(name)

console.log(
  `quotecast bench${options.isQuick ? ' --quick' : ''}: ${machine.cores} cores (${machine.cpu}), ` +
    `${machine.memoryGiB} GiB, Node ${machine.node}, Kafka ${machine.kafka}, load ${machine.loadAtStart.toFixed(2)}`,
)

if (wants('pipeline') || wants('latency') || wants('streams')) {
  const broker = await startKafkaBroker({ quiet: true, heapMb: 1024 })
  const bus = createKafkaBus({ bootstrapServers: [broker.bootstrap], clientId: 'quotecast-bench' })
  try {
    if (wants('pipeline'))
      await run('pipeline', () => measurePipeline(bus, broker.bootstrap, options.pipeline))
    if (wants('latency')) await run('latency', () => measureLatency(bus, broker.bootstrap, options.latency))
    if (wants('streams')) await run('streams', () => measureStreams(bus, broker.bootstrap, options.streams))
  } finally {
    await bus.close().catch(() => undefined)
    await broker.stop()
  }
}
if (wants('hot-path')) await run('hot-path', () => measureHotPath(options.hotPath))
if (wants('api')) await run('api', () => measureApi(options.api))
if (wants('scale')) await run('scale', () => measureScale(options.scale))
if (wants('intervals')) await run('intervals', () => measureIntervalReference(options.intervals))

const totalSeconds = (performance.now() - startedAt) / 1000
done.sort((a, b) => SECTIONS.indexOf(a.name) - SECTIONS.indexOf(b.name))
const rows: BenchRow[] = done.flatMap((section) => section.result.rows)
console.log(`\n═══ quotecast bench${options.isQuick ? ' --quick' : ''}: ${totalSeconds.toFixed(0)} s ═══`)
console.log(formatTextTable(rows))
writeFileSync(options.resultsPath, renderResults({ options, machine, sections: done, totalSeconds }))
console.log(`\nwritten: ${options.resultsPath}`)
// The services' logs are only worth keeping when something went wrong.
const isAnyFailed = done.some((section) =>
  section.result.notes.some((note) => note.includes('not measured') || note.includes(' failed: ')),
)
if (isAnyFailed) console.log(`service logs: ${BENCH_LOG_DIR}`)
else rmSync(BENCH_LOG_DIR, { recursive: true, force: true })
