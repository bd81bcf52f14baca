import { err, ok, type Result } from '../contracts/result.ts'

const OFFSET = /^(?:Z|([+-])(\d{2}):?(\d{2}))$/

/** Reads an ISO 8601 offset such as `+08:00` (PSE, Asia/Manila), `-05:00` or `Z` as milliseconds. */
export function parseUtcOffset(text: string): Result<number> {
  const match = OFFSET.exec(text)
  if (match === null) return err(`"${text}" is not a UTC offset such as +08:00 or Z`)
  if (match[1] === undefined) return ok(0)
  const hours = Number(match[2])
  const minutes = Number(match[3])
  if (minutes > 59) return err(`"${text}" has more than 59 minutes`)
  const offsetMs = (hours * 60 + minutes) * 60_000
  return ok(match[1] === '-' && offsetMs > 0 ? -offsetMs : offsetMs)
}
