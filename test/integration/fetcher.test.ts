import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, test } from 'node:test'
import { decodeMessage } from '../../src/core/contracts/decode-message.ts'
import { quoteSchema, type Quote } from '../../src/core/contracts/quote.ts'
import { createKafkaBus, type KafkaBus } from '../../src/platform/bus/kafka-bus.ts'
import { BUNDLED_CSV, loadCsv } from '../../src/platform/market-data/load-csv.ts'
import { EXCHANGE_CALENDARS } from '../../src/core/schedule/exchange-calendars.ts'
import { tradingSessions } from '../../src/core/schedule/trading-sessions.ts'
import { readFixture } from '../fixtures/providers/read-fixture.ts'
import { serveFixtures, type FixtureServer } from '../fixtures/providers/serve-fixtures.ts'
import { yahooIntradayChart } from '../fixtures/providers/yahoo-chart.ts'
import { kafkaBootstrap, kafkaBootstrapBrokers, uniqueTopicPrefix } from '../helpers/kafka.ts'

const CLI = new URL('../../src/cli.ts', import.meta.url).pathname
const TEN_YEARS_SEC = String(10 * 365 * 86_400)

interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

interface CliChild {
  readonly child: ChildProcess
  readonly done: Promise<CliRun>
}

/** Starts `quotecast` as a child process, the way a CronJob (or a Deployment) would. */
function startQuotecast(args: readonly string[], env: NodeJS.ProcessEnv = {}, logLevel = 'warn'): CliChild {
  const child = spawn(process.execPath, [CLI, ...args, '--log-level', logLevel, '--log-format', 'json'], {
    env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrap(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const done = new Promise<CliRun>((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
  return { child, done }
}

/** Runs `quotecast` to its end. */
function quotecast(args: readonly string[], env: NodeJS.ProcessEnv = {}, logLevel = 'warn'): Promise<CliRun> {
  return startQuotecast(args, env, logLevel).done
}

/** Polls until `isDone` holds (a child publishing in the background), failing after `timeoutMs`. */
async function waitUntil(what: string, isDone: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await isDone().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await sleep(100)
  }
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

test('backfill with the replay provider publishes every bar in event-time order, and a second run publishes nothing again and a fetch continues after it', async () => {
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
  assert.equal(
    second.stdout,
    [
      '^GSPC   up to date: the quotes topic is at 2018-01-12 (no request)',
      'AAPL    up to date: the quotes topic is at 2018-01-12 (no request)',
      'published 0 bars for 0 of 2 symbols',
      '',
    ].join('\n'),
  )
  assert.deepEqual(idsBySymbol(await readQuotes(prefix)), expectedIds, 'the re-run published nothing again')

  const fetch = await quotecast([
    'fetch',
    '--provider',
    'replay',
    '--symbols',
    '^GSPC,AAPL',
    '--topic-prefix',
    prefix,
  ])
  assert.equal(fetch.code, 0, fetch.stdout + fetch.stderr)
  const next = `replay:AAPL:1d:${Date.UTC(2018, 0, 16)}`
  assert.match(fetch.stdout, /^AAPL\s+published\s+\S+ USD as of 2018-01-16T00:00:00\.000Z from replay$/m)
  assert.deepEqual(idsBySymbol(await readQuotes(prefix)).AAPL, [...expectedIds.AAPL, next])
})

test('a one-shot replay fetch (the CronJob) run twice publishes bar 1 then bar 2, and says when the series is exhausted', async () => {
  const prefix = uniqueTopicPrefix('fetch-replay-twice')
  const args = [
    'fetch',
    '--provider',
    'replay',
    '--symbols',
    '^GSPC,AAPL',
    '--replay-from',
    '2015-06-01',
    '--topic-prefix',
    prefix,
  ]
  const first = await quotecast(args)
  assert.equal(first.code, 0, first.stdout + first.stderr)
  const second = await quotecast(args)
  assert.equal(second.code, 0, second.stdout + second.stderr)
  assert.match(second.stdout, /^AAPL\s+published\s+\S+ USD as of 2015-06-02T00:00:00\.000Z from replay$/m)
  const [june1, june2] = [Date.UTC(2015, 5, 1), Date.UTC(2015, 5, 2)]
  assert.deepEqual(idsBySymbol(await readQuotes(prefix)), {
    '^GSPC': [`replay:^GSPC:1d:${june1}`, `replay:^GSPC:1d:${june2}`],
    AAPL: [`replay:AAPL:1d:${june1}`, `replay:AAPL:1d:${june2}`],
  })

  const end = uniqueTopicPrefix('fetch-replay-exhausted')
  const backfill = await quotecast([
    'backfill',
    '--provider',
    'replay',
    '--symbols',
    'AAPL',
    '--from',
    '2018-05-09',
    '--to',
    '2018-05-31',
    '--topic-prefix',
    end,
  ])
  assert.equal(backfill.code, 0, backfill.stdout + backfill.stderr)
  const exhausted = await quotecast([
    'fetch',
    '--provider',
    'replay',
    '--symbols',
    'AAPL',
    '--topic-prefix',
    end,
  ])
  assert.equal(exhausted.code, 0, exhausted.stdout + exhausted.stderr)
  assert.equal(
    exhausted.stdout,
    [
      'AAPL    finished   replay: exhausted: replay: the AAPL series ended at 2018-05-11 (the stream is at 2018-05-11): nothing left to publish',
      "1 of 1 symbols finished: the replay has no bar after the stream's last, so nothing was published for them",
      '',
    ].join('\n'),
  )
  assert.equal((await readQuotes(end)).length, 3)
})

test('a restarted fetch --watch with the replay provider continues after the last bar in the topic', async () => {
  const prefix = uniqueTopicPrefix('watch-replay-restart')
  const args = [
    'fetch',
    '--watch',
    '--provider',
    'replay',
    '--symbols',
    'AAPL',
    '--replay-from',
    '2015-06-01',
    '--replay-speed',
    '10',
    '--health-port',
    '0',
    '--topic-prefix',
    prefix,
  ]
  const count = async (): Promise<number> => (await readQuotes(prefix)).length
  let seen = 0
  for (let run = 1; run <= 2; run++) {
    const watch = startQuotecast(args)
    const atLeast = seen + 3
    await waitUntil(`${atLeast} quotes are published`, async () => (await count()) >= atLeast)
    watch.child.kill('SIGTERM')
    const stopped = await watch.done
    assert.equal(stopped.code, 0, stopped.stdout + stopped.stderr)
    seen = await count()
  }
  const series = (await loadCsv(BUNDLED_CSV.aapl.url, { symbol: 'AAPL' })).filter(
    (bar) => bar.start >= Date.UTC(2015, 5, 1),
  )
  const ids = idsBySymbol(await readQuotes(prefix)).AAPL ?? []
  assert.ok(ids.length >= 6, `${ids.length} quotes`)
  assert.deepEqual(
    ids,
    series.slice(0, ids.length).map((bar) => `replay:AAPL:1d:${bar.start}`),
    'the second run went on from the first run’s last bar: no repeat, no gap',
  )
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

/** The recorded phisix answer for SM, moved to another trading day and price. */
const pseDay = (date: string, amount: number): string =>
  readFixture('pse/stock-sm-2022-10-13.json')
    .replace('"amount":755.00', `"amount":${amount.toFixed(2)}`)
    .replace('2022-10-13T15:00:00+08:00', `${date}T15:00:00+08:00`)

test('a backfill stopped with SIGINT prints what it did and what is missing; the re-run asks only for the rest', async () => {
  const prefix = uniqueTopicPrefix('backfill-sigint')
  const days = ['2022-10-03', '2022-10-04', '2022-10-05', '2022-10-06', '2022-10-07', '2022-10-10']
  const paths = days.map((date) => `/stocks/SM.${date}.json`)
  const pse = await serveFixtures(
    Object.fromEntries(
      days.map((date, index) => [
        `/stocks/SM.${date}.json`,
        { status: 200, file: 'pse/stock-sm-2022-10-13.json', body: pseDay(date, 750 + index) },
      ]),
    ),
  )
  try {
    // One request every 2 s (the provider's budget): the signal lands while the fetcher waits.
    const args = [
      'backfill',
      '--provider',
      'pse',
      '--symbols',
      'SM',
      '--from',
      '2022-10-03',
      '--to',
      '2022-10-10',
      '--pse-base-url',
      pse.url,
      '--request-budget',
      'pse=1',
      '--request-budget-window-sec',
      '2',
      '--topic-prefix',
      prefix,
    ]
    const first = startQuotecast(args)
    await waitUntil('2 bars are published', async () => (await readQuotes(prefix)).length >= 2)
    first.child.kill('SIGINT')
    const stopped = await first.done
    assert.equal(stopped.code, 130, stopped.stdout + stopped.stderr)
    assert.equal(
      stopped.stdout,
      [
        'SM      interrupted after 2 bars from pse; missing 2022-10-05 to 2022-10-10',
        'published 2 bars for 1 of 1 symbols',
        "interrupted: 1 of 1 symbols not finished; run the same command again to resume (it continues after each symbol's latest quote in the quotes topic)",
        '',
      ].join('\n'),
    )
    assert.deepEqual(
      pse.requests,
      paths.slice(0, 2).map((path) => `GET ${path}`),
    )
    const resumed = await quotecast(args)
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr)
    assert.match(resumed.stdout, /^SM {6}4 bars from pse \(continued after 2022-10-04\)$/m)
    assert.deepEqual(
      pse.requests,
      paths.map((path) => `GET ${path}`),
      'every day asked for once',
    )
    const again = await quotecast(args)
    assert.match(again.stdout, /^SM {6}up to date: the quotes topic is at 2022-10-10 \(no request\)$/m)
    assert.equal(pse.requests.length, days.length)
    assert.deepEqual(idsBySymbol(await readQuotes(prefix)), {
      SM: days.map((date) => `pse:SM:1d:${Date.parse(date)}`),
    })
  } finally {
    await pse.close()
  }
})

test('backfill --interval 1m over 12 days is split into yahoo’s 7-day windows, with progress, and a re-run makes no request', async () => {
  const prefix = uniqueTopicPrefix('backfill-1m')
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000
  const fromMs = today - 12 * 86_400_000
  const toMs = today - 86_400_000 + 86_400_000 - 1
  const windows = [
    { fromMs, toMs: fromMs + 7 * 86_400_000 - 1 },
    { fromMs: fromMs + 7 * 86_400_000, toMs },
  ]
  const sessions = tradingSessions(EXCHANGE_CALENDARS.US, fromMs, 14).filter(
    (session) => session.openMs >= fromMs && session.closeMs <= toMs,
  )
  const minutesIn = (window: { fromMs: number; toMs: number }): number[] =>
    sessions
      .filter((session) => session.openMs >= window.fromMs && session.openMs <= window.toMs)
      .flatMap((session) =>
        Array.from(
          { length: (session.closeMs - session.openMs) / 60_000 },
          (_, i) => session.openMs + i * 60_000,
        ),
      )
  const chartPath = (window: { fromMs: number; toMs: number }): string =>
    `/v8/finance/chart/AAPL?period1=${Math.floor(window.fromMs / 1000)}&period2=${Math.ceil(window.toMs / 1000)}&interval=1m&events=history&includePrePost=false`
  const yahoo = await serveFixtures(
    Object.fromEntries(
      windows.map((window) => [
        chartPath(window),
        { status: 200, file: 'yahoo/chart-aapl-history.json', body: yahooIntradayChart(minutesIn(window)) },
      ]),
    ),
  )
  try {
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
    const args = [
      'backfill',
      '--provider',
      'yahoo',
      '--symbols',
      'AAPL',
      '--interval',
      '1m',
      '--from',
      day(fromMs),
      '--to',
      day(toMs),
      '--yahoo-base-url',
      yahoo.url,
      '--topic-prefix',
      prefix,
    ]
    const run = await quotecast(args, {}, 'info')
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.deepEqual(
      yahoo.requests,
      windows.map((window) => `GET ${chartPath(window)}`),
    )
    const bars = windows.flatMap(minutesIn)
    assert.match(run.stdout, new RegExp(`^AAPL {4}${bars.length} bars from yahoo$`, 'm'))
    const progress = run.stderr
      .split('\n')
      .filter((line) => line.includes('backfill: window published'))
      .map((line) => JSON.parse(line) as { window: string; bars: number })
      .map((line) => `${line.window} ${line.bars}`)
    assert.deepEqual(
      progress,
      windows.map((window, index) => `${index + 1}/2 ${minutesIn(window).length}`),
    )
    const again = await quotecast(args)
    assert.equal(again.code, 0, again.stdout + again.stderr)
    assert.equal(yahoo.requests.length, 2, 'the re-run made no request')
    const ids = idsBySymbol(await readQuotes(prefix)).AAPL ?? []
    assert.deepEqual(
      ids,
      bars.map((ms) => `yahoo:AAPL:1m:${ms}`),
    )
  } finally {
    await yahoo.close()
  }
})
