import { err, ok, type Result } from '../contracts/result.ts'
import type { HttpReply } from './http-reply.ts'
import { providerFailure, type ProviderFailure } from './provider-failure.ts'
import { summarizeBody } from './summarize-body.ts'

/** The JSON of a reply's body, or an `invalid` failure that shows what came instead (often an HTML page). */
export function parseJsonBody(reply: HttpReply): Result<unknown, ProviderFailure> {
  try {
    return ok(JSON.parse(reply.body))
  } catch {
    return err(providerFailure('invalid', `HTTP ${reply.status} but not JSON: ${summarizeBody(reply.body)}`))
  }
}
