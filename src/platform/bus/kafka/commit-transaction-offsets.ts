import {
  findErrorBy,
  kGetApi,
  NetworkError,
  UnsupportedApiError,
  type API,
  type Consumer,
  type Producer,
  type RetryDelayGetter,
  type txnOffsetCommitV4,
} from '@platformatic/kafka'
import { QuotecastError } from '../../errors.ts'
import type { PositionAfter } from './positions.ts'

type TxnOffsetCommitRequestTopic = txnOffsetCommitV4.TxnOffsetCommitRequestTopic
type TxnOffsetCommitResponse = txnOffsetCommitV4.TxnOffsetCommitResponse
type TxnOffsetCommitApi = API<
  [string, string, bigint, number, number, string, string | null, TxnOffsetCommitRequestTopic[]],
  TxnOffsetCommitResponse
>

export interface TransactionOffsets {
  readonly producer: Producer
  readonly consumer: Consumer
  readonly generationId: number
  readonly memberId: string
  readonly positions: readonly PositionAfter[]
  readonly retries: number
  readonly retryDelay: number | RetryDelayGetter | undefined
}

function byTopic(positions: readonly PositionAfter[]): TxnOffsetCommitRequestTopic[] {
  const topics = new Map<string, TxnOffsetCommitRequestTopic>()
  for (const { topic, partition, offset } of positions) {
    let entry = topics.get(topic)
    if (entry === undefined) {
      entry = { name: topic, partitions: [] }
      topics.set(topic, entry)
    }
    entry.partitions.push({ partitionIndex: partition, committedOffset: offset, committedLeaderEpoch: -1 })
  }
  return [...topics.values()]
}

/** The highest TxnOffsetCommit version both the client and the broker speak, as the client picks it. */
function txnOffsetCommitApi(producer: Producer): Promise<TxnOffsetCommitApi> {
  return new Promise((resolve, reject) => {
    producer[kGetApi]<TxnOffsetCommitApi extends API<infer A, unknown> ? A : never, TxnOffsetCommitResponse>(
      'TxnOffsetCommit',
      (error, api) => {
        if (error !== null || api === undefined)
          reject(error ?? new UnsupportedApiError('the broker has no TxnOffsetCommit API'))
        else resolve(api)
      },
    )
  })
}

/**
 * Adds the consumed positions of every partition to the open transaction in one TxnOffsetCommit
 * request (KIP-447: with the group generation, so a fenced member's offsets are rejected). The
 * client's `addOffset` sends one request per partition, and only one at a time: its requests share
 * a deduplication slot, so concurrent ones would silently drop offsets.
 */
export async function commitTransactionOffsets(offsets: TransactionOffsets): Promise<void> {
  const { producer, consumer } = offsets
  const { producerId, producerEpoch, transaction } = producer
  if (producerId === undefined || producerEpoch === undefined || transaction === undefined)
    throw new QuotecastError('BUS_FENCED', 'the producer has no open transaction (it was discarded)')
  const topics = byTopic(offsets.positions)
  const api = await txnOffsetCommitApi(producer)
  for (let attempt = 0; ; attempt++) {
    try {
      const coordinatorId = consumer.coordinatorId ?? (await consumer.findGroupCoordinator())
      const connection = (await producer.connectToBrokers([coordinatorId])).get(coordinatorId)
      if (connection === undefined)
        throw new NetworkError(`no connection to the group coordinator ${coordinatorId}`)
      await api.async(
        connection,
        transaction.id,
        consumer.groupId,
        producerId,
        producerEpoch,
        offsets.generationId,
        offsets.memberId,
        consumer.groupInstanceId,
        topics,
      )
      return
    } catch (error) {
      // The client's own rule: retried unless something in the chain says it cannot help.
      if (attempt >= offsets.retries || findErrorBy(error as Error, 'canRetry', false) !== null) throw error
      const delay = offsets.retryDelay
      const ms =
        typeof delay === 'function'
          ? delay(producer, 'txnOffsetCommit', attempt + 1, offsets.retries, error as Error)
          : (delay ?? 250)
      await new Promise((resolve) => setTimeout(resolve, ms))
    }
  }
}
