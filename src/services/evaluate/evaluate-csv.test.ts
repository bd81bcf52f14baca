import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { evaluateCsv } from './evaluate-csv.ts'

const AAPL = fileURLToPath(new URL('../../../data/aapl.csv', import.meta.url))
const CLI = fileURLToPath(new URL('../../cli.ts', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'quotecast-evaluate-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const fileWith = (name: string, text: string): string => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

test('scores every model on a real series, naive first, and names the model it would serve', async () => {
  const result = await evaluateCsv({ file: AAPL, symbol: 'AAPL', window: {} })
  assert.ok(result.ok)
  const { models, served, rows } = result.value
  assert.equal(rows, 1260)
  assert.deepEqual(
    models.map((m) => m.model),
    ['naive', 'rls', 'rls-r1', 'median'],
  )
  assert.equal(models[0]?.mase, 1)
  assert.ok(models.every((m) => m.n > 1200 && Math.abs((m.coverage95 ?? 0) - 0.95) < 0.02))
  assert.equal(served, 'naive')
  assert.deepEqual(result.value.byTimeOfDay, [])
})

test('bad input is an error value that names the file and the problem', async () => {
  const cases = [
    { file: join(dir, 'missing.csv'), error: /missing\.csv: cannot read: ENOENT/ },
    {
      file: fileWith('bad-close.csv', 'date,open,high,low,close,volume\n2020-01-02,1,2,1,x,5\n'),
      error: /bad-close\.csv: line 2: close "x" is not a plain decimal number/,
    },
    {
      file: fileWith('feb-30.csv', 'date,open,high,low,close\n2013-02-28,1,2,1,1.5\n2013-02-30,1,2,1,1.5\n'),
      error: /feb-30\.csv: line 3: date "2013-02-30" does not exist/,
    },
    { file: fileWith('header-only.csv', 'date,open,high,low,close,volume\n'), error: /no data rows/ },
    {
      file: fileWith(
        'alternating.csv',
        `date,open,high,low,close\n${Array.from({ length: 400 }, (_, i) => `${new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10)},${i % 2 === 0 ? '1e300' : '1e-300'},1,1,1`).join('\n')}`,
      ),
      error: /alternating\.csv: line 2: open 1e\+300 is above MAX_PRICE \(1e9\)$/,
    },
  ]
  for (const { file, error } of cases) {
    const result = await evaluateCsv({ file, symbol: 'TEST', window: {} })
    assert.ok(!result.ok)
    assert.match(result.error, error)
  }
})

test('a 40 MB file of CR line ends or of one line gives a short message with its controls escaped', async () => {
  const crOnly = fileWith(
    'cr-only.csv',
    `Date,\x1b]0;pwned\x07Open\r${'2020-01-02,1,2,1,1.5\r'.repeat(2_000_000)}`,
  )
  const oneLine = fileWith('one-line.csv', `\x1b[2J${'x'.repeat(40_000_000)}`)
  const messages: string[] = []
  for (const file of [crOnly, oneLine]) {
    const result = await evaluateCsv({ file, symbol: 'X', window: {} })
    assert.ok(!result.ok)
    messages.push(result.error.slice(file.length))
  }
  assert.deepEqual(messages, [
    ': line 1: no "open" column in header "Date,\\x1b]0;pwned\\x07Open"',
    `: line 1: longer than 4096 characters, starting "\\x1b[2J${'x'.repeat(56)}"`,
  ])
})

/** A random walk with volatility clustering, deterministic: `count` bars of `stepMs` from `startMs`. */
function walkCsv(count: number, stepMs: number, startMs: number, time: (ms: number) => string): string {
  const lines = ['Datetime,Open,High,Low,Close,Volume']
  let close = 100
  for (let i = 0; i < count; i++) {
    const open = close
    close = open * Math.exp(0.002 * Math.sin(i * 1.7) * (1 + Math.sin(i / 50)))
    const high = Math.max(open, close) * 1.001
    const low = Math.min(open, close) * 0.999
    lines.push([time(startMs + i * stepMs), open, high, low, close, 100 + (i % 7)].join(','))
  }
  return `${lines.join('\n')}\n`
}

test('scores intraday bars with ISO offsets, and reads Yahoo quirks, reporting them', async () => {
  const offset = (ms: number): string => `${new Date(ms - 5 * 3_600_000).toISOString().slice(0, 19)}-05:00`
  const intraday = fileWith('intraday.csv', walkCsv(400, 300_000, Date.UTC(2024, 0, 2, 14, 30), offset))
  const result = await evaluateCsv({ file: intraday, symbol: 'X', window: {} })
  assert.ok(result.ok, result.ok ? '' : result.error)
  assert.equal(result.value.interval, '5m')
  assert.equal(result.value.firstBarStart, Date.UTC(2024, 0, 2, 14, 30))
  assert.ok(result.value.servedStream.n > 350)
  // Coverage by time of day: the session's open (09:30 New York, once, on the second day) first,
  // then the hours of the New York clock in order, together every scored bar.
  const slots = result.value.byTimeOfDay.map((slot) => slot.slot)
  assert.equal(slots[0], 'open 1')
  assert.equal(result.value.byTimeOfDay[0]!.n, 1)
  assert.deepEqual(slots.slice(1), [...slots.slice(1)].sort())
  assert.equal(
    result.value.byTimeOfDay.reduce((sum, slot) => sum + slot.n, 0),
    result.value.servedStream.n,
  )
  const yahoo = [
    '"Date","Open","High","Low","Close","Adj Close"',
    '2020-01-07,1,2,1,1.5,0.75',
    '2020-01-06,null,null,null,null,null',
    '2020-01-03,1,2,1,1.25,0.625',
    '2020-01-02,1,2,1,1.5,0.75',
  ].join('\n')
  const quirks = await evaluateCsv({
    file: fileWith('yahoo.csv', yahoo),
    symbol: 'X',
    window: {},
    isAdjusted: true,
  })
  assert.ok(quirks.ok)
  assert.deepEqual(quirks.value.input, {
    bars: 3,
    interval: '1d',
    nullRows: 1,
    nullLines: [3],
    isNewestFirst: true,
    hasVolume: false,
  })
  assert.deepEqual(
    [quirks.value.firstBarStart, quirks.value.lastBarStart],
    [Date.UTC(2020, 0, 2), Date.UTC(2020, 0, 7)],
  )
})

const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, 'evaluate', ...args], { encoding: 'utf8' })

