import type { Quote } from '../contracts/quote.ts'

/** Bars parsed from a history response, and a reason for each row that could not become one. */
export interface HistoryBatch {
  readonly quotes: readonly Quote[]
  readonly rejected: readonly string[]
}
