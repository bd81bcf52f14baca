import { z } from 'zod'
import { finite } from './primitives.ts'

const count = z.number().int().nonnegative()

/** Coverage of the 80 % and 95 % bands over some of the scored bars, as fractions (null with none). */
export const bandCoverageSchema = z
  .object({ n: count, coverage80: finite.nullable(), coverage95: finite.nullable() })
  .strict()

/**
 * Scores that judge the published band itself, derived from its interval sums: Winkler's interval
 * score at 80 % and 95 % (mean of width + (2/α)·distance outside, log-return units, lower is
 * better), QLIKE of the band's variance σ² (r²/σ² − ln(r²/σ²) − 1, 0 for a perfect forecast),
 * coverage per fifth of the band's σ (calmest first, split at running quintiles of σ) and per
 * calendar year (UTC) of the scored bar.
 */
export const intervalScoresSchema = z
  .object({
    n: count,
    winkler80: finite.nullable(),
    winkler95: finite.nullable(),
    qlike: finite.nullable(),
    /** The running 20, 40, 60 and 80 % quantiles of σ (P² estimates) that split the fifths; empty before a bar. */
    sigmaQuintiles: z.array(finite).max(4),
    fifths: z.array(bandCoverageSchema).length(5),
    /** Oldest first; only the years that hold a scored bar. */
    years: z.array(bandCoverageSchema.extend({ year: z.number().int() }).strict()),
  })
  .strict()

export type IntervalScores = z.infer<typeof intervalScoresSchema>

/**
 * Scores of the published interval for the close `horizon` bars ahead (the sum of that many log
 * returns), over the forecasts whose outcome has arrived: coverage at 80 and 95 % and Winkler's
 * interval score at both levels, as for the one-bar band. Consecutive windows overlap.
 */
export const horizonScoresSchema = bandCoverageSchema
  .extend({
    horizon: z.number().int().min(2),
    winkler80: finite.nullable(),
    winkler95: finite.nullable(),
  })
  .strict()

export type HorizonScores = z.infer<typeof horizonScoresSchema>
