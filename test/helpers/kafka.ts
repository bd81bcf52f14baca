import { randomBytes } from 'node:crypto'

/**
 * The broker the test run uses. `scripts/test.ts` starts one and sets the variable; a missing
 * variable is a failure, never a skip, so a broken harness cannot pass silently.
 */
export function kafkaBootstrap(): string {
  const bootstrap = process.env['KAFKA_BOOTSTRAP_SERVERS']
  if (bootstrap === undefined || bootstrap.trim() === '') {
    throw new Error(
      'KAFKA_BOOTSTRAP_SERVERS is not set: run integration tests through `node scripts/test.ts` ' +
        '(it starts a Kafka broker), or start one with `npm run kafka` and export the address it prints',
    )
  }
  return bootstrap.trim()
}

/** `kafkaBootstrap()` as the broker list @platformatic/kafka clients take. */
export function kafkaBootstrapBrokers(): string[] {
  return kafkaBootstrap()
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '')
}

/** The Kafka version of the broker the harness started, or undefined for a broker from outside. */
export function harnessKafkaVersion(): string | undefined {
  const version = process.env['QUOTECAST_KAFKA_VERSION']
  return version === undefined || version === '' ? undefined : version
}

/**
 * A fresh, legal topic-name prefix per test (`[a-zA-Z0-9._-]`), so tests sharing one broker never
 * see each other's topics, groups or leftovers from earlier runs.
 */
export function uniqueTopicPrefix(name: string): string {
  const slug = name
    .replaceAll(/[^a-zA-Z0-9._-]+/g, '-')
    .replaceAll(/^-+|-+$/g, '')
    .slice(0, 60)
  return `${slug || 'test'}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
}
