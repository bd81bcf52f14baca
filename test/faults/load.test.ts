// Issue 8: the pipeline held at a fixed input rate with consumer lag and memory sampled, and the
// API under sustained load meanwhile. Quick profile 60 s; QUOTECAST_FAULTS_PROFILE=long for 10 min.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'
import { TOPICS } from '../../src/core/contracts/topics.ts'
import { kafkaBootstrap } from '../helpers/kafka.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'
import { assertSameBySymbol, valuesByKey } from '../support/compare-outputs.ts'
import { expectedOutputs } from '../support/expected-outputs.ts'
import { producePaced } from '../support/paced-producer.ts'
import { processRss } from '../support/process-rss.ts'
import { byEventTime, relabelledSeries, symbolsCoveringPartitions } from '../support/relabelled-series.ts'
import type { ServiceProcess } from '../support/services.ts'
import { INSPECT, postGcHeapBytes } from '../support/post-gc-heap.ts'
import { TestPipeline } from '../support/test-pipeline.ts'
import { FAULT_PROFILE } from './profile.ts'

const PARTITIONS = 3
const SAMPLE_MS = 5000
const MB = 1024 * 1024

interface Sample {
  readonly atSec: number
  readonly produced: number
  readonly processorLag: number
  readonly trainerLag: number
  readonly rssMb: Readonly<Record<string, number>>
  /** V8 heap in use (`nodejs_heap_size_used_bytes`); its low points are the live set after a GC. */
  readonly heapMb: Readonly<Record<string, number>>
}

let p: TestPipeline | undefined
after(async () => {
  await p?.close()
})

/** Processor's and trainer's live heaps in MB, each after a full collection (post-gc-heap.ts). */
async function liveHeapsMb(services: {
  readonly processor: ServiceProcess
  readonly trainer: ServiceProcess
}): Promise<{ processor: number; trainer: number }> {
  const [processor, trainer] = await Promise.all([
    postGcHeapBytes(services.processor),
    postGcHeapBytes(services.trainer),
  ])
  return { processor: processor / MB, trainer: trainer / MB }
}

