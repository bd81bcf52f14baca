/**
 * A series of items ordered by a numeric key (a bar's start, a prediction's target bar) that keeps
 * only the newest `capacity` items. Appending in key order is O(1); a late or repeated item is
 * placed by binary search, so replays and out-of-order deliveries leave one item per key.
 */
export interface BoundedSeries<T> {
  readonly size: number
  /** Adds or replaces the item with the same key; false when it is older than everything kept. */
  upsert(item: T): boolean
  get(key: number): T | undefined
  last(): T | undefined
  /** The item with the largest key below `key`. */
  before(key: number): T | undefined
  /** Items with fromKey ≤ key ≤ toKey (integer keys), the newest `limit` of them, in key order. */
  range(fromKey: number, toKey: number, limit: number): readonly T[]
}

export function createBoundedSeries<T>(keyOf: (item: T) => number, capacity: number): BoundedSeries<T> {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError(`capacity must be a positive integer, got ${capacity}`)
  const items: T[] = []

  /** Index of the first item whose key is ≥ key. */
  const lowerBound = (key: number): number => {
    let low = 0
    let high = items.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (keyOf(items[middle] as T) < key) low = middle + 1
      else high = middle
    }
    return low
  }

  return {
    get size() {
      return items.length
    },
    upsert(item) {
      const key = keyOf(item)
      const last = items.at(-1)
      if (last === undefined || keyOf(last) < key) {
        items.push(item)
      } else {
        const index = lowerBound(key)
        const found = items[index]
        if (found !== undefined && keyOf(found) === key) {
          items[index] = item
          return true
        }
        if (index === 0 && items.length >= capacity) return false
        items.splice(index, 0, item)
      }
      if (items.length > capacity) items.splice(0, items.length - capacity)
      return true
    },
    get(key) {
      const found = items[lowerBound(key)]
      return found !== undefined && keyOf(found) === key ? found : undefined
    },
    last: () => items.at(-1),
    before: (key) => {
      const index = lowerBound(key) - 1
      return index >= 0 ? items[index] : undefined
    },
    range(fromKey, toKey, limit) {
      const start = lowerBound(fromKey)
      const end = lowerBound(toKey + 1)
      return items.slice(Math.max(start, end - limit), end)
    },
  }
}
