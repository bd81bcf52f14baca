/* global document, location, history, setTimeout, setInterval, matchMedia, window */
import { api, ApiError } from './api.js'
import { setupRangeButtons, setupThemeToggle } from './controls.js'
import { connectLive } from './live.js'
import { createPriceChart } from './chart.js'
import { formatBarTime, formatPrice } from './format.js'
import { renderRecent } from './recent.js'
import { renderBand } from './band.js'
import { renderHorizons } from './horizons.js'
import { renderScores } from './scores.js'
import { renderFreshness, renderStats } from './stats.js'
import { renderSymbols } from './symbols.js'

const HISTORY_BARS = 1500
const byId = (id) => document.getElementById(id)

const isNarrow = matchMedia('(max-width: 820px)').matches
const state = {
  summaries: new Map(),
  selected: null,
  points: [],
  pending: null,
  scores: null,
  rangeBars: isNarrow ? 63 : 126,
  loadId: 0,
}

const chart = createPriceChart(byId('chart'), { onHover: showLegend })

function showLegend(hovered) {
  const legend = byId('legend')
  const interval = state.summaries.get(state.selected)?.interval ?? '1d'
  if (hovered === null) {
    legend.textContent = ''
    return
  }
  const p = hovered.point?.prediction ?? hovered.pending
  const parts = [formatBarTime(hovered.point?.start ?? hovered.pending.forBarStart, interval)]
  if (hovered.point) parts.push(`close ${formatPrice(hovered.point.close)}`)
  if (p)
    parts.push(
      `predicted ${formatPrice(p.point)}`,
      `80 % ${formatPrice(p.intervals.p80.lower)}–${formatPrice(p.intervals.p80.upper)}`,
    )
  legend.textContent = parts.join(' · ')
}

function setStatus(kind, text) {
  const status = byId('live')
  status.dataset.state = kind
  byId('live-text').textContent = text
}

function showNotice(text) {
  const notice = byId('notice')
  notice.hidden = text === null
  notice.textContent = text ?? ''
}

const sortedSummaries = () =>
  [...state.summaries.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))

function renderList() {
  renderSymbols(byId('symbols'), sortedSummaries(), state.selected, (symbol) => void select(symbol))
}

function renderSelected({ keepRange = true } = {}) {
  const summary = state.summaries.get(state.selected)
  renderStats(summary, state.pending, Date.now())
  renderHorizonsOrEmpty(summary)
  chart.setData(state.points, state.pending, { keepRange })
  // What the chart shows, for people using assistive technology and for the browser test.
  const chartElement = byId('chart')
  chartElement.dataset.bars = String(state.points.length)
  chartElement.dataset.lastStart = String(state.points.at(-1)?.start ?? '')
  chartElement.dataset.pendingFor = String(state.pending?.forBarStart ?? '')
  chartElement.dataset.visibleUntil = String(chart.visibleUntil())
  renderRecent(byId('recent'), state.points, summary?.interval ?? '1d')
}

/** The next bar's published band scored like the longer horizons: its n, coverage and interval score over the fifths. */
function nextBarScores(intervals) {
  if (!intervals || intervals.n === 0) return null
  const share = (key) =>
    intervals.fifths.reduce((sum, fifth) => sum + fifth.n * (fifth[key] ?? 0), 0) / intervals.n
  return {
    horizon: 1,
    n: intervals.n,
    coverage80: share('coverage80'),
    coverage95: share('coverage95'),
    winkler80: intervals.winkler80,
  }
}

function renderHorizonsOrEmpty(summary) {
  const table = byId('horizons')
  table.hidden = !state.pending
  byId('horizons-empty').hidden = Boolean(state.pending)
  const scores = state.scores
  const horizonScores = [nextBarScores(scores?.intervals), ...(scores?.horizons ?? [])].filter(Boolean)
  renderHorizons(table, state.pending, horizonScores, summary?.interval ?? '1d')
}

function renderScoresOrEmpty() {
  const table = byId('scores')
  byId('scores-empty').hidden = state.scores !== null
  table.hidden = state.scores === null
  if (state.scores !== null) renderScores(table, state.scores)
  const intervals = state.scores?.intervals ?? null
  byId('band').hidden = intervals === null
  byId('band-empty').hidden = intervals !== null
  if (intervals !== null) {
    const elements = { fifths: byId('band-fifths'), years: byId('band-years') }
    for (const name of ['winkler80', 'winkler95', 'qlike', 'n']) elements[name] = byId(`band-${name}`)
    renderBand(elements, intervals)
  }
}

