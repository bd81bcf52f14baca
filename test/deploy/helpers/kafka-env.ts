// The apache/kafka image's rule for its environment (docker/resources/utility/utility.go and
// common-scripts/kafka-propertiesSpec.json in apache/kafka): every variable that starts with
// KAFKA, except an exact-name exclude list, becomes a server property, its name without the
// `KAFKA_` prefix, `_` → `.`, `__` → `_`, `___` → `-`, lower-cased. Used to start the test broker
// from the very env a manifest gives the image.

/** The image's exclude list, exact names, as its spec spells them (`KAFKA_HEAP_OPT`, sic). */
export const KAFKA_IMAGE_EXCLUDES: ReadonlySet<string> = new Set([
  'KAFKA_VERSION',
  'KAFKA_HEAP_OPT',
  'KAFKA_LOG4J_OPTS',
  'KAFKA_OPTS',
  'KAFKA_JMX_OPTS',
  'KAFKA_JVM_PERFORMANCE_OPTS',
  'KAFKA_GC_LOG_OPTS',
  'KAFKA_LOG4J_ROOT_LOGLEVEL',
  'KAFKA_LOG4J_LOGGERS',
  'KAFKA_TOOLS_LOG4J_LOGLEVEL',
])

/** utility.go's ConvertKey: single `_` (between two other characters) → `.`, `___` → `-`, `__` → `_`. */
export function convertKey(key: string): string {
  const singles = key.replace(/[^_]_[^_]/g, (match) => match.replaceAll('_', '.'))
  return singles.replaceAll('___', '-').replaceAll('__', '_').toLowerCase()
}

/**
 * The server properties the image writes for an environment. Like the image (which reads the
 * environment as `NAME=VALUE` split at every `=`), a value that holds `=` is dropped.
 */
export function kafkaEnvToProperties(env: Readonly<Record<string, string>>): Record<string, string> {
  const properties: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('KAFKA') || KAFKA_IMAGE_EXCLUDES.has(name) || value.includes('=')) continue
    properties[convertKey(name.slice('KAFKA'.length + 1))] = value
  }
  return properties
}

/** The JVM heap the image's start script gives the broker (KAFKA_HEAP_OPTS), in MiB, if set. */
export function heapMbOf(env: Readonly<Record<string, string>>): number | undefined {
  const match = /-Xmx(\d+)([mMgG])/.exec(env['KAFKA_HEAP_OPTS'] ?? '')
  if (match === null) return undefined
  const amount = Number(match[1])
  return /[gG]/.test(match[2] ?? '') ? amount * 1024 : amount
}