test('the command prints one JSON object and writes every scored bar to --bars-out', () => {
  const barsOut = join(dir, 'bars.csv')
  const ok = run('--csv', AAPL, '--from', '2015-01-01', '--to', '2015-12-31', '--json', '--bars-out', barsOut)
  assert.equal(ok.status, 0, ok.stderr)
  const json = JSON.parse(ok.stdout) as {
    served: string
    scored: { n: number; from: string; to: string }
    models: { model: string; coverage80: number }[]
    published: { n: number; coverage80: number; coverage95: number }
    intervals: {
      n: number
      winkler80: number
      winkler95: number
      qlike: number
      sigmaQuintiles: number[]
      fifths: { n: number; coverage80: number; coverage95: number }[]
      years: { year: number; n: number; coverage80: number; coverage95: number }[]
    }
    horizons: { horizon: number; n: number; coverage80: number; coverage95: number; winkler80: number }[]
  }
  assert.equal(json.served, 'naive')
  assert.deepEqual(json.scored, { n: 252, from: '2015-01-02', to: '2015-12-31' })
  assert.ok(json.models.every((m) => m.coverage80 > 0 && m.coverage80 < 1))
  const [header, ...lines] = readFileSync(barsOut, 'utf8').trimEnd().split('\n')
  assert.equal(
    header,
    'barStart,horizon,actualReturn,predictedReturn,sigma,lower80,upper80,lower95,upper95,model,varianceModel',
  )
  const all = lines.map((line) => line.split(','))
  // Each bar's one-bar row first, then the 5- and 20-bar forecasts that end at it.
  assert.equal(all.length, 252 + json.horizons[0]!.n + json.horizons[1]!.n)
  assert.deepEqual(
    json.horizons.map((h) => [h.horizon, h.n]),
    [
      [5, 252],
      [20, 252],
    ],
  )
  for (const { horizon, coverage80, winkler80 } of json.horizons) {
    const of = all.filter((row) => row[1] === String(horizon)).map((row) => row.map(Number))
    const covered = of.filter((row) => row[5]! <= row[2]! && row[2]! <= row[6]!).length / of.length
    assert.ok(Math.abs(covered - coverage80) < 1e-12, `${horizon} bars: coverage of its rows`)
    const score =
      of.reduce(
        (sum, row) =>
          sum + row[6]! - row[5]! + 10 * (Math.max(0, row[5]! - row[2]!) + Math.max(0, row[2]! - row[6]!)),
        0,
      ) / of.length
    assert.ok(Math.abs(score - winkler80) < 1e-12, `${horizon} bars: interval score of its rows`)
  }
  const rows = all.filter((row) => row[1] === '1')
  assert.equal(rows.length, 252)
  assert.deepEqual(rows[0]?.slice(0, 2), ['2015-01-02T00:00:00.000Z', '1'])
  assert.ok(rows.every((row) => row[9] === 'naive'))
  // In 2015 the pool of variance forecasts has passed the serving rule on AAPL for some bars.
  assert.deepEqual(new Set(rows.map((row) => row[10])), new Set(['ewma', 'pool']))
  const inside = (level: 80 | 95) =>
    rows.filter((row) => {
      const [actual, lower, upper] = [2, level === 80 ? 5 : 7, level === 80 ? 6 : 8].map((i) =>
        Number(row[i]),
      )
      return lower! <= actual! && actual! <= upper!
    }).length / rows.length
  // The file is the published stream, bar by bar: its coverage is the one the scores report.
  assert.ok(Math.abs(inside(80) - json.published.coverage80) < 1e-12)
  assert.ok(Math.abs(inside(95) - json.published.coverage95) < 1e-12)
  // And the band's scores are those of its rows: Winkler, QLIKE of σ², coverage by year.
  const mean = (f: (row: number[]) => number): number =>
    rows.reduce((sum, row) => sum + f(row.map(Number)), 0) / rows.length
  const winkler = (alpha: number, lo: number, hi: number) => (row: number[]) =>
    row[hi]! - row[lo]! + (2 / alpha) * (Math.max(0, row[lo]! - row[2]!) + Math.max(0, row[2]! - row[hi]!))
  const ratio = (row: number[]) => Math.max(1e-6, (row[2]! / row[4]!) ** 2)
  const { intervals } = json
  assert.equal(intervals.n, 252)
  assert.ok(Math.abs(intervals.winkler80 - mean(winkler(0.2, 5, 6))) < 1e-12)
  assert.ok(Math.abs(intervals.winkler95 - mean(winkler(0.05, 7, 8))) < 1e-12)
  assert.ok(Math.abs(intervals.qlike - mean((row) => ratio(row) - Math.log(ratio(row)) - 1)) < 1e-12)
  assert.deepEqual(intervals.years, [
    { year: 2015, n: 252, coverage80: json.published.coverage80, coverage95: json.published.coverage95 },
  ])
  assert.equal(
    intervals.fifths.reduce((sum, fifth) => sum + fifth.n, 0),
    252,
  )
  assert.equal(intervals.sigmaQuintiles.length, 4)
  // AAPL closed at 110.379997 on 2014-12-31 and 109.330002 on 2015-01-02 (data/aapl.csv).
  assert.equal(Number(rows[0][2]), Math.log(109.330002 / 110.379997))
  // With --adjusted, the Adj Close: 103.664352 and 102.678230.
  const adjustedOut = join(dir, 'adjusted.csv')
  const adjusted = run(
    '--csv',
    AAPL,
    '--from',
    '2015-01-01',
    '--to',
    '2015-01-02',
    '--adjusted',
    '--bars-out',
    adjustedOut,
  )
  assert.equal(adjusted.status, 0, adjusted.stderr)
  const firstAdjusted = readFileSync(adjustedOut, 'utf8').split('\n')[1]?.split(',')[2]
  assert.equal(Number(firstAdjusted), Math.log(102.67823 / 103.664352))
})

