import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One trading session as the exchange really held it, in its local wall-clock time. */
export interface SimulatedSession {
  /** Local trading date, YYYY-MM-DD. */
  readonly date: string
  /** Continuous-trading windows, e.g. [['09:30', '16:00']] or PSE's [['09:30', '12:00'], ['13:00', '15:00']]. */
  readonly windows: readonly (readonly [string, string])[]
}

export interface SimulatedExchange {
  /** The fixed UTC offset of the simulated week, e.g. '-05:00' (New York in winter) or '+08:00' (Manila). */
  readonly utcOffset: string
  readonly timeZone: string
  readonly currency: string
  readonly sessions: readonly SimulatedSession[]
}

export interface SimulatedSymbol {
  readonly exchange: string
  readonly name: string
  readonly basePrice: number
}

export interface MarketSimulatorOptions {
  readonly exchanges: Readonly<Record<string, SimulatedExchange>>
  readonly symbols: Readonly<Record<string, SimulatedSymbol>>
}

/** The day's bar of one symbol as far as the market has traded it at some instant. */
export interface SimulatedDay {
  readonly date: string
  readonly openMs: number
  /** The instant of the last trade so far (the session's last minute once it has closed). */
  readonly lastTradeMs: number
  readonly closeMs: number
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly volume: number
}

export interface MarketSimulator {
  /** Base URL of the mock provider server (Yahoo, with its daily history, Stooq and phisix routes on one host). */
  readonly url: string
  /** Every request line received, `GET /path?query`, in order. */
  readonly requests: string[]
  /** The simulated wall clock: what the server answers for. */
  setNow(ms: number): void
  /** The latest session day of `symbol` as seen at the current simulated instant, or undefined before the first. */
  dayAt(symbol: string, atMs: number): SimulatedDay | undefined
  /** Every session of the symbol's exchange, completed or not, as instants. */
  sessionsOf(symbol: string): readonly { date: string; openMs: number; closeMs: number }[]
  close(): Promise<void>
}

const MINUTE_MS = 60_000

function toEpoch(date: string, time: string, utcOffset: string): number {
  return Date.parse(`${date}T${time}:00${utcOffset}`)
}

/** A deterministic price path: a fixed-seed random walk, one step per traded minute. */
function minutePrice(symbol: string, basePrice: number, minuteIndex: number): number {
  let seed = 0
  for (const char of symbol) seed = (seed * 31 + char.charCodeAt(0)) >>> 0
  const wave = Math.sin((minuteIndex + seed) / 37) * 0.004 + Math.sin((minuteIndex * 7 + seed) / 101) * 0.006
  return Math.round(basePrice * Math.exp(wave) * 100) / 100
}

function zonedParts(ms: number, utcOffset: string): { date: string; time: string } {
  const sign = utcOffset.startsWith('-') ? -1 : 1
  const [hours, minutes] = utcOffset.slice(1).split(':').map(Number)
  const shifted = new Date(ms + sign * ((hours ?? 0) * 60 + (minutes ?? 0)) * MINUTE_MS).toISOString()
  return { date: shifted.slice(0, 10), time: shifted.slice(11, 19) }
}

/**
 * A real HTTP server on 127.0.0.1 that plays the market-data providers over a simulated week: for
 * the simulated instant set with `setNow`, it answers Yahoo's chart quote, Stooq's quote CSV and
 * phisix's stock JSON in the shapes of the recorded responses in test/fixtures/providers, with a
 * deterministic intraday price path. Outside a session every provider answers the last session's
 * figures, as the real ones do. The sessions are given as the exchange held them, independently
 * of quotecast's own calendar, so a test can check that calendar against them.
 */
