import { h } from './dom.js'
import { formatNumber, formatPercent } from './format.js'
import { coverage } from './scores.js'

const FIFTHS = ['1 · calmest', '2', '3', '4', '5 · most volatile']

const head = (columns) =>
  h(
    'thead',
    {},
    h(
      'tr',
      {},
      columns.map(([label, title, kind]) => h('th', { scope: 'col', class: kind || null, title }, label)),
    ),
  )

/** The σ range of fifth `k` between the running quintiles. */
function sigmaRange(quintiles, k) {
  if (quintiles.length === 0) return '—'
  if (k === 0) return `≤ ${formatPercent(quintiles[0], 2)}`
  if (k === quintiles.length) return `> ${formatPercent(quintiles[k - 1], 2)}`
  return `${formatPercent(quintiles[k - 1], 2)} – ${formatPercent(quintiles[k], 2)}`
}

const coverageCells = (row) => [
  h('td', { class: 'num' }, row.n.toLocaleString()),
  h('td', { class: 'num' }, coverage(row.coverage80, 0.8)),
  h('td', { class: 'num' }, coverage(row.coverage95, 0.95)),
]

const COVERAGE_COLUMNS = [
  ['n', 'scored bars', 'num'],
  ['Cov. 80', 'share of closes inside the 80 % band', 'num'],
  ['Cov. 95', 'share of closes inside the 95 % band', 'num'],
]

/**
 * The published band judged (`scores.intervals`): its interval (Winkler) scores and QLIKE, and
 * coverage per fifth of σ and per calendar year.
 */
export function renderBand(elements, intervals) {
  elements.winkler80.textContent = formatPercent(intervals.winkler80, 2)
  elements.winkler95.textContent = formatPercent(intervals.winkler95, 2)
  elements.qlike.textContent = formatNumber(intervals.qlike, 3)
  elements.n.textContent = intervals.n.toLocaleString()
  elements.fifths.replaceChildren(
    head([
      ['Fifth of σ', 'each bar placed among the σs seen up to it (running P² quintiles)', ''],
      ['σ', 'the fifth’s range of σ (one bar’s log return)', 'num'],
      ...COVERAGE_COLUMNS,
    ]),
    h(
      'tbody',
      {},
      intervals.fifths.map((fifth, k) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, FIFTHS[k]),
          h('td', { class: 'num' }, sigmaRange(intervals.sigmaQuintiles, k)),
          coverageCells(fifth),
        ),
      ),
    ),
  )
  elements.years.replaceChildren(
    head([['Year', 'calendar year (UTC) of the scored bar', ''], ...COVERAGE_COLUMNS]),
    h(
      'tbody',
      {},
      intervals.years.map((year) =>
        h('tr', {}, h('th', { scope: 'row' }, String(year.year)), coverageCells(year)),
      ),
    ),
  )
}
