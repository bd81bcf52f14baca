import type { Base, ClusterMetadata } from '@platformatic/kafka'
import { QuotecastError } from '../../errors.ts'

const UNKNOWN_TOPIC = /^Unknown topic (.+)\.$/

/**
 * Metadata of topics that must exist. The client retries an unknown topic as if it might appear
 * (half a minute with the bus's retries); here it fails at once with its own code, and the
 * consuming loops retry that with their backoff, saying which topic is missing, until it is created.
 */
export async function topicMetadata(client: Base, topics: readonly string[]): Promise<ClusterMetadata> {
  try {
    return await client.metadata({ topics: [...topics], retries: 0 })
  } catch (error) {
    const unknown = error instanceof Error ? UNKNOWN_TOPIC.exec(error.message) : null
    if (unknown !== null) {
      throw new QuotecastError(
        'BUS_UNKNOWN_TOPIC',
        `unknown topic ${unknown[1] ?? '?'}: create it first (quotecast topics)`,
        {
          cause: error,
        },
      )
    }
    return client.metadata({ topics: [...topics] })
  }
}
