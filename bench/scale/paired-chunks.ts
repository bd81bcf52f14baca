import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { median } from '../support/percentile.ts'
import { scaleWorkerArgs } from './scale-worker-args.ts'
import type { ChunkFigures, ScaleJob } from './scale-worker.ts'

/** A scale worker in `--turns` mode: warmed up, timing one chunk each time it is asked. */
interface TurnTaker {
  chunk(): Promise<ChunkFigures>
  stop(): void
}

async function startTurnTaker(job: ScaleJob): Promise<TurnTaker> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, scaleWorkerArgs(job, '--turns'), {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const nextLine = async (): Promise<string> => {
    const { value, done } = await lines.next()
    if (done === true)
      throw new Error(`the ${String(job.symbols)}-symbol scale worker ended:\n${stderr.slice(-2000)}`)
    return value
  }
  const first = await nextLine()
  if (first !== 'ready') throw new Error(`the scale worker said ${JSON.stringify(first)}, not "ready"`)
  return {
    async chunk() {
      child.stdin.write('chunk\n')
      return JSON.parse(await nextLine()) as ChunkFigures
    },
    stop: () => child.stdin.end(),
  }
}

/** One round of paired chunks: the growth (many ÷ few) of CPU and wall time per message, medians over its pairs. */
export interface PairedRound {
  readonly cpuGrowth: number
  readonly wallGrowth: number
  readonly fewestCpuMicros: number
  readonly mostCpuMicros: number
}

/**
 * The cost growth from `fewest` to `most` symbols, measured in two warmed-up processes that take
 * turns, one chunk each, in the order ABBA BAAB …: each pair of chunks is timed moments apart, so
 * the load of a shared machine, which drifts over seconds, falls on both alike. Each round is the
 * median over `pairsPerRound` pairs; the spread over rounds is what a goal is judged on.
 */
export async function measurePairedGrowth(
  fewest: ScaleJob,
  most: ScaleJob,
  rounds: number,
  pairsPerRound: number,
): Promise<PairedRound[]> {
  const few = await startTurnTaker(fewest)
  const many = await startTurnTaker(most).catch((error: unknown) => {
    few.stop()
    throw error
  })
  try {
    const result: PairedRound[] = []
    let pair = 0
    for (let round = 0; round < rounds; round++) {
      const pairs: { few: ChunkFigures; many: ChunkFigures }[] = []
      for (let i = 0; i < pairsPerRound; i++, pair++) {
        if (pair % 2 === 0) {
          const a = await few.chunk()
          pairs.push({ few: a, many: await many.chunk() })
        } else {
          const b = await many.chunk()
          pairs.push({ many: b, few: await few.chunk() })
        }
      }
      result.push({
        cpuGrowth: median(pairs.map((p) => p.many.cpuMicrosPerMessage / p.few.cpuMicrosPerMessage)),
        wallGrowth: median(pairs.map((p) => p.many.microsPerMessage / p.few.microsPerMessage)),
        fewestCpuMicros: median(pairs.map((p) => p.few.cpuMicrosPerMessage)),
        mostCpuMicros: median(pairs.map((p) => p.many.cpuMicrosPerMessage)),
      })
    }
    return result
  } finally {
    few.stop()
    many.stop()
  }
}
