import type { BenchOptions } from '../bench-options.ts'
import { median } from '../support/percentile.ts'
import {
  formatBytes,
  formatRatio,
  formatSpread,
  spreadVerdict,
  verdictOf,
  type BenchRow,
  type SectionResult,
} from '../support/bench-row.ts'
import { runChild } from '../support/run-child.ts'
import { measurePairedGrowth, type PairedRound } from './paired-chunks.ts'
import { batchesPerChunk, scaleWorkerArgs } from './scale-worker-args.ts'
import type { ScaleFigures, ScaleJob } from './scale-worker.ts'

const FLAT_GOAL = 1.2
const STATE_GOAL_BYTES = 4096

async function runWorker(job: ScaleJob): Promise<ScaleFigures> {
  const { stdout } = await runChild(process.execPath, scaleWorkerArgs(job), {
    timeoutMs: 900_000,
  })
  return JSON.parse(stdout) as ScaleFigures
}

const micros = (value: number): string => `${value.toFixed(2)} µs`

/**
 * Section 4: per-message cost, state per symbol and RSS of each stage with 10, 1,000 and 10,000
 * symbols, each in a fresh process, calling the stage as its service loop does (batches of
 * `batchSize`), without the bus: the cost the stage adds, and how it grows with symbols. The
 * growth is the ratio of 10,000 to 10 symbols in `rounds` rounds of chunk pairs, the two processes
 * taking turns (`paired-chunks.ts`); the goal is met only when the whole spread clears it.
 */
