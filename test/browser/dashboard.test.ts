import assert from 'node:assert/strict'
import { existsSync, mkdirSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { pino } from 'pino'
import { topicSpecs } from '../../src/core/contracts/topics.ts'
import { MemoryBus } from '../../src/platform/bus/memory-bus.ts'
import type { ReplayStep } from '../fixtures/predictor/create-replay-fixture.ts'
import { realSeriesSteps } from '../fixtures/predictor/real-series-steps.ts'
import { toRecords } from '../fixtures/predictor/to-records.ts'
import {
  startPredictionService,
  type PredictionService,
} from '../../src/services/predictor/start-prediction-service.ts'

const CHROMIUM = '/usr/bin/chromium'
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url)
const LIVE_BARS = 3

let bus: MemoryBus
let service: PredictionService
let browser: Browser
let aapl: ReplayStep[]

before(async () => {
  bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(3))
  aapl = realSeriesSteps('AAPL')
  await bus.produce(toRecords(aapl.slice(0, -LIVE_BARS)))
  await bus.produce(toRecords(realSeriesSteps('^GSPC', 1500)))
  service = await startPredictionService({ bus, logger: pino({ level: 'warn' }), port: 0, host: '127.0.0.1' })
  await service.restored
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  mkdirSync(ARTIFACTS, { recursive: true })
})

after(async () => {
  await browser.close()
  await service.close()
  await bus.close()
})

/** Opens the dashboard and collects the page's errors, which fail the test. */
async function open(
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark',
  hash = '',
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({
    viewport,
    colorScheme,
    locale: 'en-US',
    deviceScaleFactor: viewport.width < 600 ? 2 : 1,
  })
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  await page.goto(`${service.url}/${hash}`)
  await page.waitForSelector('#scores tbody tr')
  await page.waitForFunction(() => document.getElementById('live')?.dataset['state'] === 'live')
  return { page, errors }
}

/** Share of the chart's largest canvas that is painted: the lines and bands, not a blank box. */
const paintedShare = (page: Page): Promise<number> =>
  page.evaluate(() => {
    const canvases = Array.from(document.querySelectorAll<HTMLCanvasElement>('#chart canvas'))
    const canvas = canvases.sort((a, b) => b.width * b.height - a.width * a.height)[0]
    const context = canvas?.getContext('2d')
    if (!canvas || !context) return 0
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
    let painted = 0
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted += 1
    return painted / (canvas.width * canvas.height)
  })

const price = (value: number) =>
  value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

