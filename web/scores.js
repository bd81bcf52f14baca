import { h } from './dom.js'
import { formatNumber, formatPercent } from './format.js'

/**
 * A verdict against naive by the trainer's own serving rule (`scores.servingRule`): "beats naive"
 * only where the Diebold–Mariano statistic would let the trainer serve the model.
 */
function verdict(model, { maxDm, minScoredBars }) {
  if (model.isBaseline)
    return h(
      'span',
      { class: 'badge neutral', title: 'the random walk: next close = this close' },
      'baseline',
    )
  const { dm, n } = model.scores
  if (n === 0) return h('span', { class: 'badge neutral', title: 'no scored prediction yet' }, 'warming up')
  const bound = formatNumber(-maxDm, 3)
  if (dm === null || n < minScoredBars)
    return h(
      'span',
      {
        class: 'badge neutral',
        title: `fewer than ${minScoredBars} scored predictions: the serving rule does not test yet`,
      },
      'too early',
    )
  if (dm <= maxDm)
    return h(
      'span',
      { class: 'badge good', title: `DM ≤ −${bound}: lower loss than naive, as the serving rule asks` },
      'beats naive',
    )
  if (dm >= -maxDm)
    return h('span', { class: 'badge bad', title: `DM ≥ ${bound}: higher loss than naive` }, 'worse')
  return h('span', { class: 'badge neutral', title: `|DM| < ${bound}: no significant difference` }, '≈ naive')
}

/** Coverage next to its nominal level, marked when it is more than 5 points off. */
export function coverage(value, nominal) {
  if (value === null) return '—'
  const isOff = Math.abs(value - nominal) > 0.05
  return h('span', { class: isOff ? 'off' : 'on', title: `nominal ${nominal * 100} %` }, formatPercent(value))
}

function direction(scores) {
  if (scores.direction === null) return '—'
  const ci = scores.directionCi
  const title = ci ? `95 % CI ${formatPercent(ci[0])} – ${formatPercent(ci[1])}` : null
  return h('span', { title }, formatPercent(scores.direction))
}

/** The scores table: every model's prequential scores against naive, the served one highlighted. */
const COLUMNS = [
  ['Model', null, ''],
  [
    'Verdict',
    'against naive, by the serving rule: only a significant Diebold–Mariano test says "beats naive"',
    '',
  ],
  ['MASE', 'mean absolute error relative to naive (< 1 is better)', 'num'],
  ['DM', 'Diebold–Mariano statistic vs naive (negative is better)', 'num'],
  ['Direction', 'share of correctly predicted directions', 'num'],
  ['Cov. 80', 'share of closes inside the 80 % interval', 'num'],
  ['Cov. 95', 'share of closes inside the 95 % interval', 'num'],
  ['n', 'scored predictions', 'num'],
]

function maseCell(mase) {
  if (mase === null) return '—'
  const tone = Math.abs(mase - 1) < 0.0005 ? '' : mase < 1 ? 'good-text' : 'bad-text'
  return h('span', { class: tone }, formatNumber(mase, 3))
}

/** The scores table: every model's prequential scores against naive, the served one highlighted. */
export function renderScores(table, scores) {
  const rows = scores.models.map((model) => {
    const s = model.scores
    const served = model.isServed ? h('span', { class: 'badge accent' }, 'served') : null
    return h(
      'tr',
      { class: model.isServed ? 'served' : null, 'aria-current': model.isServed ? 'true' : null },
      h('th', { scope: 'row' }, h('span', { class: 'model-id' }, model.id), served),
      h('td', {}, verdict(model, scores.servingRule)),
      h('td', { class: 'num' }, maseCell(s.mase)),
      h('td', { class: 'num' }, s.dm === null ? '—' : formatNumber(s.dm, 2)),
      h('td', { class: 'num' }, direction(s)),
      h('td', { class: 'num' }, coverage(s.coverage80, 0.8)),
      h('td', { class: 'num' }, coverage(s.coverage95, 0.95)),
      h('td', { class: 'num' }, s.n.toLocaleString()),
    )
  })
  const head = COLUMNS.map(([label, title, kind]) =>
    h('th', { scope: 'col', class: kind || null, title }, label),
  )
  table.replaceChildren(h('thead', {}, h('tr', {}, head)), h('tbody', {}, rows))
}
