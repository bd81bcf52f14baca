// Issue 8: seeded SIGKILLs of the processor, the trainer and the prediction service while a real
// series streams through; afterwards every output, and every API answer, is the uninterrupted one.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { seededRandom } from '../fixtures/seeded-random.ts'
import { kafkaBootstrap } from '../helpers/kafka.ts'
import { apiRequests, referenceAnswers, referenceApp } from '../support/api-reference.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'
import { expectedOutputs } from '../support/expected-outputs.ts'
import { runKillLoop, type KillRecord } from '../support/kill-loop.ts'
import { producePaced } from '../support/paced-producer.ts'
import { byEventTime } from '../support/relabelled-series.ts'
import { settledAnswers } from '../support/settled-answers.ts'
import { TestPipeline } from '../support/test-pipeline.ts'
import { FAULT_PROFILE } from './profile.ts'

let p: TestPipeline | undefined
after(async () => {
  await p?.close()
})

function summarise(kills: readonly KillRecord[]): string {
  const recoveries = kills
    .flatMap((kill) => (kill.recoveryMs === undefined ? [] : [kill.recoveryMs]))
    .sort((a, b) => a - b)
  const median = recoveries[Math.floor(recoveries.length / 2)] ?? 0
  const atStartUp = kills.filter((kill) => kill.consumed === undefined).length
  return (
    `${kills[0]?.service}: ${kills.length} kills (${atStartUp} during start-up), recovery median ${median} ms, ` +
    `max ${recoveries.at(-1) ?? 0} ms; consumed before each kill: ${kills.map((kill) => kill.consumed ?? '-').join(' ')}`
  )
}

describe('SIGKILLs across the services, seeded', () => {
  test(
    `${FAULT_PROFILE.kills} kills of processor, trainer and prediction service: outputs and answers exact`,
    { timeout: 900_000 },
    async (t) => {
      t.diagnostic(`profile ${FAULT_PROFILE.name}, seed ${FAULT_PROFILE.seed}`)
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const gspc = { bars: sp500.bars.slice(-1800), quotes: sp500.quotes.slice(-1800) }
      const expected = expectedOutputs([aapl.bars, gspc.bars])
      const quotes = byEventTime(aapl.quotes, gspc.quotes)
      const pipeline = await TestPipeline.create('faults-kill', {
        bootstrap: kafkaBootstrap(),
        partitions: 3,
      })
      p = pipeline
      const random = seededRandom(FAULT_PROFILE.seed)
      const share = (part: number): number => Math.round((FAULT_PROFILE.kills * part) / 3)
      const killsOf = { process: share(1), train: share(1), serve: FAULT_PROFILE.kills - 2 * share(1) }
      const streamSeconds = Math.max(60, FAULT_PROFILE.kills * 4)
      const producer = producePaced(pipeline, quotes, { perSecond: quotes.length / streamSeconds })
      const startedAt = Date.now()

      const loops = await Promise.all(
        (
          [
            ['process', 'quotecast_processor_quotes_total'],
            ['train', 'quotecast_trainer_rows_total'],
            ['serve', 'quotecast_predictor_records_total'],
          ] as const
        ).map(([command, workMetric]) =>
          runKillLoop({
            service: command,
            start: (incarnation) =>
              pipeline.start(command, {
                name: `${command}#${incarnation}`,
                // Every incarnation is the same instance restarted, as a container in its pod.
                env: { QUOTECAST_INSTANCE_ID: `chaos-${command}` },
                ...(command === 'serve' ? { args: ['--partitions', '3'] } : {}),
              }),
            kills: killsOf[command],
            random: seededRandom(Math.floor(random.uniform() * 2 ** 31)),
            maxDelayMs: command === 'serve' ? 3000 : (streamSeconds * 1000) / killsOf[command] / 3,
            startUpShare: 0.2,
            workMetric,
          }),
        ),
      )
      const kills = loops.flatMap((loop) => loop.kills)
      const producedAtLastKill = producer.produced()
      await producer.done
      await pipeline.waitForCaughtUp(180_000)
      t.diagnostic(loops.map((loop) => summarise(loop.kills)).join('\n'))
      t.diagnostic(
        `${kills.length} kills while ${producedAtLastKill} of ${quotes.length} quotes were produced; all consumed ${Date.now() - startedAt} ms after the start`,
      )
      assert.equal(kills.length, FAULT_PROFILE.kills)
      assert.ok(
        kills.filter((kill) => (kill.consumed ?? 0) > 0).length >= FAULT_PROFILE.kills / 2,
        'most kills hit a process at work',
      )

      await pipeline.assertOutputs(expected)

      const serve = loops[2]!.current
      const requests = apiRequests(expected)
      const reference = await referenceAnswers(await referenceApp(expected), requests)
      const answers = await settledAnswers(await serve.waitReady(), requests, reference, 60_000)
      for (const [key, answer] of answers) assert.deepEqual(answer, reference.get(key), key)
    },
  )
})
