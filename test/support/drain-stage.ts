import { pino } from 'pino'
import type { Bus, BusRecord, OutgoingRecord } from '../../src/platform/bus/bus.ts'
import { produceAndCommit } from '../../src/platform/bus/bus.ts'
import { createStageDriver } from '../../src/platform/stream/create-stage-driver.ts'
import type { PartitionedStage } from '../../src/platform/stream/partitioned-stage.ts'

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
  const driver = createStageDriver(stage, pino({ level: 'silent' }))
  const open = () =>
    bus.consumer({
      groupId: options.groupId,
      topics: [options.topic],
      onAssigned: driver.onAssigned,
      onRevoked: driver.onRevoked,
    })
  let consumer = await open()
  for (let batch = 0; ; batch++) {
    const records: readonly BusRecord[] = await consumer.poll({
      maxRecords: options.maxRecords,
      maxWaitMs: 20,
    })
    const outputs: readonly OutgoingRecord[] = driver.step(records, 0)
    if (records.length === 0 && outputs.length === 0) break
    await produceAndCommit(consumer, outputs, records)
    if (restarts.has(batch)) {
      driver.forgetAll()
      await consumer.close()
      consumer = await open()
    }
  }
  await consumer.close()
}
