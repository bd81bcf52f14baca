import { measureApiLoad } from '../api.ts'
import type { BenchOptions } from '../bench-options.ts'
import {
  formatMs,
  formatRate,
  formatRatio,
  formatSpread,
  spreadVerdict,
  verdictOf,
  type SectionResult,
} from '../support/bench-row.ts'
import { median } from '../support/percentile.ts'

const THROUGHPUT_GOAL = 0.6
const P99_GOAL_MS = 5
const FIXED_RATE_CONNECTIONS = 10

/**
 * Section 3: GET /api/v1/predictions/{symbol} of the real app against the same framework's
 * hello-world route, with bench/api.ts: first as fast as autocannon can drive them, then at a
 * fixed rate of half the API's maximum, where the p99 goal applies.
 */
export async function measureApi(options: BenchOptions['api']): Promise<SectionResult> {
  // The API and hello-world take turns, `rounds` times; the goal needs every round.
  const max = await measureApiLoad({ seconds: options.seconds, rounds: options.rounds })
  const maxRounds = max.rounds
  const ratios = maxRounds.map((round) => round.throughputRatio)
  const halfRate = Math.max(1, Math.floor(median(maxRounds.map((round) => round.api.requestsPerSecond)) / 2))
  // At a fixed rate autocannon fires each connection's share in bursts; fewer connections, fewer
  // simultaneous arrivals. Both are reported: 10 connections for the goal, 50 as at full speed.
  const half = await measureApiLoad({
    seconds: options.seconds,
    overallRate: halfRate,
    connections: FIXED_RATE_CONNECTIONS,
  })
  const halfBursty = await measureApiLoad({ seconds: options.seconds, overallRate: halfRate })
  const failures = (figures: typeof max.api): number => figures.non2xx + figures.errors
  return {
    rows: [
      {
        section: '3 API',
        measure: 'GET /api/v1/predictions/{symbol}: requests/s',
        quotecast: formatRate(median(maxRounds.map((round) => round.api.requestsPerSecond))),
        reference: `${formatRate(median(maxRounds.map((round) => round.hello.requestsPerSecond)))} Fastify hello-world`,
        ratio: formatSpread(ratios),
        goal: `≥ ${THROUGHPUT_GOAL.toFixed(2)}× (whole spread)`,
        verdict: spreadVerdict(ratios, (ratio) => ratio >= THROUGHPUT_GOAL),
      },
      {
        section: '3 API',
        measure: `p99 at half the max rate (${formatRate(halfRate)}, ${FIXED_RATE_CONNECTIONS} connections)`,
        quotecast: formatMs(half.api.p99Ms),
        reference: `${formatMs(half.hello.p99Ms)} hello-world, same rate`,
        ratio: formatRatio(half.api.p99Ms / half.hello.p99Ms),
        goal: `p99 < ${P99_GOAL_MS} ms`,
        verdict: verdictOf(half.api.p99Ms < P99_GOAL_MS),
      },
    ],
    notes: [
      `bench/api.ts: the prediction service's real app (helmet's security headers, CORS, rate limit raised out of the way, zod validation, the response validated and serialised once per new bar or prediction, metrics; views restored from the bundled real series) and a bare Fastify app with GET /hello, in one process; autocannon, ${max.connections} connections, from a worker thread of the same process, ${options.seconds} s per route after a warm-up. Both share the machine's cores with the load generator. ${options.rounds} rounds at full speed, figures the medians; per round API ÷ hello ${ratios.map((ratio) => formatRatio(ratio)).join(', ')}; the latencies below are the median round's.`,
      `At full speed: API p50 ${formatMs(max.api.p50Ms)} / p99 ${formatMs(max.api.p99Ms)}, hello p50 ${formatMs(max.hello.p50Ms)} / p99 ${formatMs(max.hello.p99Ms)}. At ${formatRate(halfRate)} with ${FIXED_RATE_CONNECTIONS} connections: API ${formatRate(half.api.requestsPerSecond)} served, p50 ${formatMs(half.api.p50Ms)}; with ${halfBursty.connections} connections: API p50 ${formatMs(halfBursty.api.p50Ms)} / p99 ${formatMs(halfBursty.api.p99Ms)}, hello p99 ${formatMs(halfBursty.hello.p99Ms)} (autocannon sends each connection's share of a fixed rate in bursts, so with many connections requests arrive together and queue). autocannon reports whole milliseconds. Non-2xx or errors: ${failures(max.api) + failures(half.api) + failures(halfBursty.api)} (API), ${failures(max.hello) + failures(half.hello) + failures(halfBursty.hello)} (hello).`,
    ],
    figures: { max, half, halfBursty, halfRate },
  }
}
