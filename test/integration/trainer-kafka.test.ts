// Issue 5 on the real broker: backfill → `quotecast process` → `quotecast train` as child processes,
// compared with the pure training step that `quotecast evaluate` runs.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Bar } from '../../src/core/contracts/bar.ts'
import { encodeMessage } from '../../src/core/contracts/decode-message.ts'
import { TOPICS } from '../../src/core/contracts/topics.ts'
import { resolveTrainerOptions } from '../../src/core/training/trainer-options.ts'
import { createTrainerState } from '../../src/core/training/trainer-state.ts'
import { trainStep } from '../../src/core/training/train-step.ts'
import { encodeModelSnapshot } from '../../src/core/training/model-snapshot-codec.ts'
import type { BusRecord } from '../../src/platform/bus/bus.ts'
import { partitionForKey } from '../../src/platform/bus/murmur2.ts'
import { seededRandom } from '../fixtures/seeded-random.ts'
import { kafkaBootstrap } from '../helpers/kafka.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'
import {
  assertSameBySymbol,
  assertSameSnapshots,
  partitionsByKey,
  valuesByKey,
} from '../support/compare-outputs.ts'
import { expectedOutputs, featureRowsOfBars } from '../support/expected-outputs.ts'
import { producePaced } from '../support/paced-producer.ts'
import { byEventTime, relabelledSeries, symbolsCoveringPartitions } from '../support/relabelled-series.ts'
import { runCommand, type ServiceProcess } from '../support/services.ts'
import { TestPipeline } from '../support/test-pipeline.ts'

const pipelines: TestPipeline[] = []
after(async () => {
  await Promise.all(pipelines.map((pipeline) => pipeline.close()))
})

async function pipeline(name: string, partitions = 3): Promise<TestPipeline> {
  const created = await TestPipeline.create(name, { bootstrap: kafkaBootstrap(), partitions })
  pipelines.push(created)
  return created
}

