import { err, ok, type Result } from '../contracts/result.ts'
import { classifyHttpStatus } from './classify-http-status.ts'
import type { HttpReply } from './http-reply.ts'
import { parseJsonBody } from './parse-json-body.ts'
import { providerFailure, type ProviderFailure } from './provider-failure.ts'

/**
 * The JSON object of an Alpha Vantage reply, or the failure hidden in it. Alpha Vantage answers
 * HTTP 200 to everything and says what went wrong in the body: `Note` (the per-minute call
 * frequency), `Information` (the daily limit, a premium-only feature, or a notice) and `Error Message`
 * (an unknown symbol or a bad API key).
 */
export function readAlphaVantageBody(
  reply: HttpReply,
  nowMs: number,
): Result<Record<string, unknown>, ProviderFailure> {
  const byStatus = classifyHttpStatus(reply, nowMs)
  if (byStatus) return err(byStatus)
  const json = parseJsonBody(reply)
  if (!json.ok) return json
  if (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) {
    return err(providerFailure('invalid', 'Alpha Vantage: reply is not a JSON object'))
  }
  const body = json.value as Record<string, unknown>
  const note = body.Note ?? body.Information
  const error = body['Error Message']
  if (typeof error === 'string') {
    const kind = /apikey/i.test(error) ? 'unauthorized' : 'not-found'
    return err(providerFailure(kind, `Alpha Vantage: ${error}`))
  }
  if (typeof note === 'string') {
    const message = `Alpha Vantage: ${note}`
    if (/per second|spreading out/i.test(note)) return err(providerFailure('rate-limited', message, 1000))
    if (/per minute|call frequency/i.test(note)) return err(providerFailure('rate-limited', message, 60_000))
    if (/premium (feature|endpoint)/i.test(note)) return err(providerFailure('unsupported', message))
    if (/per day|daily (rate )?limit/i.test(note)) return err(providerFailure('quota', message))
    if (Object.keys(body).length === 1) return err(providerFailure('invalid', `Alpha Vantage: ${note}`))
  }
  return ok(body)
}
