import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AssignmentTracker } from './assignment-tracker.ts'

const join = (memberId: string, generationId: number, partitions: number[]) => ({
  memberId,
  generationId,
  assignments: [{ topic: 't', partitions }],
})
const tps = (...partitions: number[]) => partitions.map((partition) => ({ topic: 't', partition }))
const keys = (...partitions: number[]) => partitions.map((partition) => `t\u0000${partition}`)

test('the first join assigns everything once', () => {
  const tracker = new AssignmentTracker()
  assert.deepEqual(tracker.apply(join('m1', 1, [0, 1, 2, 3])), { lost: [], gained: keys(0, 1, 2, 3) })
  assert.deepEqual(tracker.takeAnnouncements(), { revoked: [], assigned: tps(0, 1, 2, 3) })
  assert.deepEqual(tracker.takeAnnouncements(), { revoked: [], assigned: [] })
  assert.deepEqual([tracker.memberId, tracker.generationId], ['m1', 1])
})

test('the next generation of the same member keeps what stays and revokes what moved', () => {
  const tracker = new AssignmentTracker()
  tracker.apply(join('m1', 1, [0, 1, 2, 3]))
  tracker.takeAnnouncements()
  assert.deepEqual(tracker.apply(join('m1', 2, [0, 2])), { lost: keys(1, 3), gained: [] })
  assert.deepEqual(tracker.takeAnnouncements(), { revoked: tps(1, 3), assigned: [] })
  assert.deepEqual(tracker.apply(join('m1', 3, [0, 1, 2, 3])), { lost: [], gained: keys(1, 3) })
  assert.deepEqual(tracker.list(), tps(0, 2, 1, 3))
})

test('a missed generation or a new member id revokes and reassigns everything', () => {
  for (const next of [join('m1', 3, [0, 1]), join('m2', 2, [0, 1])]) {
    const tracker = new AssignmentTracker()
    tracker.apply(join('m1', 1, [0, 1]))
    tracker.takeAnnouncements()
    assert.deepEqual(tracker.apply(next), { lost: keys(0, 1), gained: keys(0, 1) })
    assert.deepEqual(tracker.takeAnnouncements(), { revoked: tps(0, 1), assigned: tps(0, 1) })
  }
})

test('a partition lost before its onAssigned call is neither assigned nor revoked', () => {
  const tracker = new AssignmentTracker()
  tracker.apply(join('m1', 1, [0, 1]))
  tracker.apply(join('m1', 2, [0]))
  assert.deepEqual(tracker.takeAnnouncements(), { revoked: [], assigned: tps(0) })
  assert.equal(tracker.has('t', 1), false)
})

test('findLost: a partition not owned, or given away by a rebalance the member has not polled yet', () => {
  const tracker = new AssignmentTracker()
  tracker.apply(join('m1', 1, [0, 1]))
  const positions = [...tps(0, 1), ...tps(2)]
  assert.deepEqual(tracker.findLost(tps(0, 1), { generationId: 1, assignments: [] }), undefined)
  assert.deepEqual(tracker.findLost(positions, { generationId: 1, assignments: [] }), {
    topic: 't',
    partition: 2,
  })
  const rebalanced = { generationId: 2, assignments: [{ topic: 't', partitions: [0] }] }
  assert.deepEqual(tracker.findLost(tps(0, 1), rebalanced), { topic: 't', partition: 1 })
  assert.deepEqual(tracker.findLost(tps(0), rebalanced), undefined)
})
