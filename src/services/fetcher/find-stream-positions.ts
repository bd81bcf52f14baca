import type { Bus } from '../../platform/bus/bus.ts'
import type { Logger } from '../../platform/logger/create-logger.ts'
import { readStreamPositions, type StreamPositions } from './read-stream-positions.ts'

/**
 * Where the quotes topic is for the symbols, logged with what finding it cost; every source
 * continues from there. Undefined (and exit code 1) when the topic cannot be read: publishing
 * without knowing would repeat what the stream has.
 */
export async function findStreamPositions(
  bus: Bus,
  topicPrefix: string,
  symbols: readonly string[],
  logger: Logger,
): Promise<StreamPositions | undefined> {
  const startedAt = performance.now()
  try {
    const positions = await readStreamPositions(bus, topicPrefix, symbols)
    logger.info(
      {
        positions: Object.fromEntries(
          [...positions.last].map(([symbol, quote]) => [symbol, new Date(quote.asOf).toISOString()]),
        ),
        partitions: positions.partitionsRead,
        records: positions.recordsRead,
        ms: Math.round(performance.now() - startedAt),
      },
      'continuing where the quotes topic is',
    )
    return positions
  } catch (error) {
    logger.error({ err: error }, 'could not read the quotes topic to find where the stream is')
    process.exitCode = 1
    return undefined
  }
}
