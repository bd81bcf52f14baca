export interface SeededRandom {
  /** Uniform in [0, 1). */
  uniform(): number
  /** Standard normal (Box–Muller). */
  normal(): number
}

/**
 * A small deterministic generator (mulberry32) for synthetic series in tests and benchmarks, so
 * that no result depends on Math.random.
 */
export function seededRandom(seed: number): SeededRandom {
  let a = seed >>> 0
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    uniform,
    normal: () => {
      const u = 1 - uniform()
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform())
    },
  }
}
