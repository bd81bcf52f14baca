import { Admin } from '@platformatic/kafka'
import { setTimeout as sleep } from 'node:timers/promises'
import { isPortOpen } from './free-port.ts'

const POLL_INTERVAL_MS = 250

async function answersMetadata(bootstrap: string): Promise<boolean> {
  const admin = new Admin({
    clientId: 'quotecast-kafka-readiness',
    bootstrapBrokers: [bootstrap],
    retries: 0,
    connectTimeout: 2000,
    timeout: 5000,
  })
  try {
    const metadata = await admin.metadata({ topics: [] })
    return metadata.brokers.size > 0
  } catch {
    return false
  } finally {
    await admin.close().catch(() => undefined)
  }
}

function rejectOnAbort(abort: AbortSignal): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    abort.addEventListener('abort', () => {
      reject(abort.reason instanceof Error ? abort.reason : new Error(String(abort.reason)))
    })
  })
}

/**
 * Resolves once the broker answers a Metadata request, which a KRaft broker does only after it has
 * caught up with the metadata log and been unfenced. Rejects at the deadline or as soon as `abort` fires.
 */
export async function waitForBroker(bootstrap: string, timeoutMs: number, abort: AbortSignal): Promise<void> {
  const port = Number(bootstrap.slice(bootstrap.lastIndexOf(':') + 1))
  const aborted = rejectOnAbort(abort)
  aborted.catch(() => undefined)
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    abort.throwIfAborted()
    const ready = await Promise.race([
      (async () => (await isPortOpen(port)) && (await answersMetadata(bootstrap)))(),
      aborted,
    ])
    if (ready) return
    await Promise.race([sleep(POLL_INTERVAL_MS), aborted])
  }
  throw new Error(`Kafka broker at ${bootstrap} did not answer within ${Math.round(timeoutMs / 1000)} s`)
}
