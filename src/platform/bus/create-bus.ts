import { readFileSync } from 'node:fs'
import type { Config } from '../config/load-config.ts'
import type { Bus } from './bus.ts'
import { createKafkaBus } from './kafka-bus.ts'
import { MemoryBus } from './memory-bus.ts'

export type BusSettings =
  | 'kafka'
  | 'kafkaSecurity'
  | 'kafkaSaslMechanism'
  | 'kafkaUsername'
  | 'kafkaPassword'
  | 'kafkaCaFile'
  | 'instanceId'

export const BUS_SETTINGS: readonly BusSettings[] = [
  'kafka',
  'kafkaSecurity',
  'kafkaSaslMechanism',
  'kafkaUsername',
  'kafkaPassword',
  'kafkaCaFile',
  'instanceId',
]

/** A KafkaBus when bootstrap servers are configured, otherwise the in-process MemoryBus. */
export function createBus(config: Config<BusSettings>, clientId: string): Bus {
  if (config.kafka === undefined) return new MemoryBus()
  const isTls = config.kafkaSecurity === 'SSL' || config.kafkaSecurity === 'SASL_SSL'
  const isSasl = config.kafkaSecurity === 'SASL_PLAINTEXT' || config.kafkaSecurity === 'SASL_SSL'
  return createKafkaBus({
    bootstrapServers: config.kafka,
    clientId,
    ...(config.instanceId === undefined ? {} : { instanceId: config.instanceId }),
    ...(isTls
      ? { tls: config.kafkaCaFile === undefined ? {} : { ca: readFileSync(config.kafkaCaFile, 'utf8') } }
      : {}),
    ...(isSasl
      ? {
          sasl: {
            mechanism: config.kafkaSaslMechanism,
            username: config.kafkaUsername ?? '',
            password: config.kafkaPassword ?? '',
          },
        }
      : {}),
  })
}
