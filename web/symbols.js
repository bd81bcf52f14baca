import { h } from './dom.js'
import { formatChange, formatPrice } from './format.js'

/** The symbols list: each with its last close and the predicted move of the next bar. */
export function renderSymbols(list, summaries, selected, onSelect) {
  list.replaceChildren(
    ...summaries.map((summary) => {
      const close = summary.lastBar?.close
      const forecast = summary.latestPrediction?.point
      const direction =
        forecast === undefined || close === undefined
          ? 0
          : Math.sign(Math.round((forecast / close - 1) * 1e5))
      const button = h(
        'button',
        {
          type: 'button',
          class: 'symbol',
          'aria-pressed': summary.symbol === selected ? 'true' : 'false',
          'data-symbol': summary.symbol,
        },
        h('span', { class: 'symbol-name' }, summary.symbol),
        h('span', { class: 'symbol-close' }, formatPrice(close)),
        h(
          'span',
          { class: `symbol-change ${['down', 'flat', 'up'][direction + 1]}` },
          forecast === undefined
            ? 'no forecast yet'
            : `${['▼', '■', '▲'][direction + 1]} next ${formatChange(close, forecast)}`,
        ),
      )
      button.addEventListener('click', () => onSelect(summary.symbol))
      return h('li', {}, button)
    }),
  )
}