test('the command exits 2 naming a bad file or range, and 3 saying why when nothing could be scored', () => {
  const barsOut = join(dir, 'not-left.csv')
  const bad = run('--csv', fileWith('bad.csv', 'when,price\n2020-01-01,3\n'), '--bars-out', barsOut)
  assert.ok(!existsSync(barsOut))
  assert.equal(bad.status, 2)
  assert.match(
    bad.stderr,
    /bad\.csv: line 1: no "date \(or datetime, timestamp\)" column in header "when,price"/,
  )
  assert.equal(run('--csv', AAPL, '--to', '2015-02-30').status, 2)
  const reversed = run('--csv', AAPL, '--from', '2016-01-01', '--to', '2015-01-01')
  assert.deepEqual(
    [reversed.status, reversed.stderr],
    [2, 'quotecast evaluate: --from 2016-01-01 is after --to 2015-01-01: the range is reversed\n'],
  )
  const late = run('--csv', AAPL, '--from', '2019-01-01')
  assert.deepEqual(
    [late.status, late.stderr, late.stdout],
    [
      3,
      'quotecast evaluate: nothing could be scored: --from 2019-01-01 is after the last bar (2018-05-11)\n',
      '',
    ],
  )
  const month = (i: number): string =>
    `${String(2000 + Math.floor(i / 12))}-${String((i % 12) + 1).padStart(2, '0')}-01`
  const monthly = fileWith('monthly.csv', walkCsv(120, 1, 0, month))
  const nothing = run('--csv', monthly, '--symbol', 'M')
  assert.equal(nothing.status, 3)
  assert.match(
    nothing.stderr,
    /nothing could be scored: 119 of 119 bars follow a gap of more than 5 1d bars.*monthly data cannot be scored/,
  )
})

