/* global document, getComputedStyle */
import {
  createChart,
  createSeriesMarkers,
  CrosshairMode,
  LineSeries,
  LineStyle,
} from '/vendor/lightweight-charts.mjs'
import { BandSeries } from './band-series.js'

const cssVar = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim()
const toTime = (ms) => Math.floor(ms / 1000)

/** The band series' datum of a prediction: a history point's or the pending one, the same shape. */
const bandAt = (time, { point, intervals: { p80, p95 } }) => ({
  time,
  lower95: p95.lower,
  lower80: p80.lower,
  upper80: p80.upper,
  upper95: p95.upper,
  point,
})

function themeOptions() {
  return {
    layout: {
      background: { color: 'transparent' },
      textColor: cssVar('--muted'),
      fontFamily: cssVar('--font'),
    },
    grid: { vertLines: { color: cssVar('--grid') }, horzLines: { color: cssVar('--grid') } },
    rightPriceScale: { borderColor: cssVar('--border') },
    timeScale: { borderColor: cssVar('--border') },
    crosshair: {
      vertLine: { labelBackgroundColor: cssVar('--accent') },
      horzLine: { labelBackgroundColor: cssVar('--accent') },
    },
  }
}

/**
 * The price chart of one symbol: actual closes, the prediction made for each bar, the 80 % and 95 %
 * bands, and the pending forecast of the next bar drawn beyond the last close.
 */
export function createPriceChart(container, { onHover }) {
  const chart = createChart(container, {
    autoSize: true,
    crosshair: { mode: CrosshairMode.Magnet },
    timeScale: { rightOffset: 4, fixLeftEdge: true },
    handleScale: { axisPressedMouseMove: { time: true, price: false } },
    ...themeOptions(),
  })
  const bands = chart.addCustomSeries(new BandSeries(), {})
  const predicted = chart.addSeries(LineSeries, {
    lineWidth: 2,
    lineStyle: LineStyle.Dashed,
    title: 'predicted',
    lastValueVisible: true,
    priceLineVisible: false,
  })
  const actual = chart.addSeries(LineSeries, {
    lineWidth: 2,
    title: 'close',
    priceLineVisible: true,
    priceLineStyle: LineStyle.Dotted,
  })
  const markers = createSeriesMarkers(predicted, [])
  const byTime = new Map()
  let total = 0

  const applyColors = () => {
    chart.applyOptions(themeOptions())
    actual.applyOptions({ color: cssVar('--actual') })
    predicted.applyOptions({ color: cssVar('--predicted') })
    bands.applyOptions({ innerColor: cssVar('--band80'), outerColor: cssVar('--band95') })
  }
  applyColors()

  chart.subscribeCrosshairMove((param) => {
    onHover(param.time === undefined ? null : (byTime.get(param.time) ?? null))
  })

  return {
    /** Draws the whole series: `points` from /history, `pending` the latest prediction (or null). */
    setData(points, pending, { keepRange = false } = {}) {
      const range = keepRange ? chart.timeScale().getVisibleLogicalRange() : null
      const previousTotal = total
      byTime.clear()
      const actualData = []
      const predictedData = []
      const bandData = []
      for (const point of points) {
        const time = toTime(point.start)
        byTime.set(time, { point, pending: null })
        actualData.push({ time, value: point.close })
        const p = point.prediction
        predictedData.push(p ? { time, value: p.point } : { time })
        bandData.push(p ? bandAt(time, p) : { time })
      }
      const last = points.at(-1)
      const isPendingAhead = pending !== null && last !== undefined && pending.forBarStart > last.start
      if (isPendingAhead) {
        const time = toTime(pending.forBarStart)
        byTime.set(time, { point: null, pending })
        predictedData.push({ time, value: pending.point })
        bandData.push(bandAt(time, pending))
      }
      actual.setData(actualData)
      predicted.setData(predictedData)
      bands.setData(bandData)
      markers.setMarkers(
        isPendingAhead
          ? [
              {
                time: toTime(pending.forBarStart),
                position: 'inBar',
                shape: 'circle',
                color: cssVar('--predicted'),
                size: 1,
              },
            ]
          : [],
      )
      total = points.length + (isPendingAhead ? 1 : 0)
      if (range !== null) {
        // Someone watching the newest bars keeps watching them as new ones arrive.
        const shift = range.to >= previousTotal - 2 ? total - previousTotal : 0
        chart.timeScale().setVisibleLogicalRange({ from: range.from + shift, to: range.to + shift })
      }
    },
    /** Shows the last `bars` bars (and the forecast beyond them), or everything. */
    showLast(bars) {
      const count = actual.data().length
      if (bars === null || bars >= count) chart.timeScale().fitContent()
      else chart.timeScale().setVisibleLogicalRange({ from: count - bars, to: count + 2 })
    },
    /** The time (epoch ms) at the right edge of what is shown. */
    visibleUntil: () => (chart.timeScale().getVisibleRange()?.to ?? 0) * 1000,
    applyColors,
    remove: () => chart.remove(),
  }
}