export async function startMarketSimulator(options: MarketSimulatorOptions): Promise<MarketSimulator> {
  let nowMs = 0
  const requests: string[] = []

  const exchangeOf = (symbol: string): SimulatedExchange => {
    const spec = options.symbols[symbol]
    const exchange = spec === undefined ? undefined : options.exchanges[spec.exchange]
    if (exchange === undefined) throw new Error(`market simulator: unknown symbol ${symbol}`)
    return exchange
  }

  const sessionsOf = (symbol: string): { date: string; openMs: number; closeMs: number }[] => {
    const exchange = exchangeOf(symbol)
    return exchange.sessions.map((session) => ({
      date: session.date,
      openMs: toEpoch(session.date, session.windows[0]![0], exchange.utcOffset),
      closeMs: toEpoch(session.date, session.windows.at(-1)![1], exchange.utcOffset),
    }))
  }

  /** The traded minutes of a session up to `atMs`, with a global minute index for the price path. */
  const tradedMinutes = (symbol: string, session: SimulatedSession, atMs: number): number[] => {
    const exchange = exchangeOf(symbol)
    const minutes: number[] = []
    for (const [from, to] of session.windows) {
      const start = toEpoch(session.date, from, exchange.utcOffset)
      const end = Math.min(toEpoch(session.date, to, exchange.utcOffset), atMs + 1)
      for (let at = start; at < end; at += MINUTE_MS) minutes.push(at)
    }
    return minutes
  }

  const dayAt = (symbol: string, atMs: number): SimulatedDay | undefined => {
    const exchange = exchangeOf(symbol)
    const spec = options.symbols[symbol]!
    const started = exchange.sessions.filter(
      (session) => toEpoch(session.date, session.windows[0]![0], exchange.utcOffset) <= atMs,
    )
    const session = started.at(-1)
    if (session === undefined) return undefined
    const minutes = tradedMinutes(symbol, session, atMs)
    const prices = minutes.map((at) => minutePrice(symbol, spec.basePrice, Math.floor(at / MINUTE_MS)))
    const closeMs = toEpoch(session.date, session.windows.at(-1)![1], exchange.utcOffset)
    return {
      date: session.date,
      openMs: toEpoch(session.date, session.windows[0]![0], exchange.utcOffset),
      lastTradeMs: atMs >= closeMs ? closeMs : minutes.at(-1)!,
      closeMs,
      open: prices[0]!,
      high: Math.max(...prices),
      low: Math.min(...prices),
      close: prices.at(-1)!,
      volume: 1_000 * prices.length + (Math.floor(spec.basePrice) % 97),
    }
  }

  /** Yahoo's daily history (`period1…period2`): the sessions opened in the range and closed by now. */
  const yahooHistory = (symbol: string, fromSec: number, toSec: number): { status: number; body: string } => {
    const days = sessionsOf(symbol)
      .filter((session) => session.openMs >= fromSec * 1000 && session.openMs <= toSec * 1000)
      .filter((session) => session.closeMs <= nowMs)
      .map((session) => dayAt(symbol, session.closeMs)!)
    return yahooChart(symbol, days)
  }

  const yahooChart = (
    symbol: string,
    history?: readonly SimulatedDay[],
  ): { status: number; body: string } => {
    const exchange = exchangeOf(symbol)
    const day = dayAt(symbol, nowMs)
    if (day === undefined) return { status: 404, body: '' }
    const days = history ?? [day]
    const offsetSec =
      (toEpoch('2000-01-01', '00:00', 'Z') - toEpoch('2000-01-01', '00:00', exchange.utcOffset)) / 1000
    const meta = {
      currency: exchange.currency,
      symbol,
      exchangeName: exchange.currency === 'USD' ? 'NMS' : 'PHS',
      instrumentType: 'EQUITY',
      regularMarketTime: Math.floor(day.lastTradeMs / 1000),
      gmtoffset: offsetSec,
      exchangeTimezoneName: exchange.timeZone,
      regularMarketPrice: day.close,
      regularMarketDayHigh: day.high,
      regularMarketDayLow: day.low,
      regularMarketVolume: day.volume,
      longName: options.symbols[symbol]!.name,
      dataGranularity: '1d',
      range: history === undefined ? '1d' : '',
    }
    const result = {
      meta,
      timestamp: days.map((each) => Math.floor(each.openMs / 1000)),
      indicators: {
        quote: [
          {
            open: days.map((each) => each.open),
            high: days.map((each) => each.high),
            low: days.map((each) => each.low),
            close: days.map((each) => each.close),
            volume: days.map((each) => each.volume),
          },
        ],
        adjclose: [{ adjclose: days.map((each) => each.close) }],
      },
    }
    return { status: 200, body: JSON.stringify({ chart: { result: [result], error: null } }) }
  }

  const stooqQuotes = (names: readonly string[]): string => {
    const lines = ['Symbol,Date,Time,Open,High,Low,Close,Volume']
    for (const name of names) {
      const symbol = Object.keys(options.symbols).find(
        (candidate) => `${candidate.toLowerCase()}.us` === name || (candidate === '^GSPC' && name === '^spx'),
      )
      const day = symbol === undefined ? undefined : dayAt(symbol, nowMs)
      if (symbol === undefined || day === undefined) {
        lines.push(`${name.toUpperCase()},N/D,N/D,N/D,N/D,N/D,N/D,N/D`)
        continue
      }
      // Stooq stamps its quotes in Warsaw time (CET in the winter weeks simulated here).
      const warsaw = zonedParts(day.lastTradeMs, '+01:00')
      lines.push(
        `${name.toUpperCase()},${warsaw.date},${warsaw.time},${day.open},${day.high},${day.low},${day.close},${day.volume}`,
      )
    }
    return `${lines.join('\r\n')}\r\n`
  }

  const phisixStock = (symbol: string): { status: number; body: string } => {
    const exchange = exchangeOf(symbol)
    const day = dayAt(symbol, nowMs)
    if (day === undefined) return { status: 404, body: '' }
    const local = zonedParts(day.lastTradeMs, exchange.utcOffset)
    const change = Math.round(((day.close - day.open) / day.open) * 10_000) / 100
    const body = {
      stock: [
        {
          name: options.symbols[symbol]!.name,
          price: { currency: exchange.currency, amount: day.close },
          percent_change: change,
          volume: day.volume,
          symbol,
        },
      ],
      as_of: `${local.date}T${local.time}${exchange.utcOffset}`,
    }
    return { status: 200, body: JSON.stringify(body) }
  }

  const answer = (path: string): { status: number; type: string; body: string } => {
    const url = new URL(path, 'http://simulator')
    const chart = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname)
    if (chart !== null && url.searchParams.get('range') === '1d') {
      const symbol = decodeURIComponent(chart[1]!)
      if (options.symbols[symbol] === undefined) return { status: 404, type: 'application/json', body: '' }
      return { ...yahooChart(symbol), type: 'application/json' }
    }
    const period1 = Number(url.searchParams.get('period1'))
    const period2 = Number(url.searchParams.get('period2'))
    if (chart !== null && url.searchParams.get('interval') === '1d' && period1 > 0 && period2 > 0) {
      const symbol = decodeURIComponent(chart[1]!)
      if (options.symbols[symbol] === undefined) return { status: 404, type: 'application/json', body: '' }
      return { ...yahooHistory(symbol, period1, period2), type: 'application/json' }
    }
    if (url.pathname === '/q/l/') {
      const names = (url.searchParams.get('s') ?? '').split(/[+ ]/).filter((name) => name !== '')
      return { status: 200, type: 'text/plain', body: stooqQuotes(names) }
    }
    const stock = /^\/stocks\/([A-Z]+)\.json$/.exec(url.pathname)
    if (stock !== null && options.symbols[stock[1]!] !== undefined) {
      return { ...phisixStock(stock[1]!), type: 'application/json' }
    }
    return { status: 404, type: 'text/plain', body: '' }
  }

  const server = createServer((request, response) => {
    const path = request.url ?? '/'
    requests.push(`${request.method ?? 'GET'} ${path}`)
    const reply = answer(path)
    response.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    setNow: (ms) => {
      nowMs = ms
    },
    dayAt,
    sessionsOf,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
