// One scale measurement in a fresh process (run with --expose-gc by measure-scale.ts): a stage of
// the processor or the trainer, called directly as its service loop calls it, with N symbols.
// Prints one JSON line: cost per message, state bytes per symbol, memory per symbol, RSS.
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { resolveBarConfig } from '../../src/core/bars/resolve-bar-config.ts'
import { encodeMessage } from '../../src/core/contracts/decode-message.ts'
import type { FeatureRow } from '../../src/core/contracts/feature-row.ts'
import { TOPICS } from '../../src/core/contracts/topics.ts'
import { resolveTrainerOptions } from '../../src/core/training/trainer-options.ts'
import { featureRowsOf } from '../../src/core/training/feature-rows-of.ts'
import type { BusRecord } from '../../src/platform/bus/bus.ts'
import { MemoryBus } from '../../src/platform/bus/memory-bus.ts'
import { createStageDriver } from '../../src/platform/stream/create-stage-driver.ts'
import type { PartitionedStage } from '../../src/platform/stream/partitioned-stage.ts'
import { createProcessorMetrics } from '../../src/services/processor/processor-metrics.ts'
import { createProcessorStage } from '../../src/services/processor/processor-stage.ts'
import { createTrainerMetrics } from '../../src/services/trainer/trainer-metrics.ts'
import { createTrainerStage } from '../../src/services/trainer/trainer-stage.ts'
import { median } from '../support/percentile.ts'
import { batchesPerChunk } from './scale-worker-args.ts'
import {
  loadBundledBars,
  quoteOfBar,
  syntheticBar,
  syntheticSymbols,
  type SyntheticSymbol,
} from '../support/synthetic-symbols.ts'

export interface ScaleJob {
  readonly stage: 'processor' | 'trainer'
  readonly symbols: number
  readonly warmBars: number
  readonly measuredMessages: number
  readonly batchSize: number
}

export interface ScaleFigures extends ScaleJob {
  /**
   * The main thread's CPU time per message, the median over chunks of the measured messages: what
   * the stage costs, without the time this process waits for a core on a shared machine.
   */
  readonly cpuMicrosPerMessage: number
  /** Wall time per message, the median over the same chunks. */
  readonly microsPerMessage: number
  /** Chunks the medians are taken over. */
  readonly chunks: number
  /** Changelog records (processor-state or models) written per message in the measured phase. */
  readonly changelogPerMessage: number
  /** Encoded size of each symbol's latest changelog value: processor-state or model snapshot (both binary). */
  readonly stateBytesMean: number
  readonly stateBytesMax: number
  /**
   * Growth of the memory (after GC) from no state to every symbol warmed up, per symbol: the V8
   * heap plus ArrayBuffer memory, which holds typed-array state off the heap.
   */
  readonly memoryBytesPerSymbol: number
  readonly rssBytes: number
}

/** What state can occupy: the V8 heap and the ArrayBuffers off it (typed arrays' storage). */
const stateMemory = (): number => {
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.arrayBuffers
}

/** The main thread's CPU time so far, user and system, in µs. */
const threadCpuMicros = (): number => {
  const { user, system } = process.threadCpuUsage()
  return user + system
}

const gc = (): void => {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc')
  globalThis.gc()
  globalThis.gc()
}

function createStage(kind: ScaleJob['stage']): PartitionedStage {
  const bus = new MemoryBus()
  const now = (): number => 0
  if (kind === 'trainer') {
    const metrics = createTrainerMetrics(new Registry())
    return createTrainerStage({ bus, topicPrefix: '', trainerOptions: resolveTrainerOptions(), metrics, now })
  }
  const barConfig = resolveBarConfig({ interval: '1d' })
  if (!barConfig.ok) throw new Error(barConfig.error)
  const metrics = createProcessorMetrics(new Registry())
  return createProcessorStage({ bus, topicPrefix: '', barConfig: barConfig.value, metrics, now })
}

/** The input message of symbol `spec`'s `k`-th bar: its quote, or the feature row the processor would publish. */
function messageMaker(kind: ScaleJob['stage'], specs: readonly SyntheticSymbol[]) {
  if (kind === 'processor')
    return (spec: SyntheticSymbol, k: number) => encodeMessage(quoteOfBar(syntheticBar(spec, k)))
  const rowsByBase = new Map(
    [...new Set(specs.map((spec) => spec.base))].map((base) => [base, featureRowsOf(base)]),
  )
  return (spec: SyntheticSymbol, k: number) => {
    const rows = rowsByBase.get(spec.base)!
    const index = spec.offset + k
    const row = rows[index % rows.length]!
    const shift = Math.floor(index / rows.length) * spec.cycleMs
    const shifted: FeatureRow = {
      ...row,
      symbol: spec.symbol,
      barStart: row.barStart + shift,
      barEnd: row.barEnd + shift,
    }
    return encodeMessage(shifted)
  }
}

/** One chunk's cost: the main thread's CPU time and the wall time per message. */
export interface ChunkFigures {
  readonly cpuMicrosPerMessage: number
  readonly microsPerMessage: number
}

