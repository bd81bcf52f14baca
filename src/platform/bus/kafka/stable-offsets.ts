import {
  findErrorBy,
  kGetApi,
  kGetConnection,
  NetworkError,
  UnsupportedApiError,
  type API,
  type Connection,
  type Consumer,
} from '@platformatic/kafka'
import { setTimeout as sleep } from 'node:timers/promises'

interface OffsetFetchGroup {
  groupId: string
  memberId: string | null
  memberEpoch: number
  topics: { name: string; partitionIndexes: number[] }[]
}

interface OffsetFetchResponse {
  groups: { topics: { name: string; partitions: { partitionIndex: number; committedOffset: bigint }[] }[] }[]
}

type OffsetFetchApi = API<[groups: OffsetFetchGroup[], requireStable: boolean], OffsetFetchResponse>

/** The first version whose response lists groups; requireStable exists since v7. */
const GROUPS_VERSION = 8
const RETRY_MS = 50

const isUnstable = (error: unknown): boolean =>
  findErrorBy(error as Error, 'apiId', 'UNSTABLE_OFFSET_COMMIT') !== null

function offsetFetchApi(client: Consumer): Promise<OffsetFetchApi> {
  return new Promise((resolve, reject) => {
    client[kGetApi]<[OffsetFetchGroup[], boolean], OffsetFetchResponse>('OffsetFetch', (error, api) => {
      if (error !== null || api === undefined)
        reject(error ?? new UnsupportedApiError('the broker has no OffsetFetch API'))
      else resolve(api)
    })
  })
}

async function coordinatorConnection(client: Consumer, topics: string[]): Promise<Connection> {
  const coordinatorId = await client.findGroupCoordinator()
  const metadata = await client.metadata({ topics })
  const broker = metadata.brokers.get(coordinatorId)
  if (broker === undefined)
    throw new NetworkError(`group coordinator ${coordinatorId} is not in the metadata`)
  return new Promise((resolve, reject) => {
    client[kGetConnection](broker, (error, connection) => {
      if (error !== null || connection === undefined)
        reject(error ?? new NetworkError(`no connection to the group coordinator ${coordinatorId}`))
      else resolve(connection)
    })
  })
}

/**
 * The group's committed offsets (-1 when none), waiting out offsets committed by a transaction
 * whose outcome is not written yet (requireStable, KIP-447). The client's own lookup does not
 * wait: a new owner could then start before the last transaction of the previous one and redo it.
 * Falls back to that lookup when the broker is too old or anything else goes wrong.
 */
export async function stableCommittedOffsets(
  client: Consumer,
  topics: { topic: string; partitions: number[] }[],
  timeoutMs: number,
): Promise<Map<string, bigint[]>> {
  const deadline = Date.now() + timeoutMs
  try {
    const api = await offsetFetchApi(client)
    if (api.version < GROUPS_VERSION) return await client.listCommittedOffsets({ topics })
    const request: OffsetFetchGroup = {
      groupId: client.groupId,
      memberId: null,
      memberEpoch: -1,
      topics: topics.map(({ topic, partitions }) => ({ name: topic, partitionIndexes: partitions })),
    }
    for (;;) {
      try {
        const connection = await coordinatorConnection(
          client,
          topics.map(({ topic }) => topic),
        )
        const response = await api.async(connection, [request], true)
        const committed = new Map<string, bigint[]>()
        for (const { name, partitions } of response.groups[0]?.topics ?? []) {
          const offsets: bigint[] = []
          for (const { partitionIndex, committedOffset } of partitions)
            offsets[partitionIndex] = committedOffset
          committed.set(name, offsets)
        }
        return committed
      } catch (error) {
        if (!isUnstable(error) || Date.now() > deadline) throw error
        await sleep(RETRY_MS)
      }
    }
  } catch {
    return client.listCommittedOffsets({ topics })
  }
}
