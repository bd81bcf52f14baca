import type { Command } from 'commander'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { BUS_SETTINGS, createBus } from '../../platform/bus/create-bus.ts'
import { addSettingOptions, resolveSettings } from '../../platform/config/setting-options.ts'
import { QuotecastError } from '../../platform/errors.ts'
import { createLogger } from '../../platform/logger/create-logger.ts'

const NAMES = [...BUS_SETTINGS, 'partitions', 'topicPrefix', 'logLevel', 'logFormat'] as const

export function registerTopicsCommand(program: Command): void {
  const command = program
    .command('topics')
    .description('create every topic with its partitions and configs (idempotent; models is compacted)')
    .action(async () => {
      const config = await resolveSettings(command, NAMES)
      const logger = createLogger({ name: 'topics', level: config.logLevel, format: config.logFormat })
      if (config.kafka === undefined) {
        logger.error('no broker configured: set --kafka HOST:PORT or KAFKA_BOOTSTRAP_SERVERS')
        process.exit(2)
      }
      const bus = createBus(config, 'quotecast-topics')
      try {
        const specs = topicSpecs(config.partitions, config.topicPrefix)
        await bus.ensureTopics(specs)
        for (const spec of specs)
          logger.info({ topic: spec.name, partitions: spec.partitions, configs: spec.configs }, 'topic ready')
      } catch (error) {
        if (!QuotecastError.is(error)) throw error
        logger.error({ code: error.code }, `creating the topics failed: ${error.message}`)
        process.exitCode = 1
      } finally {
        await bus.close().catch((error: unknown) => {
          logger.warn({ err: error }, 'closing the Kafka connection failed')
        })
      }
    })
  addSettingOptions(command, NAMES)
}
