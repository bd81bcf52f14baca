import type { Interval } from '../contracts/primitives.ts'
import { perCalendar, type ExchangeCalendar } from './exchange-calendars.ts'
import { nextBarStart } from './next-bar-start.ts'

/** The furthest bar ahead a caller may ask for: the longest published horizon. */
export const MAX_BARS_AHEAD = 20
/** Starts kept per calendar and interval before the timeline is begun afresh. */
const TIMELINE_LIMIT = 8_192

/**
 * Per calendar and interval, runs of consecutive bar starts (each `nextBarStart` of the one before),
 * back to back in one array, and where each start is in it: every symbol of a bar asks the same,
 * a forecast asks for several horizons, and the next bar's starts ahead are this bar's shifted by
 * one, so a symbol replayed bar after bar costs one `nextBarStart` a bar and allocates nothing.
 * Symbols at different dates asked in turn (a backfill beside live symbols) each move their window
 * to a new last run when it must grow: at most `MAX_BARS_AHEAD` + 1 copied starts a turn.
 */
interface Timeline {
  starts: number[]
  /** Per index of `starts`, the run it belongs to. */
  runOf: number[]
  /** Per run, the index of its last start; only the last run can grow. */
  runEnds: number[]
  /** Keyed by the bar start in minutes, which stays a small integer (a Smi) for V8. */
  readonly indexOf: Map<number, number>
}
const timelines = new WeakMap<ExchangeCalendar, Map<Interval, Timeline>>()
const newIntervals = (): Map<Interval, Timeline> => new Map()

function timelineOf(calendar: ExchangeCalendar, interval: Interval): Timeline {
  const intervals = perCalendar(timelines, calendar, newIntervals)
  let timeline = intervals.get(interval)
  if (timeline === undefined) {
    timeline = { starts: [], runOf: [], runEnds: [], indexOf: new Map() }
    intervals.set(interval, timeline)
  }
  return timeline
}

function push(timeline: Timeline, start: number, run: number): void {
  timeline.indexOf.set(start / 60_000, timeline.starts.length)
  timeline.starts.push(start)
  timeline.runOf.push(run)
  timeline.runEnds[run] = timeline.starts.length - 1
}

/** Copies the starts from `index` to the end of its run into a new last run; their new index. */
function moveToNewRun(timeline: Timeline, index: number): number {
  const run = timeline.runEnds.length
  const end = timeline.runEnds[timeline.runOf[index]!]!
  const moved = timeline.starts.length
  for (let i = index; i <= end; i++) push(timeline, timeline.starts[i]!, run)
  return moved
}

/**
 * The start of the bar `bars` bars after the bar starting at `barStartMs` on the exchange's
 * calendar (`nextBarStart` applied `bars` times), for 1 ≤ bars ≤ `MAX_BARS_AHEAD`.
 */
export function barStartAhead(
  calendar: ExchangeCalendar,
  interval: Interval,
  barStartMs: number,
  bars: number,
): number {
  if (!Number.isInteger(bars) || bars < 1 || bars > MAX_BARS_AHEAD)
    throw new RangeError(`bars ahead must be an integer from 1 to ${MAX_BARS_AHEAD}, not ${bars}`)
  const timeline = timelineOf(calendar, interval)
  let index = timeline.indexOf.get(barStartMs / 60_000)
  if (index === undefined || index + bars > timeline.runEnds[timeline.runOf[index]!]!) {
    if (timeline.starts.length + MAX_BARS_AHEAD >= TIMELINE_LIMIT) {
      timeline.starts.length = 0
      timeline.runOf.length = 0
      timeline.runEnds.length = 0
      timeline.indexOf.clear()
      index = undefined
    }
    if (index === undefined) {
      index = timeline.starts.length
      push(timeline, barStartMs, timeline.runEnds.length)
    } else if (timeline.runOf[index] !== timeline.runEnds.length - 1) {
      index = moveToNewRun(timeline, index)
    }
    const run = timeline.runEnds.length - 1
    while (timeline.starts.length <= index + MAX_BARS_AHEAD)
      push(timeline, nextBarStart(calendar, interval, timeline.starts.at(-1)!), run)
  }
  return timeline.starts[index + bars]!
}
