import { z } from 'zod'
import { featureRowSchema } from '../../../core/contracts/feature-row.ts'
import { horizonScoresSchema, intervalScoresSchema } from '../../../core/contracts/interval-scores.ts'
import { modelScoresSchema } from '../../../core/contracts/model-snapshot.ts'
import { predictionSchema } from '../../../core/contracts/prediction.ts'
import { epochMs, interval, symbol } from '../../../core/contracts/primitives.ts'
import { FEATURE_VERSION } from '../../../core/features/feature-names.ts'
import { quoteForMessage } from '../../../core/market-data/quote-for-message.ts'
import { API_ERROR_STATUS, type ApiErrorCode } from './api-error.ts'
import { isRealInstant } from './is-real-instant.ts'

/** Request and response shapes of the HTTP API: validation, serialisation and the OpenAPI document. */

/** Named shapes, listed once under components.schemas of the OpenAPI document (not in zod's global registry). */
export const apiSchemaRegistry = z.registry<{ id: string }>()
const named = <T extends z.ZodType>(id: string, schema: T): T => {
  apiSchemaRegistry.add(schema, { id })
  return schema
}

export const errorResponse = named(
  'Error',
  z
    .object({
      statusCode: z.number().int().min(400).max(599),
      error: z.enum(Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]]),
      message: z.string(),
      parameter: z.string().optional().describe('the request parameter at fault'),
    })
    .strict(),
)

/** One unknown query key named, quoted and cut, and how many more: 1,500 of them make a short message. */
function unknownKeysMessage(issue: {
  readonly code?: string
  readonly keys?: readonly string[]
}): string | undefined {
  if (issue.code !== 'unrecognized_keys' || issue.keys === undefined) return undefined
  const [first, ...rest] = issue.keys
  const more = rest.length === 0 ? '' : ` and ${String(rest.length)} more`
  return `unknown query parameter ${quoteForMessage(first ?? '', 40)}${more}`
}

/** A query of these keys only, so a typo (`?limt=5`) is an error rather than ignored. */
const strictQuery = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, { error: unknownKeysMessage })

/** Routes without query parameters reject any. */
export const noQuery = strictQuery({})

export const symbolParams = z
  .object({
    symbol: symbol.meta({ description: 'ticker; URL-encode ^ as %5E (e.g. %5EGSPC)', example: 'AAPL' }),
  })
  .strict()

const INSTANT = /^(\d{1,15}|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?)$/
const instant = z
  .string()
  .regex(INSTANT, 'must be epoch milliseconds or an ISO 8601 date such as 2024-01-31')
  .refine(isRealInstant, 'must be a real calendar date and time, such as 2024-02-29')
  .transform((text) =>
    /^\d+$/.test(text) ? Number(text) : Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text),
  )
  .pipe(epochMs)

const LIMIT_MESSAGE = 'must be an integer from 1 to 5000'

export const historyQuery = strictQuery({
  from: instant.optional().describe('first bar start, inclusive: epoch ms or ISO 8601'),
  to: instant.optional().describe('last bar start, inclusive: epoch ms or ISO 8601'),
  limit: z
    .string()
    .regex(/^[1-9]\d{0,3}$/, LIMIT_MESSAGE)
    .transform(Number)
    .pipe(z.number().max(5000, LIMIT_MESSAGE))
    .default(500)
    .describe('at most this many bars, the newest: a plain decimal integer from 1 to 5000'),
}).refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
  path: ['to'],
  message: 'must not be before from',
})

export const streamQuery = strictQuery({
  symbol: symbol.optional().describe('only events of this symbol'),
})

/** A feature row to predict from: the contract's, of the feature set the models were trained on. */
export const predictRequestBody = featureRowSchema.safeExtend({
  featureVersion: z.literal(FEATURE_VERSION, {
    error: `must be ${String(FEATURE_VERSION)}, the feature set of the models`,
  }),
})

