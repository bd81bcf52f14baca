import { setTimeout as sleep } from 'node:timers/promises'
import { liveAnswers, type ApiRequest } from './api-reference.ts'

/**
 * Asks the live service until its answers equal the reference (it may still be reading the
 * topics), or the time is up; returns the last answers for the caller to compare.
 */
export async function settledAnswers(
  baseUrl: string,
  requests: readonly ApiRequest[],
  reference: ReadonlyMap<string, unknown>,
  timeoutMs: number,
): Promise<Map<string, unknown>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const answers = await liveAnswers(baseUrl, requests)
    const isSettled = [...answers].every(
      ([key, answer]) => JSON.stringify(answer) === JSON.stringify(reference.get(key)),
    )
    if (isSettled || Date.now() > deadline) return answers
    await sleep(500)
  }
}
