import { randomBytes } from 'node:crypto'

/**
 * A cluster id in Kafka's Uuid format (16 random bytes, base64url, no padding), made here to save
 * the second of JVM start-up that `StorageTool random-uuid` costs. Like Kafka, never starts with '-'.
 */
export function randomKafkaClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url')
    if (!id.startsWith('-')) return id
  }
}