test('the command warns below 250 scored bars and still prints the scores', () => {
  const short = run('--csv', AAPL, '--from', '2018-01-01', '--json')
  assert.equal(short.status, 0, short.stderr)
  const json = JSON.parse(short.stdout) as { scored: { n: number } }
  assert.equal(
    short.stderr,
    `quotecast evaluate: warning: only ${String(json.scored.n)} bars scored, fewer than 250: the scores are noisy and differences between models are unlikely to be significant\n`,
  )
})

test('--extra-closures moves the session the last forecast is for; a bad list exits 2 naming the setting', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'evaluate', '--csv', AAPL, '--json', ...args], {
      encoding: 'utf8',
      env: { ...process.env, QUOTECAST_EXTRA_CLOSURES: '' },
    })
  const forecastFor = (...args: string[]): unknown => {
    const result = run(...args)
    assert.equal(result.status, 0, result.stderr)
    return (JSON.parse(result.stdout) as { forecastFor: unknown }).forecastFor
  }
  // The file ends on Friday 11 May 2018.
  assert.equal(forecastFor(), '2018-05-14')
  assert.equal(forecastFor('--extra-closures', 'US:2018-05-14'), '2018-05-15')
  const bad = run('--extra-closures', 'XX:2018-05-14')
  assert.equal(bad.status, 2)
  assert.match(bad.stderr, /--extra-closures \/ QUOTECAST_EXTRA_CLOSURES/)
})
