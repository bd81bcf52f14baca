import { z } from 'zod'
import { barSchema } from './bar.ts'
import { deadLetterSchema } from './dead-letter.ts'
import { featureRowSchema } from './feature-row.ts'
import { modelSnapshotSchema } from './model-snapshot.ts'
import { predictionSchema } from './prediction.ts'
import { quoteSchema } from './quote.ts'

/** The contract of every topic, by message name. */
export const CONTRACTS = {
  quote: quoteSchema,
  bar: barSchema,
  'feature-row': featureRowSchema,
  prediction: predictionSchema,
  'model-snapshot': modelSnapshotSchema,
  'dead-letter': deadLetterSchema,
} as const

/** JSON Schema (draft 2020-12) of every contract, generated from the zod source. */
export function contractJsonSchemas(): Record<keyof typeof CONTRACTS, Record<string, unknown>> {
  const entries = Object.entries(CONTRACTS).map(([name, schema]) => [
    name,
    {
      $id: `https://quotecast.dev/schemas/${name}.schema.json`,
      ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    },
  ])
  return Object.fromEntries(entries) as Record<keyof typeof CONTRACTS, Record<string, unknown>>
}
