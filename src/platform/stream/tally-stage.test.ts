import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BusRecord, OutgoingRecord } from '../bus/bus.ts'
import type { LoggedStore } from './changelogged-store.ts'
import type { PartitionedStage } from './partitioned-stage.ts'
import { tallyStage } from './tally-stage.ts'

const record = (offset: number, value: string | null, timestamp: number): BusRecord => ({
  topic: 'p.quotes',
  partition: 0,
  offset: BigInt(offset),
  key: 'ALI',
  value: value === null ? null : Buffer.from(value),
  timestamp,
  headers: {},
})
const out = (topic: string): OutgoingRecord => ({ topic, key: 'ALI', value: null })

const stores: readonly LoggedStore[] = []

function fakeStage(): PartitionedStage {
  return {
    stores,
    process: (records) =>
      records.flatMap((r) =>
        r.value === null ? [out('p.dead-letters')] : [out('p.bars'), out('p.features'), out('p.state')],
      ),
    tick: () => [out('p.bars')],
  }
}

test('counts records in, records out by topic, dead letters, lag and the last event time', () => {
  let nowMs = 10_000
  const tally = tallyStage(fakeStage(), {
    topicPrefix: 'p.',
    now: () => nowMs,
    eventTimeField: 'asOf',
  })
  const names = { bars: 'barsOut', features: 'rowsOut' }
  assert.deepEqual(tally.counts('quotesIn', names), {
    quotesIn: 0,
    barsOut: 0,
    rowsOut: 0,
    deadLetters: 0,
    lagMs: undefined,
    lastEventAt: undefined,
  })
  const outputs = tally.stage.process([
    record(0, '{"asOf":1665730200000}', 9000),
    record(1, '{"asOf":"2022-10-14T14:51:00+08:00"}', 9500),
  ])
  assert.equal(outputs.length, 6, 'the outputs are passed through')
  nowMs = 20_000
  tally.stage.process([record(2, null, 19_250)])
  assert.equal(tally.stage.tick?.(nowMs).length, 1)
  assert.equal(tally.stage.stores, stores, "the stores are the wrapped stage's, for the loop to restore")
  assert.deepEqual(tally.counts('quotesIn', names), {
    quotesIn: 3,
    barsOut: 3,
    rowsOut: 2,
    deadLetters: 1,
    lagMs: 750,
    // The null record has no event time: the one before it stays.
    lastEventAt: '2022-10-14T06:51:00.000Z',
  })
})

test('an event time that is not a time, or not JSON, leaves lastEventAt as it was', () => {
  const tally = tallyStage(fakeStage(), { topicPrefix: '', now: () => 0, eventTimeField: 'asOf' })
  for (const value of ['{"asOf":1e300}', '{"asOf":"soon"}', 'not json', '[1]', '{"asOf":5}']) {
    tally.stage.process([record(0, value, 0)])
  }
  assert.equal(tally.counts('in', {})['lastEventAt'], '1970-01-01T00:00:00.005Z')
  assert.equal(tally.counts('in', {})['lagMs'], undefined, 'no broker timestamp, no lag')
})

test('a stage without tick stays without one', () => {
  const { tick: _tick, ...stage } = fakeStage()
  assert.equal(tallyStage(stage, { topicPrefix: '', now: () => 0 }).stage.tick, undefined)
})