/** The 80 % and 95 % bands, one shape wherever a prediction appears (its message, /history, the stream). */
export const predictionIntervals = named('Intervals', predictionSchema.shape.intervals)

export const predictionBody = named('Prediction', predictionSchema.omit({ schema: true }))

export const predictionResponse = named(
  'LatestPrediction',
  predictionBody.extend({
    dataAsOf: epochMs.nullable().describe('start of the newest bar the service has for the symbol'),
  }),
)

export const symbolSummary = named(
  'SymbolSummary',
  z
    .object({
      symbol,
      interval,
      lastBar: z.object({ start: epochMs, end: epochMs, close: z.number() }).strict().nullable(),
      latestPrediction: predictionBody.nullable(),
      model: z
        .object({ served: z.string(), version: z.number().int(), trainedThrough: epochMs })
        .strict()
        .nullable(),
      dataAsOf: epochMs.nullable().describe('start of the newest bar'),
      receivedAt: epochMs.describe('when the newest record for the symbol reached Kafka (record timestamp)'),
      bars: z.number().int().nonnegative(),
      predictions: z.number().int().nonnegative(),
    })
    .strict(),
)

export const symbolsResponse = z.object({ symbols: z.array(symbolSummary) }).strict()

export const historyPoint = named(
  'HistoryPoint',
  z
    .object({
      start: epochMs,
      end: epochMs,
      open: z.number(),
      high: z.number(),
      low: z.number(),
      close: z.number(),
      volume: z.number(),
      count: z.number().int(),
      prediction: z
        .object({
          point: z.number(),
          predictedReturn: z.number(),
          intervals: predictionIntervals,
          model: predictionSchema.shape.model,
          madeAt: epochMs,
        })
        .strict()
        .nullable(),
      error: z
        .object({
          value: z.number().describe('actual close − predicted point'),
          logReturn: z.number().describe('ln(actual close / predicted point)'),
          isInside80: z.boolean(),
          isInside95: z.boolean(),
        })
        .strict()
        .nullable(),
    })
    .strict(),
)

export const historyResponse = z
  .object({ symbol, interval, count: z.number().int().nonnegative(), points: z.array(historyPoint) })
  .strict()

export const scoresResponse = named(
  'Scores',
  z
    .object({
      symbol,
      interval,
      version: z.number().int().nonnegative(),
      trainedThrough: epochMs,
      served: z.string(),
      baseline: z.string().nullable().describe('id of the naive model the others are compared with'),
      servingRule: z
        .object({ maxDm: z.number(), minScoredBars: z.number().int().nonnegative() })
        .strict()
        .describe(
          'the rule the trainer serves a model by: a Diebold–Mariano statistic against naive of at most maxDm over at least minScoredBars scored bars',
        ),
      models: z.array(
        z
          .object({
            id: z.string(),
            kind: z.string(),
            isServed: z.boolean(),
            isBaseline: z.boolean(),
            scores: modelScoresSchema,
          })
          .strict(),
      ),
      intervals: named('IntervalScores', intervalScoresSchema)
        .nullable()
        .describe(
          'the published band judged over every bar it was published for: Winkler interval scores at 80 and 95 % and QLIKE of its σ² (log-return units), coverage per fifth of σ (calmest first, split at running P² quintiles of σ) and per calendar year (UTC; the trainer keeps the 5 most recent years); null for a snapshot of a release before them',
        ),
      horizons: z
        .array(named('HorizonScores', horizonScoresSchema))
        .nullable()
        .describe(
          'the published intervals for the close 5 and 20 bars ahead, judged as their outcomes arrived: coverage and Winkler interval scores at 80 and 95 % (log-return units; consecutive windows overlap); null for a snapshot of a release before them',
        ),
    })
    .strict(),
)

export const healthResponse = z.object({ status: z.enum(['ok', 'ready', 'starting']) }).strict()
