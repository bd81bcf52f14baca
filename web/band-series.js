/**
 * A lightweight-charts custom series that fills the 95 % and 80 % prediction intervals as two
 * nested bands. Data items: { time, lower95, lower80, upper80, upper95, point }; an item with only
 * `time` is a gap, where the band is interrupted.
 */

const isBand = (item) => item !== undefined && item.upper95 !== undefined

/** Fills the area between `upper` and `lower` over one run of contiguous points. */
function fillBand(context, run, upper, lower, toY, horizontalRatio, color) {
  if (run.length === 0) return
  context.beginPath()
  run.forEach((bar, index) => {
    const x = bar.x * horizontalRatio
    const y = toY(bar.originalData[upper])
    if (index === 0) context.moveTo(x, y)
    else context.lineTo(x, y)
  })
  for (let index = run.length - 1; index >= 0; index -= 1) {
    const bar = run[index]
    context.lineTo(bar.x * horizontalRatio, toY(bar.originalData[lower]))
  }
  context.closePath()
  context.fillStyle = color
  context.fill()
}

class BandRenderer {
  data = null
  options = null

  draw(target, priceToCoordinate) {
    const { data, options } = this
    if (data === null || options === null || data.visibleRange === null) return
    target.useBitmapCoordinateSpace(({ context, horizontalPixelRatio, verticalPixelRatio }) => {
      const toY = (price) => (priceToCoordinate(price) ?? 0) * verticalPixelRatio
      const from = Math.max(0, data.visibleRange.from - 1)
      const to = Math.min(data.bars.length, data.visibleRange.to + 1)
      const runs = []
      let run = []
      for (let index = from; index < to; index += 1) {
        const bar = data.bars[index]
        if (isBand(bar.originalData)) run.push(bar)
        else if (run.length > 0) {
          runs.push(run)
          run = []
        }
      }
      if (run.length > 0) runs.push(run)
      for (const r of runs) {
        fillBand(context, r, 'upper95', 'lower95', toY, horizontalPixelRatio, options.outerColor)
        fillBand(context, r, 'upper80', 'lower80', toY, horizontalPixelRatio, options.innerColor)
      }
    })
  }
}

export class BandSeries {
  #renderer = new BandRenderer()

  renderer() {
    return this.#renderer
  }

  update(data, options) {
    this.#renderer.data = data
    this.#renderer.options = options
  }

  priceValueBuilder(item) {
    return [item.lower95, item.upper95, item.point]
  }

  isWhitespace(item) {
    return !isBand(item)
  }

  defaultOptions() {
    return {
      innerColor: 'rgba(56, 132, 255, 0.22)',
      outerColor: 'rgba(56, 132, 255, 0.10)',
      lastValueVisible: false,
      priceLineVisible: false,
      crosshairMarkerVisible: false,
    }
  }
}
