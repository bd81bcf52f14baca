// The prediction API under load beside the same framework's hello-world: autocannon drives
// GET /api/v1/predictions/{symbol} of the real app (views filled from the bundled real series,
// everything on: security headers, CORS, rate limit, zod validation, the response validated and
// serialised once per new bar or prediction, metrics) and
// GET /hello of a bare Fastify app, one after the other, from a worker thread of this process.
// `node bench/api.ts [seconds] [connections]` prints requests/s and p99 for both and their ratio.
import type { AddressInfo } from 'node:net'
import autocannon from 'autocannon'
import Fastify from 'fastify'
import { pino } from 'pino'
import { topicSpecs } from '../src/core/contracts/topics.ts'
import { MemoryBus } from '../src/platform/bus/memory-bus.ts'
import { realSeriesSteps } from '../test/fixtures/predictor/real-series-steps.ts'
import { toRecords } from '../test/fixtures/predictor/to-records.ts'
import { startPredictionService } from '../src/services/predictor/start-prediction-service.ts'

export interface LoadFigures {
  readonly requestsPerSecond: number
  readonly p99Ms: number
  readonly p50Ms: number
  readonly requests: number
  readonly non2xx: number
  readonly errors: number
}

export interface ApiLoadRound {
  readonly api: LoadFigures
  readonly hello: LoadFigures
  /** api ÷ hello requests per second. */
  readonly throughputRatio: number
}

/** The round with the median ratio, and every round (the API then hello-world, taking turns). */
export interface ApiLoadResult extends ApiLoadRound {
  readonly rounds: readonly ApiLoadRound[]
  readonly seconds: number
  readonly connections: number
}

async function load(
  url: string,
  seconds: number,
  connections: number,
  overallRate?: number,
): Promise<LoadFigures> {
  const result = await autocannon({
    url,
    duration: seconds,
    connections,
    pipelining: 1,
    workers: 1,
    ...(overallRate === undefined ? {} : { overallRate }),
  })
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

/** Measures both routes for `seconds` each, after a short warm-up of each. */
export async function measureApiLoad(options: {
  seconds: number
  connections?: number
  /** A fixed total request rate (autocannon's overallRate) instead of as fast as possible. */
  overallRate?: number
  /** Rounds of the API then hello-world on the same servers, after one warm-up; 1 unless given. */
  rounds?: number
}): Promise<ApiLoadResult> {
  const connections = options.connections ?? 50
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(3))
  await bus.produce(toRecords([...realSeriesSteps('AAPL'), ...realSeriesSteps('^GSPC', 2000)]))
  const service = await startPredictionService({
    bus,
    logger: pino({ level: 'warn' }),
    port: 0,
    host: '127.0.0.1',
    rateLimitPerMinute: 1_000_000_000,
  })
  const hello = Fastify()
  hello.get('/hello', () => ({ hello: 'world' }))
  await hello.listen({ port: 0, host: '127.0.0.1' })
  try {
    await service.restored
    const apiUrl = `${service.url}/api/v1/predictions/%5EGSPC`
    const helloUrl = `http://127.0.0.1:${(hello.server.address() as AddressInfo).port}/hello`
    const warmUp = Math.min(2, options.seconds)
    await load(apiUrl, warmUp, connections)
    await load(helloUrl, warmUp, connections)
    const rounds: ApiLoadRound[] = []
    for (let round = 0; round < (options.rounds ?? 1); round++) {
      const api = await load(apiUrl, options.seconds, connections, options.overallRate)
      const hello = await load(helloUrl, options.seconds, connections, options.overallRate)
      rounds.push({ api, hello, throughputRatio: api.requestsPerSecond / hello.requestsPerSecond })
    }
    const byRatio = [...rounds].sort((a, b) => a.throughputRatio - b.throughputRatio)
    return { ...byRatio[Math.floor(byRatio.length / 2)]!, rounds, seconds: options.seconds, connections }
  } finally {
    await hello.close()
    await service.close()
    await bus.close()
  }
}

if (import.meta.main) {
  const seconds = Number(process.argv[2] ?? 10)
  const connections = Number(process.argv[3] ?? 50)
  const result = await measureApiLoad({ seconds, connections })
  const row = (name: string, figures: LoadFigures): string =>
    `${name.padEnd(34)} ${figures.requestsPerSecond.toFixed(0).padStart(9)} req/s   p50 ${String(figures.p50Ms).padStart(4)} ms   p99 ${String(figures.p99Ms).padStart(4)} ms   non-2xx ${figures.non2xx}   errors ${figures.errors}`
  console.log(
    `autocannon: ${connections} connections, ${seconds} s per route, from a worker thread; servers in this process`,
  )
  console.log(row('GET /api/v1/predictions/%5EGSPC', result.api))
  console.log(row('GET /hello (bare Fastify)', result.hello))
  console.log(
    `ratio (API ÷ hello-world requests/s): ${result.throughputRatio.toFixed(2)}×; p99 ${result.api.p99Ms} ms vs ${result.hello.p99Ms} ms`,
  )
}
