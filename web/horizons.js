import { h } from './dom.js'
import { formatBarTime, formatPercent, formatPrice } from './format.js'
import { coverage } from './scores.js'

const COLUMNS = [
  ['Horizon', 'bars ahead of the last close', ''],
  ['For', 'the close the interval is for, on the exchange calendar', ''],
  ['80 % interval', '', 'num'],
  ['95 % interval', '', 'num'],
  ['n', 'forecasts of this horizon whose outcome has arrived', 'num'],
  ['Cov. 80', 'share of those outcomes inside the 80 % interval', 'num'],
  ['Cov. 95', 'share of those outcomes inside the 95 % interval', 'num'],
  ['Score 80', 'interval (Winkler) score at 80 %, log return; lower is better', 'num'],
]

const range = (band) => `${formatPrice(band.lower)} – ${formatPrice(band.upper)}`

/**
 * The intervals for the close 1, 5 and 20 bars ahead (`prediction.horizons`), each beside how its
 * horizon's published intervals have covered so far (`scores.horizons`).
 */
export function renderHorizons(table, prediction, horizonScores, interval) {
  const forecasts = prediction
    ? [
        { horizon: 1, forBarStart: prediction.forBarStart, intervals: prediction.intervals },
        ...(prediction.horizons ?? []),
      ]
    : []
  const scoresOf = (horizon) => (horizonScores ?? []).find((scores) => scores.horizon === horizon) ?? null
  table.replaceChildren(
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        COLUMNS.map(([label, title, kind]) =>
          h('th', { scope: 'col', class: kind || null, title: title || null }, label),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      forecasts.map((forecast) => {
        const scores = scoresOf(forecast.horizon)
        return h(
          'tr',
          { 'data-horizon': String(forecast.horizon) },
          h('th', { scope: 'row' }, forecast.horizon === 1 ? 'next bar' : `${forecast.horizon} bars`),
          h('td', {}, formatBarTime(forecast.forBarStart, interval)),
          h('td', { class: 'num' }, range(forecast.intervals.p80)),
          h('td', { class: 'num' }, range(forecast.intervals.p95)),
          h('td', { class: 'num' }, scores ? scores.n.toLocaleString() : '—'),
          h('td', { class: 'num' }, scores ? coverage(scores.coverage80, 0.8) : '—'),
          h('td', { class: 'num' }, scores ? coverage(scores.coverage95, 0.95) : '—'),
          h('td', { class: 'num' }, scores?.winkler80 == null ? '—' : formatPercent(scores.winkler80, 2)),
        )
      }),
    ),
  )
}