/** Waits until the processor, then the trainer, consumed everything: every output is then committed. */
async function trained(p: TestPipeline, timeoutMs = 120_000): Promise<void> {
  try {
    await p.probe.waitForCaughtUp(p.group('processor'), p.topic(TOPICS.quotes), { timeoutMs })
    await p.probe.waitForCaughtUp(p.group('trainer'), p.topic(TOPICS.features), { timeoutMs })
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${p.tails()}`, { cause: error })
  }
}

async function assertTrainerOutputs(
  p: TestPipeline,
  expected: ReturnType<typeof expectedOutputs>,
): Promise<void> {
  assertSameBySymbol(
    valuesByKey(await p.probe.read(p.topic(TOPICS.predictions))),
    expected.predictions,
    'predictions',
  )
  assertSameSnapshots(await p.probe.read(p.topic(TOPICS.models)), expected.snapshots, 'latest snapshots')
  assert.deepEqual(await p.probe.read(p.topic(TOPICS.deadLetters)), [])
}

type KeyedRow = { readonly key: string; readonly value: Uint8Array }

/**
 * The feature rows of several series as keyed records, interleaved by progress through each
 * series (stable, so each symbol's rows keep their order): every symbol, so every partition, has
 * rows from the first record to the last.
 */
function interleavedRows(series: readonly (readonly Bar[])[]): KeyedRow[] {
  return series
    .flatMap((bars) =>
      featureRowsOfBars(bars).map((row, index, rows) => ({ row, progress: (index + 1) / rows.length })),
    )
    .sort((a, b) => a.progress - b.progress)
    .map(({ row }) => ({ key: row.symbol, value: encodeMessage(row) }))
}

/** Produces feature rows to `features`, acknowledged and in order, in batches well under 1 MB. */
async function produceRows(p: TestPipeline, rows: readonly KeyedRow[]): Promise<void> {
  for (let from = 0; from < rows.length; from += 500) {
    const batch = rows.slice(from, from + 500)
    await p.probe.bus.produce(batch.map((row) => ({ topic: p.topic(TOPICS.features), ...row })))
  }
}

interface RowProducer {
  readonly produced: () => number
  readonly done: Promise<void>
}

/**
 * Produces the rows to `features` at about `perSecond`, in small acknowledged batches; at each
 * gate's position it holds until the gate opens (a fault that must land with rows still to come),
 * then goes on at the same pace.
 */
function produceRowsPaced(
  p: TestPipeline,
  rows: readonly KeyedRow[],
  perSecond: number,
  gates: readonly { readonly at: number; readonly open: Promise<unknown> }[],
): RowProducer {
  const batchSize = Math.max(1, Math.round(perSecond / 10))
  const pending = [...gates].sort((a, b) => a.at - b.at)
  let produced = 0
  const done = (async () => {
    let clockAt = Date.now()
    let clockFrom = 0
    while (produced < rows.length) {
      const gate = pending[0]
      if (gate !== undefined && produced >= gate.at) {
        pending.shift()
        await gate.open
        clockAt = Date.now()
        clockFrom = produced
        continue
      }
      const end = Math.min(produced + batchSize, rows.length, gate?.at ?? Infinity)
      await produceRows(p, rows.slice(produced, end))
      produced = end
      const waitMs = clockAt + ((produced - clockFrom) / perSecond) * 1000 - Date.now()
      if (waitMs > 0) await sleep(waitMs)
    }
  })()
  done.catch(() => undefined)
  return { produced: () => produced, done }
}

async function producedAtLeast(producer: RowProducer, count: number): Promise<void> {
  while (producer.produced() < count) await sleep(50)
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/**
 * Per symbol, every state the training passes through: the hash of its models-topic value after
 * each row that changed it, with the row's position. A published snapshot must be one of them.
 */
function trainingStates(series: readonly (readonly Bar[])[]): Map<string, Map<string, number>> {
  const trainerOptions = resolveTrainerOptions()
  const states = new Map<string, Map<string, number>>()
  for (const bars of series) {
    const rows = featureRowsOfBars(bars)
    const first = rows[0]
    if (first === undefined) continue
    const state = createTrainerState(trainerOptions, first.symbol, first.interval)
    const byHash = new Map<string, number>()
    for (const [index, row] of rows.entries()) {
      if (!trainStep(trainerOptions, state, row).isStale)
        byHash.set(sha256(encodeModelSnapshot(state)), index)
    }
    states.set(first.symbol, byHash)
  }
  return states
}

/**
 * The models topic is written once per batch per changed symbol, so how many snapshots a symbol
 * gets depends on the batching; what does not: each one, byte for byte, is the state after one of
 * the symbol's rows, later than the one before (nothing from an aborted or fenced transaction,
 * nothing from a stale restore), and the last is the final state (assertSameSnapshots).
 */
function assertSnapshotsFollowTraining(
  records: readonly BusRecord[],
  states: ReadonlyMap<string, ReadonlyMap<string, number>>,
  what: string,
): number {
  const lastAt = new Map<string, number>()
  for (const record of records) {
    const key = record.key ?? '(null)'
    assert.ok(record.value !== null, `${what}: a tombstone for ${key}`)
    const at = states.get(key)?.get(sha256(record.value))
    assert.ok(
      at !== undefined,
      `${what}: ${key}'s snapshot at offset ${record.offset} is no state its training passes through`,
    )
    const before = lastAt.get(key) ?? -1
    assert.ok(
      at > before,
      `${what}: ${key}'s snapshot at offset ${record.offset} (after row ${at}) follows one after row ${before}`,
    )
    lastAt.set(key, at)
  }
  return records.length
}

/** The last value per key, as the compacted topic keeps it. */
function latestByKey(records: readonly BusRecord[]): Map<string, Uint8Array> {
  const latest = new Map<string, Uint8Array>()
  for (const record of records) if (record.value !== null) latest.set(record.key ?? '(null)', record.value)
  return latest
}