export async function measureScale(options: BenchOptions['scale']): Promise<SectionResult> {
  const rows: BenchRow[] = []
  const notes: string[] = []
  const figures: Record<string, ScaleFigures[]> = {}
  const pairedFigures: Record<string, PairedRound[]> = {}
  const fewestCount = options.symbolCounts[0] ?? 10
  const mostCount = options.symbolCounts.at(-1) ?? 10_000
  for (const stage of ['processor', 'trainer'] as const) {
    const job = (symbols: number, batchSize = options.batchSize): Promise<ScaleFigures> =>
      runWorker({
        stage,
        symbols,
        warmBars: options.warmBars,
        measuredMessages: options.measuredMessages,
        batchSize,
      })
    const results: ScaleFigures[] = []
    for (const symbols of options.symbolCounts) results.push(await job(symbols))
    // The same 10 symbols in batches of 10: a changelog record per message, as with many symbols.
    const fewestSmallBatches = await job(fewestCount, fewestCount)
    // The growth: the two ends in two warmed-up processes taking turns, chunk by chunk.
    const chunkMessages = batchesPerChunk(options.batchSize) * options.batchSize
    const pairsPerRound = Math.max(1, Math.floor(options.measuredMessages / (options.rounds * chunkMessages)))
    const turns = (symbols: number): ScaleJob => ({
      stage,
      symbols,
      warmBars: options.warmBars,
      measuredMessages: options.rounds * pairsPerRound * chunkMessages,
      batchSize: options.batchSize,
    })
    const paired = await measurePairedGrowth(
      turns(fewestCount),
      turns(mostCount),
      options.rounds,
      pairsPerRound,
    )
    figures[stage] = [...results, fewestSmallBatches]
    pairedFigures[stage] = paired
    const cpuGrowths = paired.map((round) => round.cpuGrowth)
    const wallGrowths = paired.map((round) => round.wallGrowth)
    const fewest = results[0]!
    const most = results.at(-1)!
    const counts = results.map((r) => r.symbols.toLocaleString('en-US')).join(' / ')
    const memory = most.memoryBytesPerSymbol
    const json = Math.max(...results.map((r) => r.stateBytesMax))
    const pairedCpu = (pick: (round: PairedRound) => number): string => micros(median(paired.map(pick)))
    rows.push(
      {
        section: '4 scale',
        measure: `${stage} stage: CPU per message at ${counts} symbols (the ends: ${paired.length} rounds of ${pairsPerRound} chunk pairs taking turns)`,
        quotecast: [
          pairedCpu((round) => round.fewestCpuMicros),
          ...results.slice(1, -1).map((r) => micros(r.cpuMicrosPerMessage)),
          pairedCpu((round) => round.mostCpuMicros),
        ].join(' / '),
        reference: `${pairedCpu((round) => round.fewestCpuMicros)} at ${fewest.symbols} symbols`,
        ratio: formatSpread(cpuGrowths),
        goal: `≤ ${FLAT_GOAL}× (whole spread)`,
        verdict: spreadVerdict(cpuGrowths, (growth) => growth <= FLAT_GOAL),
      },
      {
        section: '4 scale',
        measure: `${stage}: same, wall time per message`,
        quotecast: '—',
        reference: '—',
        ratio: formatSpread(wallGrowths),
        goal: '—',
        verdict: 'info',
      },
      {
        section: '4 scale',
        measure: `${stage}: same, each batch one message per symbol at ${fewest.symbols}`,
        quotecast: `${micros(most.cpuMicrosPerMessage)} at ${most.symbols.toLocaleString('en-US')}`,
        reference: `${micros(fewestSmallBatches.cpuMicrosPerMessage)} at ${fewest.symbols}, batches of ${fewestSmallBatches.batchSize}`,
        ratio: formatRatio(most.cpuMicrosPerMessage / fewestSmallBatches.cpuMicrosPerMessage),
        goal: '—',
        verdict: 'info',
      },
      {
        section: '4 scale',
        measure: `${stage}: state per symbol (encoded max; heap + array buffers at ${most.symbols.toLocaleString('en-US')})`,
        quotecast: `${formatBytes(json)}; ${formatBytes(memory)}`,
        reference: '—',
        ratio: '—',
        goal: '< 4 KiB',
        verdict: verdictOf(json < STATE_GOAL_BYTES && memory < STATE_GOAL_BYTES),
      },
    )
    notes.push(
      `${stage}: ${results
        .map(
          (r) =>
            `${r.symbols.toLocaleString('en-US')} symbols: ${micros(r.cpuMicrosPerMessage)} CPU (${micros(r.microsPerMessage)} wall)/message, ${r.changelogPerMessage.toFixed(3)} changelog records/message, state encoded mean ${formatBytes(r.stateBytesMean)} max ${formatBytes(r.stateBytesMax)}, memory ${formatBytes(r.memoryBytesPerSymbol)}/symbol, RSS ${(r.rssBytes / 2 ** 20).toFixed(0)} MiB`,
        )
        .join(
          '; ',
        )}. Growth ${mostCount.toLocaleString('en-US')} ÷ ${fewestCount} per round of chunk pairs, CPU: ${cpuGrowths.map((g) => formatRatio(g)).join(', ')}; wall: ${wallGrowths.map((g) => formatRatio(g)).join(', ')}.`,
    )
  }
  notes.unshift(
    `Each case in a fresh \`node --expose-gc\` process: synthetic symbols from the bundled real series (seeded), every symbol first warmed up with ${options.warmBars} bars (the dedup ring of 64 ids full, the models past their warm-up), then ${options.measuredMessages.toLocaleString('en-US')} messages timed in chunks of 10 batches (the figures are the medians over chunks: the main thread's CPU time, which leaves out the time the process waits for a core on a shared machine, and wall time beside it), round-robin over the symbols (every symbol's next bar in turn, as a backfill or a live feed of all of them delivers them), in batches of ${options.batchSize} as the service loop polls them. The growth (10,000 ÷ 10) is timed apart: the two ends warmed up in two processes that take turns, one chunk each in the order ABBA BAAB, so each pair of chunks is timed moments apart and the load of the shared machine falls on both alike; a round is the median over its pairs, and the goal is judged on the spread over ${options.rounds} rounds. Timed: the stage's process() only (decode, validate, update, encode outputs and the changelog record of each symbol the batch changed). Input: quotes for the processor, the feature rows it would publish for the trainer.`,
    `The second row of each stage isolates the symbol count from the changelog: with ${options.batchSize}-message batches, 10 symbols write a changelog record every 100 messages, 1,000 or more symbols one per message; at 10 symbols in batches of 10 every message writes one too.`,
    'State per symbol: the encoded size of its changelog value (processor-state for the processor, the model snapshot on the models topic for the trainer; both binary layouts), and the growth of the V8 heap plus ArrayBuffer memory (typed-array state lives off the heap) after GC from no symbols to all warmed up, divided by the symbols (the figure at 10 symbols is mostly noise).',
  )
  return { rows, notes, figures: { ...figures, paired: pairedFigures } }
}
