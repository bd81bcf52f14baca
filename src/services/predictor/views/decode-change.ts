import { barSchema } from '../../../core/contracts/bar.ts'
import { decodeMessage } from '../../../core/contracts/decode-message.ts'
import { predictionSchema } from '../../../core/contracts/prediction.ts'
import { err, ok, type Result } from '../../../core/contracts/result.ts'
import { decodeSnapshot } from '../../../core/training/upgrade-snapshot.ts'
import type { ViewChange } from './create-views.ts'

export type ViewKind = ViewChange['kind']

/**
 * Turns the bytes of a record of the bars, predictions or models topic into a view change. A null
 * value (a tombstone on the compacted models topic) is `ok(null)`: nothing to apply.
 */
export function decodeChange(kind: ViewKind, value: Uint8Array | null): Result<ViewChange | null> {
  if (value === null) return ok(null)
  switch (kind) {
    case 'bar': {
      const decoded = decodeMessage(barSchema, value)
      return decoded.ok ? ok({ kind, bar: decoded.value }) : err(decoded.error)
    }
    case 'prediction': {
      const decoded = decodeMessage(predictionSchema, value)
      return decoded.ok ? ok({ kind, prediction: decoded.value }) : err(decoded.error)
    }
    case 'model': {
      // Version 1 snapshots stay on the compacted topic until the trainer rewrites their symbols.
      const decoded = decodeSnapshot(value)
      return decoded.ok ? ok({ kind, snapshot: decoded.value }) : err(decoded.error)
    }
  }
}
