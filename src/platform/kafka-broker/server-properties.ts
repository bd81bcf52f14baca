export type PropertyValue = string | number | boolean

export interface ExtraListener {
  /** Listener name as Kafka spells it, e.g. `SASL_PLAINTEXT` or `CLIENT_SCRAM`. */
  name: string
  securityProtocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL'
  port: number
}

export interface ServerPropertiesInput {
  brokerPort: number
  controllerPort: number
  logDir: string
  extraListeners?: readonly ExtraListener[]
  /** Added last, so they override the defaults below. */
  extraProperties?: Readonly<Record<string, PropertyValue>>
}

const HOST = '127.0.0.1'

/** A single-node KRaft broker tuned for tests on a small machine. */
export function serverProperties(input: ServerPropertiesInput): Record<string, PropertyValue> {
  const extraListeners = input.extraListeners ?? []
  const clientListeners = [
    `PLAINTEXT://${HOST}:${input.brokerPort}`,
    ...extraListeners.map((listener) => `${listener.name}://${HOST}:${listener.port}`),
  ]
  const protocolMap = [
    'CONTROLLER:PLAINTEXT',
    'PLAINTEXT:PLAINTEXT',
    ...extraListeners.map((listener) => `${listener.name}:${listener.securityProtocol}`),
  ]
  return {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${HOST}:${input.controllerPort}`,
    listeners: [...clientListeners, `CONTROLLER://${HOST}:${input.controllerPort}`].join(','),
    'advertised.listeners': clientListeners.join(','),
    'listener.security.protocol.map': protocolMap.join(','),
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'log.dirs': input.logDir,

    'num.network.threads': 2,
    'num.io.threads': 2,
    'num.recovery.threads.per.data.dir': 1,
    'background.threads': 4,

    'auto.create.topics.enable': false,
    'num.partitions': 1,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 4,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 4,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'share.coordinator.state.topic.num.partitions': 1,

    'group.coordinator.rebalance.protocols': 'classic,consumer',
    'group.initial.rebalance.delay.ms': 0,
    // Tests join and leave groups often; the consumer protocol's 5 s / 45 s defaults make that slow.
    'group.consumer.min.heartbeat.interval.ms': 500,
    'group.consumer.heartbeat.interval.ms': 1000,
    'group.consumer.min.session.timeout.ms': 6000,
    'group.consumer.session.timeout.ms': 10000,

    'transaction.abort.timed.out.transaction.cleanup.interval.ms': 5000,

    // Compaction tests need the cleaner to look often; the 128 MiB default buffer would eat a small heap.
    'log.cleaner.enable': true,
    'log.cleaner.threads': 1,
    'log.cleaner.backoff.ms': 1000,
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
    'log.retention.check.interval.ms': 10000,

    ...input.extraProperties,
  }
}

function escapeValue(value: PropertyValue): string {
  return String(value).replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('\r', '\\r')
}

/** Renders `key=value` lines; values never carry inline comments, since `#` there is part of the value. */
export function renderProperties(properties: Readonly<Record<string, PropertyValue>>): string {
  return (
    Object.entries(properties)
      .map(([key, value]) => `${key}=${escapeValue(value)}`)
      .join('\n') + '\n'
  )
}
