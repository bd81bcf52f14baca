// Issue 8: `quotecast fetch` against a local provider that misbehaves — hangs, 5xx, 429 with
// Retry-After, resets, garbage — as a child process. Its exit code and summary follow the contract
// (0 only when every symbol was published, one line per symbol) and nothing invalid reaches Kafka.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { decodeMessage } from '../../src/core/contracts/decode-message.ts'
import { quoteSchema } from '../../src/core/contracts/quote.ts'
import { TOPICS } from '../../src/core/contracts/topics.ts'
import { readFixture } from '../fixtures/providers/read-fixture.ts'
import { kafkaBootstrap, uniqueTopicPrefix } from '../helpers/kafka.ts'
import { KafkaProbe } from '../support/kafka-probe.ts'
import { runCommand } from '../support/services.ts'

type Behaviour =
  | 'ok'
  | 'hang'
  | 'reset'
  | '503'
  | '500'
  | '429-short'
  | '429-long'
  | 'html'
  | 'truncated'
  | 'negative'
  | 'nan'
  | 'other-symbol'
  | 'empty'

/** Each symbol's answers in turn (the last repeats). */
const SCRIPT: Readonly<Record<string, readonly Behaviour[]>> = {
  AAPL: ['ok'],
  AMZN: ['503', 'ok'],
  META: ['429-short', 'ok'],
  MSFT: ['hang'],
  ORCL: ['reset'],
  NVDA: ['500'],
  INTC: ['429-long'],
  TSLA: ['html'],
  GOOG: ['truncated'],
  NFLX: ['negative'],
  AMD: ['nan'],
  IBM: ['other-symbol'],
  CSCO: ['empty'],
}
const PUBLISHED = ['AAPL', 'AMZN', 'META']
const TEN_YEARS_SEC = String(10 * 365 * 86_400)

const chart = (symbol: string, price: string): string =>
  readFixture('yahoo/chart-aapl-quote.json')
    .replaceAll('"symbol":"AAPL"', `"symbol":"${symbol}"`)
    .replace('"regularMarketPrice":181.18', `"regularMarketPrice":${price}`)

function answer(
  behaviour: Behaviour,
  symbol: string,
): { status: number; body: string; headers?: Record<string, string> } | 'hang' | 'reset' {
  switch (behaviour) {
    case 'ok':
      return { status: 200, body: chart(symbol, '181.18') }
    case 'hang':
    case 'reset':
      return behaviour
    case '503':
    case '500':
      return { status: Number(behaviour), body: '<html><body>Bad gateway</body></html>' }
    case '429-short':
      return { status: 429, body: 'Too Many Requests', headers: { 'retry-after': '1' } }
    case '429-long':
      return { status: 429, body: 'Too Many Requests', headers: { 'retry-after': '86400' } }
    case 'html':
      return { status: 200, body: '<!doctype html><title>Consent</title><p>Please accept cookies' }
    case 'truncated':
      return { status: 200, body: chart(symbol, '181.18').slice(0, 300) }
    case 'negative':
      return { status: 200, body: chart(symbol, '-181.18') }
    case 'nan':
      return { status: 200, body: chart(symbol, '"NaN"') }
    case 'other-symbol':
      return { status: 200, body: chart('EVIL', '181.18') }
    case 'empty':
      return { status: 200, body: '' }
  }
}

let server: Server
let baseUrl = ''
const asked = new Map<string, number>()
const probe = new KafkaProbe(kafkaBootstrap())

before(async () => {
  server = createServer((request, response) => {
    const symbol = decodeURIComponent(/\/v8\/finance\/chart\/([^?]+)/.exec(request.url ?? '')?.[1] ?? '')
    const count = asked.get(symbol) ?? 0
    asked.set(symbol, count + 1)
    const script = SCRIPT[symbol] ?? []
    const reply = answer(script[Math.min(count, script.length - 1)] ?? 'empty', symbol)
    if (reply === 'hang') return
    if (reply === 'reset') {
      request.socket.destroy()
      return
    }
    response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(reply.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await probe.close()
})

async function fetchOnce(symbols: readonly string[], prefix: string) {
  return runCommand('fetch', {
    kafka: kafkaBootstrap(),
    topicPrefix: prefix,
    args: [
      '--provider',
      'yahoo',
      '--symbols',
      symbols.join(','),
      '--yahoo-base-url',
      baseUrl,
      '--request-timeout-ms',
      '1500',
      '--retries',
      '2',
      '--max-retry-wait-ms',
      '5000',
      '--max-quote-age-sec',
      TEN_YEARS_SEC,
    ],
    timeoutMs: 120_000,
  })
}

describe('the fetcher against a misbehaving provider', () => {
  test(
    'timeouts, resets, 5xx, 429 and garbage: only good quotes reach Kafka; exit 1 and a line per symbol',
    { timeout: 150_000 },
    async () => {
      const prefix = `${uniqueTopicPrefix('faults-provider')}.`
      asked.clear()
      const startedAt = Date.now()
      const run = await fetchOnce(Object.keys(SCRIPT), prefix)
      const tookMs = Date.now() - startedAt
      assert.equal(run.code, 1, run.output)
      for (const symbol of Object.keys(SCRIPT)) {
        const line = new RegExp(`^${symbol}\\s+${PUBLISHED.includes(symbol) ? 'published ' : 'FAILED '}`, 'm')
        assert.match(run.stdout, line, run.stdout)
      }
      assert.match(
        run.stdout,
        new RegExp(
          `^${Object.keys(SCRIPT).length - PUBLISHED.length} of ${Object.keys(SCRIPT).length} symbols failed$`,
          'm',
        ),
      )
      assert.match(run.stdout, /^MSFT\s+FAILED\s+.*(timed out|timeout)/im)
      assert.match(run.stdout, /^INTC\s+FAILED\s+.*too long/m)
      // Transient failures are retried (twice more), a short Retry-After is honoured, the rest are not retried.
      assert.equal(asked.get('NVDA'), 3)
      assert.equal(asked.get('META'), 2)
      assert.equal(asked.get('INTC'), 1)
      assert.equal(asked.get('TSLA'), 1)
      assert.ok(tookMs < 90_000, `bounded: ${tookMs} ms`)

      const records = await probe.read(prefix + TOPICS.quotes)
      const symbols = records.map((record) => {
        const quote = decodeMessage(quoteSchema, record.value)
        assert.ok(quote.ok, `an invalid quote reached Kafka: ${quote.ok ? '' : quote.error}`)
        assert.equal(record.key, quote.value.symbol)
        assert.equal(quote.value.price, 181.18)
        return quote.value.symbol
      })
      assert.deepEqual(symbols.sort(), [...PUBLISHED].sort())
    },
  )

  test(
    'when nothing can be fetched the run fails loudly and publishes nothing',
    { timeout: 120_000 },
    async () => {
      const prefix = `${uniqueTopicPrefix('faults-provider-none')}.`
      const failing = ['NVDA', 'TSLA', 'NFLX', 'ORCL']
      const run = await fetchOnce(failing, prefix)
      assert.equal(run.code, 1, run.output)
      assert.match(run.stdout, /^4 of 4 symbols failed$/m)
      assert.deepEqual(await probe.read(prefix + TOPICS.quotes), [])
    },
  )
})
