import type { z } from 'zod'
import type { Prediction } from '../../../core/contracts/prediction.ts'
import type { predictionBody } from '../api/api-schemas.ts'

export type PredictionBody = z.infer<typeof predictionBody>

/** A prediction as the API shows it: the message without its schema version. */
export function toPredictionBody(prediction: Prediction): PredictionBody {
  const { schema: _schema, ...body } = prediction
  return body
}
