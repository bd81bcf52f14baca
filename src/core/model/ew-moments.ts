import { z } from 'zod'

// The keys in another order than the state's (see `stateSchema` in model-spec.ts).
export const ewMomentsSchema = z
  .object({
    count: z.number().int().nonnegative(),
    /** Total weight Σρ^k of the observations seen; 0 before the first. */
    weight: z.number().nonnegative(),
    mean: z.array(z.number()),
    /** Weighted sum of squared deviations; the variance is `sumSq / weight`. */
    sumSq: z.array(z.number()),
  })
  .strict()

/** Exponentially weighted mean and variance of a vector, exact from the first observation on. */
export type EwMoments = z.infer<typeof ewMomentsSchema>

export function initialEwMoments(dimension: number): EwMoments {
  return {
    weight: 0,
    count: 0,
    mean: new Array<number>(dimension).fill(0),
    sumSq: new Array<number>(dimension).fill(0),
  }
}

export function copyEwMoments(moments: EwMoments): EwMoments {
  return { weight: moments.weight, count: moments.count, mean: [...moments.mean], sumSq: [...moments.sumSq] }
}

/**
 * Adds one observation with weight 1 after decaying the previous weights by `decay` (West's
 * weighted incremental update), in place: the mean and variance equal the batch weighted ones
 * exactly.
 */
export function updateEwMoments(moments: EwMoments, x: ArrayLike<number>, decay: number): void {
  const weight = decay * moments.weight + 1
  const { mean, sumSq } = moments
  for (let i = 0; i < mean.length; i++) {
    const value = x[i] ?? 0
    const previous = mean[i] ?? 0
    const next = previous + (value - previous) / weight
    mean[i] = next
    sumSq[i] = decay * (sumSq[i] ?? 0) + (value - previous) * (value - next)
  }
  moments.weight = weight
  moments.count += 1
}

/** Standard deviation of component `i`, 0 before any observation. */
export function ewStandardDeviation(moments: EwMoments, i: number): number {
  if (moments.weight === 0) return 0
  return Math.sqrt(Math.max(0, (moments.sumSq[i] ?? 0) / moments.weight))
}