describe('quotecast train on the real broker', () => {
  test(
    'backfilled history flows through processor and trainer into the predictions `evaluate` computes',
    { timeout: 180_000 },
    async (t) => {
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const expected = expectedOutputs([aapl.bars, sp500.bars])
      const p = await pipeline('train-backfill')
      const backfill = await runCommand('backfill', {
        kafka: p.bootstrap,
        topicPrefix: p.prefix,
        args: ['--provider', 'replay', '--symbols', 'AAPL,^GSPC', '--from', '2000-01-01'],
      })
      assert.equal(backfill.code, 0, backfill.output)
      const startedAt = Date.now()
      await Promise.all([p.start('process').waitReady(), p.start('train').waitReady()])
      await trained(p)
      t.diagnostic(
        `${aapl.bars.length + sp500.bars.length} bars backfilled, processed and trained in ${Date.now() - startedAt} ms`,
      )

      assertSameBySymbol(
        valuesByKey(await p.probe.read(p.topic(TOPICS.features))),
        expected.features,
        'features',
      )
      await assertTrainerOutputs(p, expected)
    },
  )

  test(
    'the trainer SIGKILLed mid-stream and restarted publishes the same predictions and snapshots',
    { timeout: 300_000 },
    async (t) => {
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const gspc = { bars: sp500.bars.slice(-1800), quotes: sp500.quotes.slice(-1800) }
      const expected = expectedOutputs([aapl.bars, gspc.bars])
      const quotes = byEventTime(aapl.quotes, gspc.quotes)
      const p = await pipeline('train-kill')
      const random = seededRandom(5)
      await p.start('process').waitReady()
      const producer = producePaced(p, quotes, { perSecond: 60 })
      let trainer = p.start('train')
      await trainer.waitReady()
      const kills: string[] = []
      for (let kill = 1; kill <= 4; kill++) {
        await sleep(200 + random.uniform() * 2000)
        const rows = await trainer.metric('quotecast_trainer_rows_total')
        const killedAt = Date.now()
        await trainer.kill('SIGKILL')
        trainer = p.start('train', { name: `train#${kill}` })
        await trainer.waitReady()
        kills.push(
          `kill ${kill}: ${producer.produced()} of ${quotes.length} quotes produced, after ${rows} rows; ready again in ${Date.now() - killedAt} ms`,
        )
      }
      await producer.done
      await trained(p)
      t.diagnostic(kills.join('\n'))
      assert.ok(kills.filter((line) => /after [1-9]/.test(line)).length >= 3, 'kills landed mid-stream')
      await assertTrainerOutputs(p, expected)
    },
  )

  test(
    'two instances in one group, a third joining and one SIGKILLed mid-stream, publish what one instance alone publishes',
    { timeout: 420_000 },
    async (t) => {
      const partitions = 6
      const [aapl, sp500] = await Promise.all([bundledSeries('aapl'), bundledSeries('sp500')])
      const copies = symbolsCoveringPartitions('SPX.', 8, partitions).map((symbol, index) =>
        relabelledSeries(sp500.bars.slice(index * 550, index * 550 + 600), symbol),
      )
      const series = [aapl.bars, ...copies.map((copy) => copy.bars)]
      const rows = interleavedRows(series)
      const expected = expectedOutputs(series)
      const states = trainingStates(series)
      const rowsOf = (service: ServiceProcess) => service.metric('quotecast_trainer_rows_total')

      // (a) One instance alone, over every row: the reference.
      const single = await pipeline('train-single', partitions)
      await produceRows(single, rows)
      let startedAt = Date.now()
      const reference = single.start('train')
      await reference.waitReady()
      await trained(single)
      await reference.kill('SIGTERM')
      const alone = {
        predictions: await single.probe.read(single.topic(TOPICS.predictions)),
        models: await single.probe.read(single.topic(TOPICS.models)),
      }
      const lines = [
        `${rows.length} rows of ${series.length} symbols; one instance: ${Date.now() - startedAt} ms`,
      ]
      // The reference is itself the pure training step's output.
      assertSameBySymbol(valuesByKey(alone.predictions), expected.predictions, 'predictions of one instance')
      assertSameSnapshots(alone.models, expected.snapshots, 'latest snapshots of one instance')
      assertSnapshotsFollowTraining(alone.models, states, 'snapshots of one instance')
      assert.deepEqual(await single.probe.read(single.topic(TOPICS.deadLetters)), [])

      // (b) The same rows, paced, to a group: two instances, a third joining, one SIGKILLed.
      const p = await pipeline('train-group', partitions)
      const first = p.start('train', { name: 'train-a' })
      const second = p.start('train', { name: 'train-b' })
      await Promise.all([first.waitReady(), second.waitReady()])
      await p.probe.waitForMembers(p.group('trainer'), 2, 60_000)
      let joined = (): void => undefined
      let killed = (): void => undefined
      const at = (share: number): number => Math.round(rows.length * share)
      const producer = produceRowsPaced(p, rows, 100, [
        // The third instance is in the group, and the kill done, with rows still to come.
        { at: at(0.5), open: new Promise<void>((resolve) => (joined = resolve)) },
        { at: at(0.9), open: new Promise<void>((resolve) => (killed = resolve)) },
      ])
      startedAt = Date.now()
      const since = (): string => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`

      await producedAtLeast(producer, at(0.1))
      const third = p.start('train', { name: 'train-c' })
      lines.push(`${since()}: train-c started at ${producer.produced()} rows produced`)
      await third.waitReady(120_000)
      lines.push(`${since()}: train-c ready`)
      await p.probe.waitForMembers(p.group('trainer'), 3, 120_000)
      const producedAtJoin = producer.produced()
      const rowsAtJoin = await rowsOf(first)
      lines.push(`${since()}: three members own partitions, at ${producedAtJoin} rows produced`)
      joined()

      // The kill comes after more rows have flowed to every partition, the victim's too.
      await producedAtLeast(producer, producedAtJoin + at(0.1))
      const rowsAtKill = await rowsOf(first)
      const producedAtKill = producer.produced()
      await first.kill('SIGKILL')
      const replacement = p.start('train', { name: 'train-a#2' })
      lines.push(
        `${since()}: train-a SIGKILLed at ${producedAtKill} rows produced, after it consumed ${rowsAtKill} (${rowsAtJoin} when train-c joined)`,
      )
      killed()
      await replacement.waitReady(120_000)
      lines.push(`${since()}: train-a#2 ready`)
      await producer.done
      lines.push(`${since()}: all ${rows.length} rows produced`)
      await trained(p, 180_000)
      const shares = await Promise.all([second, third, replacement].map(rowsOf))
      lines.push(
        `${since()}: all consumed; rows consumed by train-b, train-c, train-a#2: ${shares.join(', ')}`,
      )
      const failures = [first, second, third, replacement].map(
        (service) =>
          `${service.name} ${service.logLines().filter((line) => line.msg?.startsWith('consumer failed')).length}`,
      )
      lines.push(`consumer failures (state restored from the last commit): ${failures.join(', ')}`)
      const reasons = new Set(
        [first, second, third, replacement].flatMap((service) =>
          service
            .logLines()
            .filter((line) => line.msg?.startsWith('consumer failed'))
            .map((line) => String((line['err'] as { message?: unknown } | undefined)?.message).slice(0, 300)),
        ),
      )
      lines.push(...reasons)
      t.diagnostic(lines.join('\n'))
      assert.ok(producedAtJoin < rows.length, 'the third instance joined mid-stream')
      assert.ok(
        rowsAtKill !== undefined && rowsAtKill > 0,
        `the killed instance had consumed rows (${rowsAtKill})`,
      )
      const partitionsToCome = new Set(
        rows.slice(producedAtKill).map((row) => partitionForKey(row.key, partitions)),
      )
      assert.equal(
        partitionsToCome.size,
        partitions,
        'the kill landed with rows still to come on every partition',
      )
      assert.ok(
        shares[0] !== undefined && shares[0] > 0 && shares[1] !== undefined && shares[1] > 0,
        `the surviving and the joining instance worked: ${shares.join(', ')}`,
      )

      const predictions = await p.probe.read(p.topic(TOPICS.predictions))
      const models = await p.probe.read(p.topic(TOPICS.models))
      assertSameBySymbol(valuesByKey(predictions), valuesByKey(alone.predictions), 'predictions of the group')
      assertSameSnapshots(models, latestByKey(alone.models), 'latest snapshots of the group')
      const published = assertSnapshotsFollowTraining(models, states, 'snapshots of the group')
      t.diagnostic(`snapshots published: ${alone.models.length} by one instance, ${published} by the group`)
      for (const [symbol, used] of [...partitionsByKey(predictions), ...partitionsByKey(models)]) {
        assert.deepEqual([...used], [partitionForKey(symbol, partitions)], `${symbol} stays in its partition`)
      }
      assert.deepEqual(await p.probe.read(p.topic(TOPICS.deadLetters)), [])
    },
  )
})
