import type { BarBuilderState } from './bar-builder-state.ts'

/** Adds a hash to the dedup ring: appended until the ring is full, then over the oldest. */
export function rememberHash(state: BarBuilderState, hash: number, capacity: number): void {
  const ids = state.recentIds
  if (ids.length < capacity) {
    ids.push(hash)
    // Full, the ring keeps its size for good: one copy drops the spare room `push` leaves behind.
    if (ids.length === capacity) state.recentIds = ids.slice()
    return
  }
  ids[state.recentIdsNext % ids.length] = hash
  state.recentIdsNext = (state.recentIdsNext + 1) % ids.length
}