test(
  'the dashboard renders the chart and the scores from real data and updates live',
  { skip: !existsSync(CHROMIUM) && `${CHROMIUM} missing: apt-get install -y chromium` },
  async () => {
    const { page, errors } = await open({ width: 1440, height: 1000 }, 'light')
    const shown = aapl.at(-LIVE_BARS - 1)!
    assert.deepEqual(await page.locator('.symbol-name').allTextContents(), ['AAPL', '^GSPC'])
    assert.equal(await page.textContent('#symbol-title'), 'AAPL')
    assert.equal(await page.textContent('#last-close'), price(shown.bar.close))
    assert.equal(await page.textContent('#forecast'), price(shown.prediction!.point))
    assert.equal(
      await page.textContent('#model-version'),
      `version ${shown.snapshot.version.toLocaleString('en-US')}`,
    )
    assert.equal(await page.getAttribute('#chart', 'data-last-start'), String(shown.bar.start))
    assert.ok((await paintedShare(page)) > 0.05, 'the chart canvas is painted')
    const rows = page.locator('#scores tbody tr')
    assert.equal(await rows.count(), shown.snapshot.models.length)
    assert.equal(await page.locator('#scores tr.served .model-id').textContent(), shown.snapshot.served)
    // The published band judged, with the API's own figures for AAPL.
    const { intervals } = (await (await fetch(`${service.url}/api/v1/scores/AAPL`)).json()) as {
      intervals: {
        n: number
        winkler80: number
        winkler95: number
        qlike: number
        fifths: { n: number; coverage80: number; coverage95: number }[]
        years: { year: number; n: number; coverage80: number; coverage95: number }[]
      }
    }
    const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)} %`
    assert.deepEqual(
      await Promise.all(
        ['#band-winkler80', '#band-winkler95', '#band-qlike', '#band-n'].map((id) => page.textContent(id)),
      ),
      [
        pct(intervals.winkler80, 2),
        pct(intervals.winkler95, 2),
        intervals.qlike.toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 }),
        intervals.n.toLocaleString('en-US'),
      ],
    )
    const cellsOf = (table: string) =>
      page.$$eval(`${table} tbody tr`, (rows) =>
        rows.map((row) => Array.from(row.children, (cell) => cell.textContent)),
      )
    const fifths = await cellsOf('#band-fifths')
    assert.deepEqual(
      fifths.map((row) => [row[0], row[2], row[3], row[4]]),
      intervals.fifths.map((f, k) => [
        ['1 · calmest', '2', '3', '4', '5 · most volatile'][k],
        f.n.toLocaleString('en-US'),
        pct(f.coverage80),
        pct(f.coverage95),
      ]),
    )
    assert.deepEqual(
      await cellsOf('#band-years'),
      intervals.years.map((y) => [
        String(y.year),
        y.n.toLocaleString('en-US'),
        pct(y.coverage80),
        pct(y.coverage95),
      ]),
    )
    assert.equal(intervals.years.length, 5)
    // Further ahead: the pending prediction's 1-, 5- and 20-bar intervals, dated on the calendar, with
    // each longer horizon's coverage as the API scores it.
    const { horizons } = (await (await fetch(`${service.url}/api/v1/scores/AAPL`)).json()) as {
      horizons: { horizon: number; n: number; coverage80: number; coverage95: number }[]
    }
    const ahead = await cellsOf('#horizons')
    assert.deepEqual(
      ahead.map((row) => row[0]),
      ['next bar', '5 bars', '20 bars'],
    )
    const pending = shown.prediction!
    assert.equal(pending.horizons?.length, 2)
    for (const [k, forecast] of (pending.horizons ?? []).entries()) {
      const row = ahead[k + 1]!
      assert.equal(row[2], `${price(forecast.intervals.p80.lower)} – ${price(forecast.intervals.p80.upper)}`)
      const scores = horizons.find((h) => h.horizon === forecast.horizon)!
      assert.ok(scores.n > 0, `${forecast.horizon} bars scored`)
      assert.deepEqual(row.slice(4, 7), [
        scores.n.toLocaleString('en-US'),
        pct(scores.coverage80),
        pct(scores.coverage95),
      ])
    }

    await page.screenshot({ path: new URL('dashboard.png', ARTIFACTS).pathname, fullPage: true })
    // A history bar's legend reads its prediction's 80 % band (the same `intervals` as the pending one).
    const chartBox = await page.locator('#chart').boundingBox()
    assert.ok(chartBox !== null)
    await page.mouse.move(chartBox.x + chartBox.width * 0.5, chartBox.y + chartBox.height * 0.5)
    await page.waitForFunction(() =>
      /close [\d,.]+ · predicted [\d,.]+ · 80 % [\d,.]+–[\d,.]+$/.test(
        document.getElementById('legend')?.textContent ?? '',
      ),
    )
    await page.mouse.move(0, 0)

    const chartBefore = await page.locator('#chart').screenshot()
    for (const step of aapl.slice(-LIVE_BARS)) {
      await bus.produce(toRecords([step]))
      await page.waitForFunction(
        (start) => document.getElementById('chart')?.dataset['lastStart'] === String(start),
        step.bar.start,
      )
    }
    const last = aapl.at(-1)!
    await page.waitForFunction(
      (version) => document.getElementById('model-version')?.textContent === `version ${version}`,
      last.snapshot.version.toLocaleString('en-US'),
    )
    assert.equal(await page.textContent('#last-close'), price(last.bar.close))
    assert.equal(await page.getAttribute('#chart', 'data-pending-for'), String(last.prediction!.forBarStart))
    assert.notDeepEqual(
      await page.locator('#chart').screenshot(),
      chartBefore,
      'the chart redrew with the new bars',
    )
    const visibleUntil = Number(await page.getAttribute('#chart', 'data-visible-until'))
    assert.ok(visibleUntil >= last.bar.start, 'the chart follows the newest bar')
    assert.match(
      (await page.locator('.symbol[data-symbol="AAPL"]').textContent()) ?? '',
      new RegExp(price(last.bar.close).replace('.', '\\.')),
    )
    assert.deepEqual(errors, [])
    await page.close()
  },
)

test(
  'the dashboard is usable on a phone, in the dark',
  { skip: !existsSync(CHROMIUM) && `${CHROMIUM} missing` },
  async () => {
    const { page, errors } = await open({ width: 390, height: 844 }, 'dark', '#%5EGSPC')
    assert.equal(await page.textContent('#symbol-title'), '^GSPC')
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    assert.equal(overflow, 0, 'nothing overflows the screen sideways')
    const chart = await page.locator('#chart').boundingBox()
    assert.ok(chart !== null && chart.width > 300 && chart.height >= 250, 'the chart fills the width')
    assert.ok((await paintedShare(page)) > 0.05)
    await page.locator('.symbol[data-symbol="AAPL"]').click()
    await page.waitForFunction(() => document.getElementById('symbol-title')?.textContent === 'AAPL')
    await page.locator('.symbol[data-symbol="^GSPC"]').click()
    await page.waitForFunction(() => document.getElementById('symbol-title')?.textContent === '^GSPC')
    await page.screenshot({ path: new URL('dashboard-phone.png', ARTIFACTS).pathname, fullPage: true })
    assert.deepEqual(errors, [])
    await page.close()
  },
)