interface PreparedScaleJob {
  /** Times the next chunk (`batchesPerChunk` batches, fewer at the end of the measured messages). */
  measureChunk(): ChunkFigures
  readonly messagesLeft: () => number
  /** The figures over the chunks measured so far. */
  figures(): ScaleFigures
}

/** The stage with every symbol warmed up, ready to time chunks of messages. */
async function prepareScaleJob(job: ScaleJob): Promise<PreparedScaleJob> {
  const specs = syntheticSymbols(await loadBundledBars(), job.symbols, { seed: 13 })
  const makeMessage = messageMaker(job.stage, specs)
  const topic = job.stage === 'processor' ? TOPICS.quotes : TOPICS.features
  const changelog = job.stage === 'processor' ? TOPICS.processorState : TOPICS.models
  // As the loop drives it: process, then the store's changelog (the batch's states encoded).
  const stage = createStageDriver(createStage(job.stage), pino({ level: 'silent' }))
  let offset = 0n
  let k = 0
  let next = 0
  /** The next `size` messages, round-robin over the symbols: every symbol's next bar in turn. */
  const nextBatch = (size: number): BusRecord[] => {
    const batch: BusRecord[] = []
    for (let i = 0; i < size; i++) {
      const spec = specs[next]!
      batch.push({
        topic,
        partition: 0,
        offset: offset++,
        key: spec.symbol,
        value: makeMessage(spec, k),
        timestamp: 0,
        headers: {},
      })
      if (++next === specs.length) {
        next = 0
        k++
      }
    }
    return batch
  }

  gc()
  const memoryBefore = stateMemory()
  for (let left = job.warmBars * job.symbols; left > 0; left -= job.batchSize)
    stage.step(nextBatch(Math.min(left, job.batchSize)), 0)
  gc()
  const memoryAfter = stateMemory()

  const stateBytes = new Map<string, number>()
  let changelogRecords = 0
  let left = job.measuredMessages
  const wallPerMessage: number[] = []
  const cpuPerMessage: number[] = []
  return {
    messagesLeft: () => left,
    measureChunk() {
      const chunk = { messages: 0, wallMs: 0, cpuMicros: 0 }
      const chunkOutputs: ReturnType<typeof stage.step>[] = []
      const batches: BusRecord[][] = []
      for (let n = batchesPerChunk(job.batchSize); n > 0 && left > 0; n--) {
        const batch = nextBatch(Math.min(left, job.batchSize))
        left -= batch.length
        batches.push(batch)
      }
      // The inputs are made before and the outputs tallied after the timing, and the CPU clock is
      // read once a chunk, since it may advance in ticks.
      const cpuStarted = threadCpuMicros()
      for (const batch of batches) {
        const started = performance.now()
        chunkOutputs.push(stage.step(batch, 0))
        chunk.wallMs += performance.now() - started
        chunk.messages += batch.length
      }
      chunk.cpuMicros = threadCpuMicros() - cpuStarted
      for (const outputs of chunkOutputs) {
        for (const output of outputs) {
          if (output.topic !== changelog) continue
          changelogRecords++
          stateBytes.set(output.key, output.value?.byteLength ?? 0)
        }
      }
      const figures = {
        cpuMicrosPerMessage: chunk.cpuMicros / chunk.messages,
        microsPerMessage: (chunk.wallMs * 1000) / chunk.messages,
      }
      cpuPerMessage.push(figures.cpuMicrosPerMessage)
      wallPerMessage.push(figures.microsPerMessage)
      return figures
    },
    figures() {
      const sizes = [...stateBytes.values()]
      const measured = job.measuredMessages - left
      return {
        ...job,
        cpuMicrosPerMessage: median(cpuPerMessage),
        microsPerMessage: median(wallPerMessage),
        chunks: wallPerMessage.length,
        changelogPerMessage: changelogRecords / measured,
        stateBytesMean: sizes.reduce((sum, size) => sum + size, 0) / sizes.length,
        stateBytesMax: Math.max(...sizes),
        memoryBytesPerSymbol: (memoryAfter - memoryBefore) / job.symbols,
        rssBytes: process.memoryUsage().rss,
      }
    },
  }
}

export async function runScaleJob(job: ScaleJob): Promise<ScaleFigures> {
  const prepared = await prepareScaleJob(job)
  while (prepared.messagesLeft() > 0) prepared.measureChunk()
  return prepared.figures()
}

/**
 * `--turns`: warms up, prints `ready`, then times one chunk for each line read from stdin and
 * prints its `ChunkFigures`, so that a driver can alternate chunks of two processes (one with few
 * symbols, one with many) and compare chunks timed moments apart on a shared machine.
 */
async function takeTurns(job: ScaleJob): Promise<void> {
  const prepared = await prepareScaleJob(job)
  console.log('ready')
  for await (const line of createInterface({ input: process.stdin })) {
    if (line !== 'chunk') break
    console.log(JSON.stringify(prepared.measureChunk()))
  }
}

if (import.meta.main) {
  const job = JSON.parse(process.argv[2] ?? '{}') as ScaleJob
  if (process.argv[3] === '--turns') await takeTurns(job)
  else console.log(JSON.stringify(await runScaleJob(job)))
}
