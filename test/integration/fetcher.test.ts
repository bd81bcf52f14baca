import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, test } from 'node:test'
import { decodeMessage } from '../../src/core/contracts/decode-message.ts'
import { quoteSchema, type Quote } from '../../src/core/contracts/quote.ts'
import { createKafkaBus, type KafkaBus } from '../../src/platform/bus/kafka-bus.ts'
import { BUNDLED_CSV, loadCsv } from '../../src/platform/market-data/load-csv.ts'
import { serveFixtures, type FixtureServer } from '../fixtures/providers/serve-fixtures.ts'
import { kafkaBootstrap, kafkaBootstrapBrokers, uniqueTopicPrefix } from '../helpers/kafka.ts'

const CLI = new URL('../../src/cli.ts', import.meta.url).pathname
const TEN_YEARS_SEC = String(10 * 365 * 86_400)

interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `quotecast` as a child process, the way a CronJob would. */
function quotecast(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--log-level', 'warn', '--log-format', 'json'], {
      env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrap(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

let bus: KafkaBus
let server: FixtureServer

before(async () => {
  bus = createKafkaBus({ bootstrapServers: kafkaBootstrapBrokers(), clientId: 'fetcher-test' })
  server = await serveFixtures({
    '/v8/finance/chart/AAPL?range=1d&interval=1d&includePrePost=false': {
      status: 503,
      file: 'yahoo/edge-502.html',
    },
    '/v8/finance/chart/%5EGSPC?range=1d&interval=1d&includePrePost=false': {
      status: 200,
      file: 'yahoo/chart-gspc-quote.json',
    },
    '/v8/finance/chart/MSFT?range=1d&interval=1d&includePrePost=false': {
      status: 429,
      file: 'yahoo/too-many-requests.txt',
      headers: { 'retry-after': '3600' },
    },
    '/v8/finance/chart/NOPE?range=1d&interval=1d&includePrePost=false': {
      status: 404,
      file: 'yahoo/chart-not-found.json',
    },
    '/q/l/?s=aapl.us&f=sd2t2ohlcv&h&e=csv': { status: 200, file: 'stooq/quotes.csv' },
    '/q/l/?s=msft.us+nope.us&f=sd2t2ohlcv&h&e=csv': { status: 200, file: 'stooq/daily-hits-limit.txt' },
    '/q/d/l/?s=aapl.us&i=d&d1=20240102&d2=20240109': { status: 200, file: 'stooq/aapl-us-daily.csv' },
  })
})

after(async () => {
  await bus.close()
  await server.close()
})

/** Every Quote on the prefix's quotes topic, checked to sit in its key's partition, keyed by its symbol. */
async function readQuotes(prefix: string): Promise<{ key: string; quote: Quote }[]> {
  const topic = `${prefix}quotes`
  const records = [...(await bus.readToEnd(topic))].sort(
    (a, b) => a.partition - b.partition || Number(a.offset - b.offset),
  )
  const quotes = []
  for (const record of records) {
    const decoded = decodeMessage(quoteSchema, record.value)
    assert.ok(decoded.ok, `${topic}@${record.offset}: ${decoded.ok ? '' : decoded.error}`)
    assert.equal(record.key, decoded.value.symbol, 'keyed by symbol')
    assert.equal(
      record.partition,
      await bus.partitionOf(topic, decoded.value.symbol),
      'in the partition of its key',
    )
    quotes.push({ key: record.key, quote: decoded.value })
  }
  return quotes
}

const idsBySymbol = (quotes: readonly { quote: Quote }[]): Record<string, string[]> => {
  const ids: Record<string, string[]> = {}
  for (const { quote } of quotes) (ids[quote.symbol] ??= []).push(quote.id)
  return ids
}

test('fetch with the replay provider publishes one acknowledged quote per symbol and exits 0', async () => {
  const prefix = uniqueTopicPrefix('fetch-replay')
  const run = await quotecast([
    'fetch',
    '--provider',
    'replay',
    '--symbols',
    '^GSPC,AAPL',
    '--replay-from',
    '2015-06-01',
    '--topic-prefix',
    prefix,
  ])
  assert.equal(run.code, 0, run.stdout + run.stderr)
  assert.match(
    run.stdout,
    /^\^GSPC\s+published\s+2111\.72998 USD as of 2015-06-01T00:00:00\.000Z from replay$/m,
  )
  assert.match(run.stdout, /^all 2 symbols published$/m)
  const quotes = await readQuotes(prefix)
  const june1 = Date.UTC(2015, 5, 1)
  assert.deepEqual(idsBySymbol(quotes), {
    '^GSPC': [`replay:^GSPC:1d:${june1}`],
    AAPL: [`replay:AAPL:1d:${june1}`],
  })
  assert.ok(
    quotes.every(({ quote }) => quote.kind === 'bar' && quote.interval === '1d' && quote.asOf === june1),
  )
})

test('backfill with the replay provider publishes every bar in event-time order, and a second run carries the same identities', async () => {
  const prefix = uniqueTopicPrefix('backfill-replay')
  const args = [
    'backfill',
    '--provider',
    'replay',
    '--symbols',
    '^GSPC,AAPL',
    '--from',
    '2018-01-02',
    '--to',
    '2018-01-12',
    '--topic-prefix',
    prefix,
  ]
  const inRange = (start: number): boolean => start >= Date.UTC(2018, 0, 2) && start <= Date.UTC(2018, 0, 12)
  const expected = {
    '^GSPC': (await loadCsv(BUNDLED_CSV.sp500.url, { symbol: '^GSPC' })).filter((bar) => inRange(bar.start)),
    AAPL: (await loadCsv(BUNDLED_CSV.aapl.url, { symbol: 'AAPL' })).filter((bar) => inRange(bar.start)),
  }
  const expectedIds = Object.fromEntries(
    Object.entries(expected).map(([symbol, bars]) => [
      symbol,
      bars.map((bar) => `replay:${symbol}:1d:${bar.start}`),
    ]),
  )
  assert.equal(expectedIds.AAPL?.length, 9)

  const first = await quotecast(args)
  assert.equal(first.code, 0, first.stdout + first.stderr)
  assert.match(first.stdout, /^published 18 bars for 2 of 2 symbols$/m)
  const once = await readQuotes(prefix)
  assert.deepEqual(idsBySymbol(once), expectedIds)
  assert.deepEqual(
    once
      .filter(({ key }) => key === 'AAPL')
      .map(({ quote }) => [quote.open, quote.high, quote.low, quote.price, quote.volume]),
    expected.AAPL.map((bar) => [bar.open, bar.high, bar.low, bar.close, bar.volume]),
  )

  const second = await quotecast(args)
  assert.equal(second.code, 0, second.stdout + second.stderr)
  const twice = idsBySymbol(await readQuotes(prefix))
  for (const [symbol, ids] of Object.entries(expectedIds))
    assert.deepEqual(twice[symbol], [...ids, ...ids], `${symbol}: same identities again`)
})

test('fetch through recorded network responses retries, fails over from yahoo to stooq, and publishes both symbols', async () => {
  const prefix = uniqueTopicPrefix('fetch-network')
  const before = server.requests.length
  const run = await quotecast([
    'fetch',
    '--provider',
    'yahoo,stooq',
    '--symbols',
    'AAPL,^GSPC',
    '--yahoo-base-url',
    server.url,
    '--stooq-base-url',
    server.url,
    '--retries',
    '1',
    '--max-quote-age-sec',
    TEN_YEARS_SEC,
    '--topic-prefix',
    prefix,
  ])
  assert.equal(run.code, 0, run.stdout + run.stderr)
  assert.match(
    run.stdout,
    /^AAPL\s+published\s+181\.18 USD as of 2024-01-05T21:00:09\.000Z from stooq \(after yahoo: transient: HTTP 503: HTML page "Yahoo"\)$/m,
  )
  assert.deepEqual(server.requests.slice(before), [
    'GET /v8/finance/chart/AAPL?range=1d&interval=1d&includePrePost=false',
    'GET /v8/finance/chart/AAPL?range=1d&interval=1d&includePrePost=false',
    'GET /v8/finance/chart/%5EGSPC?range=1d&interval=1d&includePrePost=false',
    'GET /q/l/?s=aapl.us&f=sd2t2ohlcv&h&e=csv',
  ])
  const quotes = await readQuotes(prefix)
  assert.deepEqual(idsBySymbol(quotes), {
    '^GSPC': ['yahoo:^GSPC:snapshot:1704488399000'],
    AAPL: ['stooq:AAPL:snapshot:1704488409000'],
  })
})

test('backfill through recorded stooq CSV publishes the bars in event-time order', async () => {
  const prefix = uniqueTopicPrefix('backfill-network')
  const run = await quotecast([
    'backfill',
    '--provider',
    'stooq',
    '--symbols',
    'AAPL',
    '--from',
    '2024-01-02',
    '--to',
    '2024-01-09',
    '--stooq-base-url',
    server.url,
    '--topic-prefix',
    prefix,
  ])
  assert.equal(run.code, 0, run.stdout + run.stderr)
  assert.match(run.stdout, /^AAPL\s+6 bars from stooq$/m)
  const quotes = await readQuotes(prefix)
  const days = [2, 3, 4, 5, 8, 9].map((day) => Date.UTC(2024, 0, day))
  assert.deepEqual(idsBySymbol(quotes), { AAPL: days.map((day) => `stooq:AAPL:1d:${day}`) })
  assert.deepEqual(
    quotes.map(({ quote }) => quote.price),
    [185.64, 184.25, 181.91, 181.18, 185.56, 185.14],
  )
})

test('a run where every symbol fails exits 1, publishes nothing and says why for each symbol', async () => {
  const prefix = uniqueTopicPrefix('fetch-all-fail')
  const run = await quotecast([
    'fetch',
    '--provider',
    'yahoo,stooq',
    '--symbols',
    'MSFT,NOPE,JFC',
    '--yahoo-base-url',
    server.url,
    '--stooq-base-url',
    server.url,
    '--topic-prefix',
    prefix,
  ])
  assert.equal(run.code, 1, run.stdout + run.stderr)
  assert.equal(
    run.stdout,
    [
      'MSFT    FAILED     yahoo: rate-limited: HTTP 429: "Too Many Requests" (asked to wait 3600 s: too long); stooq: quota: Stooq: Exceeded the daily hits limit',
      'NOPE    FAILED     yahoo: not-found: Not Found: No data found, symbol may be delisted; stooq: quota: Stooq: Exceeded the daily hits limit',
      'JFC     FAILED     yahoo: unsupported: yahoo does not cover JFC; stooq: unsupported: stooq does not cover JFC',
      '3 of 3 symbols failed',
      '',
    ].join('\n'),
  )
  assert.deepEqual(await readQuotes(prefix), [])
})

test('fetch and backfill refuse to start without a broker, naming the setting (exit 2)', async () => {
  for (const command of ['fetch', 'backfill']) {
    const run = await quotecast(command === 'fetch' ? [command] : [command, '--from', '2020-01-01'], {
      KAFKA_BOOTSTRAP_SERVERS: '',
    })
    assert.equal(run.code, 2, run.stderr)
    assert.match(
      run.stderr,
      new RegExp(
        `^quotecast ${command}: no broker configured: set --kafka HOST:PORT or KAFKA_BOOTSTRAP_SERVERS`,
      ),
    )
  }
})
