import { perCalendar, type ExchangeCalendar } from './exchange-calendars.ts'
import { sessionAt } from './session-at.ts'
import { sessionsOn } from './trading-sessions.ts'
import { zonedParts } from './zoned-parts.ts'

/** Slots of the day: the 24 hours of the local clock, then the opens of a day's sessions (two at most). */
export const TIME_OF_DAY_SLOTS = 26
const FIRST_OPEN_SLOT = 24

const CACHE_LIMIT = 20_000
/** Slots by instant in minutes, per calendar: a forecast asks for the same bar starts bar after bar. */
const slots = new WeakMap<ExchangeCalendar, Map<number, number>>()
const newMap = (): Map<number, number> => new Map()

/**
 * The slot of the trading day of an intraday bar starting at `barStartMs`: the hour of the
 * exchange's local clock (0–23, the same hour across daylight-saving changes), except for a bar
 * that starts at a session's open, whose return spans the night or the lunch break before it: 24
 * for the day's first session, 25 for the second. Cached per calendar, since the time-zone lookup
 * is the costliest part of a bar's dating.
 */
export function timeOfDaySlotOf(calendar: ExchangeCalendar, barStartMs: number): number {
  const cache = perCalendar(slots, calendar, newMap)
  const key = Math.floor(barStartMs / 60_000)
  let slot = cache.get(key)
  if (slot === undefined) {
    slot = openSlotOf(calendar, barStartMs) ?? zonedParts(barStartMs, calendar.timeZone).hour
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(key, slot)
  }
  return slot
}

/** 24 + the index of the day's session that opens at `atMs`; undefined when none does. */
function openSlotOf(calendar: ExchangeCalendar, atMs: number): number | undefined {
  const session = sessionAt(calendar, atMs)
  if (session?.openMs !== atMs) return undefined
  const index = sessionsOn(calendar, Date.parse(session.date)).findIndex((s) => s.openMs === atMs)
  return index < 0 ? undefined : FIRST_OPEN_SLOT + Math.min(index, TIME_OF_DAY_SLOTS - FIRST_OPEN_SLOT - 1)
}

/** Where a slot sorts in a table of the day: the opens first, then the hours. */
export const timeOfDaySlotOrder = (slot: number): number =>
  slot >= FIRST_OPEN_SLOT ? slot - FIRST_OPEN_SLOT : slot + TIME_OF_DAY_SLOTS - FIRST_OPEN_SLOT

/** A slot as text: "10:00" for an hour, "open 1" for the day's first session's open. */
export function timeOfDaySlotLabel(slot: number): string {
  return slot >= FIRST_OPEN_SLOT
    ? `open ${String(slot - FIRST_OPEN_SLOT + 1)}`
    : `${String(slot).padStart(2, '0')}:00`
}
