import type { Bus, BusRecord, OutgoingRecord } from '../../src/platform/bus/bus.ts'
import { produceAndCommit } from '../../src/platform/bus/bus.ts'
import type { PartitionedStage } from '../../src/platform/stream/run-partitioned-loop.ts'

/**
 * Drives a stage as its service loop does (poll, process, one transaction), batch by batch,
 * until the topic is drained. `restartAfter` lists batch numbers after which the stage loses its
 * in-memory state and the consumer is recreated: a crash and restart between two commits.
 */
export async function drainStage(
  bus: Bus,
  stage: PartitionedStage,
  options: { groupId: string; topic: string; maxRecords: number; restartAfter?: readonly number[] },
): Promise<void> {
  const restarts = new Set(options.restartAfter ?? [])
  const open = () =>
    bus.consumer({
      groupId: options.groupId,
      topics: [options.topic],
      onAssigned: (partitions) => stage.restore(partitions),
      onRevoked: (partitions) => {
        stage.forget(partitions)
        return Promise.resolve()
      },
    })
  let consumer = await open()
  for (let batch = 0; ; batch++) {
    const records: readonly BusRecord[] = await consumer.poll({
      maxRecords: options.maxRecords,
      maxWaitMs: 20,
    })
    if (records.length === 0) break
    const outputs: readonly OutgoingRecord[] = stage.process(records)
    await produceAndCommit(consumer, outputs, records)
    if (restarts.has(batch)) {
      stage.forget('all')
      await consumer.close()
      consumer = await open()
    }
  }
  await consumer.close()
}
