import { parseArgs } from 'node:util'
import { isPortOpen } from './free-port.ts'
import { startKafkaBroker } from './start-broker.ts'

const DEFAULT_PORT = 9092

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})

if (values.help === true) {
  console.log(`Usage: npm run kafka -- [--port N] [--data-dir DIR]
Runs a single-node Apache Kafka broker in the foreground until Ctrl-C.
  --port N        PLAINTEXT port (default ${DEFAULT_PORT} if free, else a free port)
  --data-dir DIR  keep topics and offsets in DIR across runs (default: a temp dir, removed on exit)`)
  process.exit(0)
}

async function choosePort(): Promise<number | undefined> {
  if (values.port !== undefined) {
    const port = Number(values.port)
    if (!Number.isInteger(port) || port <= 0 || port > 65535)
      throw new Error(`--port must be a TCP port, got ${values.port}`)
    return port
  }
  return (await isPortOpen(DEFAULT_PORT)) ? undefined : DEFAULT_PORT
}

const brokerPort = await choosePort()
const broker = await startKafkaBroker({
  ...(brokerPort === undefined ? {} : { brokerPort }),
  ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
})
console.log(`[kafka] Apache Kafka ${broker.version} broker at ${broker.bootstrap}`)
console.log(`[kafka]   KAFKA_BOOTSTRAP_SERVERS=${broker.bootstrap}`)
console.log(`[kafka]   log: ${broker.logPath}`)
console.log('[kafka] press Ctrl-C to stop')

let stopping = false
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return
  stopping = true
  console.log(`[kafka] ${signal}: stopping the broker`)
  broker.stop().then(
    () => {
      console.log('[kafka] stopped Kafka broker')
      process.exit(0)
    },
    (error: unknown) => {
      console.error('[kafka] stopping failed:', error)
      process.exit(1)
    },
  )
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
