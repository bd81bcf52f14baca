import {
  FetchIsolationLevels,
  kGetApi,
  kGetConnection,
  kPerformWithRetry,
  NetworkError,
  UnsupportedApiError,
  type Broker,
  type Connection,
  type Consumer,
} from '@platformatic/kafka'

type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>
type FetchRequestTopic = Parameters<Consumer['fetch']>[0]['topics'][number]

export interface ReadCommittedFetch {
  /** Topics by id, as Fetch v13+ names them (older versions are given the name instead). */
  readonly topics: readonly FetchRequestTopic[]
  readonly namesById: ReadonlyMap<string, string>
  readonly maxWaitMs: number
  readonly maxBytes: number
}

/** The Fetch versions whose request takes these arguments in this order (v12 by topic name). */
const OLDEST_VERSION = 12
/** A sessionless fetch (KIP-227): every request names all its partitions, the broker keeps nothing. */
const NO_SESSION_ID = 0
const NO_SESSION_EPOCH = -1

type FetchApi = ((
  connection: Connection,
  maxWaitMs: number,
  minBytes: number,
  maxBytes: number,
  isolationLevel: number,
  sessionId: number,
  sessionEpoch: number,
  topics: readonly FetchRequestTopic[],
  forgotten: readonly unknown[],
  rackId: string,
  callback: (error: Error | null, response: FetchResponse | undefined) => void,
) => void) & { readonly version: number }

const settle =
  <T>(resolve: (value: T) => void, reject: (error: unknown) => void) =>
  (error: Error | null, value: T | undefined): void => {
    if (error) reject(error)
    else if (value === undefined) reject(new Error('a fetch answered nothing'))
    else resolve(value)
  }

/**
 * One read_committed Fetch to one broker, on the client's connection, at the version it negotiated
 * and with its retries, but without the client's own aborted-transaction filter, which
 * `decodePartition` replaces. That filter (@platformatic/kafka 2.12.1, `#filterUncommittedMessages`)
 * keeps one range per producer id, from its aborted transaction's first offset to the producer's
 * last abort marker in the response. A restarted instance keeps its transactional id and so its
 * producer id: after an abort, a committed transaction, then an abort marker of a transaction that
 * wrote nothing to the partition (killed after adding it), the range covers the committed one and
 * its records vanish — seen as a restore missing a whole incarnation's state, and as bars missing
 * from a read of the topic, in the kill-chaos test.
 */
export function fetchReadCommitted(
  client: Consumer,
  broker: Broker,
  request: ReadCommittedFetch,
): Promise<FetchResponse> {
  return new Promise((resolve, reject) => {
    void client[kPerformWithRetry]<FetchResponse>(
      'fetch-read-committed',
      (retry) => {
        client[kGetApi]<unknown[], FetchResponse>('Fetch', (apiError, found) => {
          if (apiError) {
            retry(apiError)
            return
          }
          const api = found as unknown as FetchApi
          if (api.version < OLDEST_VERSION) {
            retry(
              new UnsupportedApiError(
                `the broker's Fetch API v${api.version} is older than v${OLDEST_VERSION} (Kafka 2.7)`,
              ),
            )
            return
          }
          const isByName = api.version <= OLDEST_VERSION
          const topics = isByName
            ? request.topics.map((topic) => ({
                ...topic,
                topicId: request.namesById.get(topic.topicId) ?? topic.topicId,
              }))
            : request.topics
          client[kGetConnection](broker, (connectionError, connection) => {
            if (connectionError || connection === undefined) {
              retry(
                connectionError ?? new NetworkError(`no connection to broker ${broker.host}:${broker.port}`),
              )
              return
            }
            api(
              connection,
              request.maxWaitMs,
              1,
              request.maxBytes,
              FetchIsolationLevels.READ_COMMITTED,
              NO_SESSION_ID,
              NO_SESSION_EPOCH,
              topics,
              [],
              '',
              (error, response) => {
                if (isByName && response !== undefined) {
                  const idsByName = new Map([...request.namesById].map(([id, name]) => [name, id]))
                  for (const topic of response.responses)
                    topic.topicId = idsByName.get(topic.topicId) ?? topic.topicId
                }
                retry(error, response)
              },
            )
          })
        })
      },
      settle(resolve, reject),
      0,
    )
  })
}