describe('the pipeline under load', () => {
  test(
    `${FAULT_PROFILE.loadRate} quotes/s for ${FAULT_PROFILE.loadSeconds} s: bounded lag, steady memory, API without errors`,
    { timeout: (FAULT_PROFILE.loadSeconds + 300) * 1000 },
    async (t) => {
      const total = FAULT_PROFILE.loadRate * FAULT_PROFILE.loadSeconds
      const { bars } = await bundledSeries('sp500')
      const copies = Math.ceil(total / (bars.length - 100))
      const series = symbolsCoveringPartitions('LOAD.', copies, PARTITIONS).map((symbol) =>
        relabelledSeries(bars.slice(0, Math.ceil(total / copies)), symbol),
      )
      const quotes = byEventTime(...series.map((entry) => entry.quotes)).slice(0, total)
      const expected = expectedOutputs(
        series.map((entry) =>
          entry.bars.slice(0, quotes.filter((quote) => quote.symbol === entry.bars[0]?.symbol).length),
        ),
      )
      const pipeline = await TestPipeline.create('faults-load', {
        bootstrap: kafkaBootstrap(),
        partitions: PARTITIONS,
      })
      p = pipeline
      const services = {
        processor: pipeline.start('process', { nodeOptions: INSPECT }),
        trainer: pipeline.start('train', { nodeOptions: INSPECT }),
        predictor: pipeline.start('serve', {
          args: ['--partitions', String(PARTITIONS), '--rate-limit', '100000000'],
        }),
      }
      const [, , apiUrl] = await Promise.all(Object.values(services).map((service) => service.waitReady()))
      const lagOf = async (group: string, topic: string): Promise<number> =>
        Number(await pipeline.probe.lag(group, topic, await pipeline.probe.endOffsets(topic, PARTITIONS)))

      const startedAt = Date.now()
      const producer = producePaced(pipeline, quotes, { perSecond: FAULT_PROFILE.loadRate })
      const samples: Sample[] = []
      const state = { isProducing: true }
      producer.done.finally(() => (state.isProducing = false)).catch(() => undefined)
      const sampling = (async () => {
        while (state.isProducing) {
          await sleep(SAMPLE_MS)
          const [processorLag, trainerLag] = await Promise.all([
            lagOf(pipeline.group('processor'), pipeline.topic(TOPICS.quotes)),
            lagOf(pipeline.group('trainer'), pipeline.topic(TOPICS.features)),
          ])
          const rssMb = Object.fromEntries(
            Object.entries(services).map(([name, service]) => [name, (processRss(service.pid) ?? 0) / MB]),
          )
          const heaps = await Promise.all(
            Object.entries(services).map(
              async ([name, service]) =>
                [
                  name,
                  ((await service.metric(
                    `${name === 'predictor' ? 'quotecast_predictor_' : ''}nodejs_heap_size_used_bytes`,
                  )) ?? 0) / MB,
                ] as const,
            ),
          )
          samples.push({
            atSec: (Date.now() - startedAt) / 1000,
            produced: producer.produced(),
            processorLag,
            trainerLag,
            rssMb,
            heapMb: Object.fromEntries(heaps),
          })
        }
      })()
      await sleep((FAULT_PROFILE.loadSeconds * 1000) / 3)
      // The live set once warm (every symbol seen, the pools filled), after a full collection.
      const liveEarly = await liveHeapsMb(services)
      const api = await autocannon({
        url: apiUrl!,
        duration: Math.min(30, Math.round(FAULT_PROFILE.loadSeconds / 3)),
        connections: 4,
        requests: [
          { path: '/api/v1/symbols' },
          { path: `/api/v1/predictions/${encodeURIComponent(series[0]!.bars[0]!.symbol)}` },
        ],
      })
      await producer.done
      await sampling
      const producedSec = (Date.now() - startedAt) / 1000
      const table = samples.map((sample) => {
        const mb = (values: Readonly<Record<string, number>>): string =>
          Object.values(values)
            .map((value) => value.toFixed(0))
            .join('/')
        return `${sample.atSec.toFixed(0)} ${sample.produced} ${sample.processorLag} ${sample.trainerLag} ${mb(sample.rssMb)} ${mb(sample.heapMb)}`
      })
      t.diagnostic(
        `samples (s, produced, processor lag, trainer lag, RSS MB and heap used MB of processor/trainer/predictor):\n${table.join('\n')}`,
      )
      t.diagnostic(
        `API: ${api.requests.total} requests, ${api.requests.average} req/s, p50 ${api.latency.p50} ms, ` +
          `p99 ${api.latency.p99} ms, ${api.non2xx} non-2xx, ${api.errors} errors, ${api.timeouts} timeouts`,
      )
      await pipeline.waitForCaughtUp(60_000)
      const drainSec = (Date.now() - startedAt) / 1000 - producedSec
      t.diagnostic(
        `${quotes.length} quotes of ${series.length} symbols in ${producedSec.toFixed(1)} s ` +
          `(${(quotes.length / producedSec).toFixed(0)}/s); all consumed ${drainSec.toFixed(1)} s after the last`,
      )

      assert.equal(api.errors + api.timeouts + api.non2xx, 0, 'the API answered every request with a 2xx')
      assert.ok(api.requests.total > 1000, 'the API was under load')
      const steady = samples.slice(Math.floor(samples.length / 4))
      const lagLimit = FAULT_PROFILE.loadRate * 10
      assert.ok(
        Math.max(...steady.map((sample) => sample.processorLag)) <= lagLimit,
        `processor lag stays under ${lagLimit} records (10 s of input)`,
      )
      assert.ok(
        Math.max(...steady.map((sample) => sample.trainerLag)) <= lagLimit,
        `trainer lag stays under ${lagLimit} records`,
      )
      // A leak grows the live set: the heap after a full collection, a third into the run against the
      // end (a sampled heap moves with when the collector last ran, so it is reported, not judged;
      // RSS moves with the collector's sizing of its spaces). 1 KB kept per quote adds 8 MB in the quick
      // profile; runs without a leak moved by at most 1.6 MB.
      const liveLate = await liveHeapsMb(services)
      for (const name of ['processor', 'trainer'] as const) {
        const early = liveEarly[name]
        const late = liveLate[name]
        t.diagnostic(`${name} live heap after a full GC: ${early.toFixed(1)} MB → ${late.toFixed(1)} MB`)
        assert.ok(
          late <= early + 4,
          `${name} memory is steady: live heap after a full GC ${early.toFixed(1)} MB → ${late.toFixed(1)} MB`,
        )
      }
      assertSameBySymbol(
        valuesByKey(await pipeline.probe.read(pipeline.topic(TOPICS.features))),
        expected.features,
        'features',
      )
      assertSameBySymbol(
        valuesByKey(await pipeline.probe.read(pipeline.topic(TOPICS.predictions))),
        expected.predictions,
        'predictions',
      )
      for (const service of Object.values(services))
        assert.ok(service.isRunning, `${service.name} kept running`)
    },
  )
})
