import { h } from './dom.js'
import { formatChange, formatPrice, formatShortTime } from './format.js'

const mark = (isInside) =>
  h(
    'span',
    { class: isInside ? 'good-text' : 'bad-text', 'aria-label': isInside ? 'inside' : 'outside' },
    isInside ? '✓' : '✗',
  )

/** The last few bars with what was predicted for them, newest first. */
export function renderRecent(table, points, interval, count = 8) {
  const rows = points
    .filter((point) => point.prediction !== null)
    .slice(-count)
    .reverse()
    .map((point) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, formatShortTime(point.start, interval, { isShort: true })),
        h('td', { class: 'num' }, formatPrice(point.prediction.point)),
        h('td', { class: 'num' }, formatPrice(point.close)),
        h('td', { class: 'num' }, formatChange(point.prediction.point, point.close)),
        h('td', { class: 'num' }, mark(point.error.isInside80)),
        h('td', { class: 'num' }, mark(point.error.isInside95)),
      ),
    )
  table.replaceChildren(
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Bar'),
        h('th', { scope: 'col', class: 'num' }, 'Predicted'),
        h('th', { scope: 'col', class: 'num' }, 'Actual'),
        h('th', { scope: 'col', class: 'num' }, 'Error'),
        h('th', { scope: 'col', class: 'num', title: 'inside the 80 % interval' }, '80 %'),
        h('th', { scope: 'col', class: 'num', title: 'inside the 95 % interval' }, '95 %'),
      ),
    ),
    h('tbody', {}, rows),
  )
}