function select(symbol) {
  return load(symbol).then(
    () => showNotice(null),
    (error) => showNotice(`Cannot load ${symbol}: ${error.message}`),
  )
}

async function load(symbol) {
  if (!state.summaries.has(symbol)) return
  state.selected = symbol
  const loadId = ++state.loadId
  if (location.hash !== `#${encodeURIComponent(symbol)}`)
    history.replaceState(null, '', `#${encodeURIComponent(symbol)}`)
  document.title = `${symbol} · quotecast`
  renderList()
  const [page, scores] = await Promise.all([
    api.history(symbol, HISTORY_BARS),
    api
      .scores(symbol)
      .catch((error) => (error instanceof ApiError && error.status === 404 ? null : Promise.reject(error))),
  ])
  if (loadId !== state.loadId) return
  state.points = page.points
  state.pending = state.summaries.get(symbol)?.latestPrediction ?? null
  state.scores = scores
  renderSelected({ keepRange: false })
  chart.showLast(state.rangeBars)
  renderScoresOrEmpty()
  byId('main').setAttribute('aria-busy', 'false')
}

async function loadSymbols() {
  for (;;) {
    try {
      const { symbols } = await api.symbols()
      if (symbols.length > 0) {
        showNotice(null)
        return symbols
      }
      showNotice('Waiting for data: no symbol has bars yet.')
    } catch (error) {
      showNotice(
        error instanceof ApiError && error.status === 503
          ? 'Starting: restoring the views from Kafka…'
          : `Cannot reach the API: ${error.message}`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

function onBar({ symbol, point }) {
  const summary = state.summaries.get(symbol)
  if (summary === undefined) return void refreshSymbols()
  Object.assign(summary, {
    lastBar: { start: point.start, end: point.end, close: point.close },
    dataAsOf: point.start,
    receivedAt: Date.now(),
  })
  summary.bars += 1
  if (symbol === state.selected) {
    const index = state.points.findIndex((p) => p.start === point.start)
    if (index >= 0) state.points[index] = point
    else state.points.push(point)
    if (state.points.length > HISTORY_BARS) state.points.shift()
    renderSelected()
  }
  renderList()
}

function onPrediction(prediction) {
  const summary = state.summaries.get(prediction.symbol)
  if (summary === undefined) return void refreshSymbols()
  summary.latestPrediction = prediction
  summary.receivedAt = Date.now()
  if (prediction.symbol === state.selected) {
    state.pending = prediction
    renderSelected()
  }
  renderList()
}

function onModel(scores) {
  const summary = state.summaries.get(scores.symbol)
  if (summary === undefined) return
  summary.model = { served: scores.served, version: scores.version, trainedThrough: scores.trainedThrough }
  if (scores.symbol === state.selected) {
    state.scores = scores
    renderScoresOrEmpty()
    renderStats(summary, state.pending, Date.now())
    renderHorizonsOrEmpty(summary)
  }
}

let refreshing = null

/** Reloads the symbols list (a new symbol appeared, or the stream reconnected); one request at a time. */
function refreshSymbols() {
  refreshing ??= api
    .symbols()
    .then(({ symbols }) => {
      for (const summary of symbols) state.summaries.set(summary.symbol, summary)
      renderList()
    })
    .catch((error) => showNotice(`Cannot reach the API: ${error.message}`))
    .finally(() => (refreshing = null))
  return refreshing
}

async function main() {
  setupRangeButtons(state.rangeBars, (bars) => {
    state.rangeBars = bars
    chart.showLast(bars)
  })
  setupThemeToggle(byId('theme'), () => chart.applyColors())
  window.addEventListener('hashchange', () => void select(decodeURIComponent(location.hash.slice(1))))
  setInterval(() => renderFreshness(state.summaries.get(state.selected), Date.now()), 1000)
  const symbols = await loadSymbols()
  for (const summary of symbols) state.summaries.set(summary.symbol, summary)
  const fromHash = decodeURIComponent(location.hash.slice(1))
  connectLive({
    onBar,
    onPrediction,
    onModel,
    onStatus: setStatus,
    onResync: () => void refreshSymbols().then(() => select(state.selected)),
  })
  await select(state.summaries.has(fromHash) ? fromHash : symbols[0].symbol)
}

main().catch((error) => showNotice(`Something went wrong: ${error.message}`))
