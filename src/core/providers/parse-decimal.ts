import { err, ok, type Result } from '../contracts/result.ts'

const DECIMAL = /^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$/

/**
 * A finite number from a provider's field: a JSON number, or text such as "169.5600", "1,000.00" or
 * "13,724,300". Empty text, "N/D", "-", "null", NaN and infinities are errors, not zero.
 */
export function parseDecimal(value: unknown): Result<number> {
  if (typeof value === 'number')
    return Number.isFinite(value) ? ok(value) : err(`not a finite number: ${value}`)
  if (typeof value !== 'string')
    return err(value === undefined ? 'missing' : `not a number: ${JSON.stringify(value)}`)
  const text = value.trim()
  if (text === '' || !/\d/.test(text) || !DECIMAL.test(text))
    return err(`not a number: ${JSON.stringify(value.slice(0, 40))}`)
  return ok(Number(text.replaceAll(',', '')))
}

/**
 * The numbers of `fields` (our name → the provider's key) in one of its records, or every field
 * that does not parse, named by its key: `"1. open": missing, "4. close": not a number: "N/D"`.
 */
export function readDecimalFields<Name extends string>(
  record: Readonly<Record<string, unknown>>,
  fields: Readonly<Record<Name, string>>,
): Result<Record<Name, number>> {
  const numbers: Partial<Record<Name, number>> = {}
  const problems: string[] = []
  for (const [name, key] of Object.entries(fields) as [Name, string][]) {
    const parsed = parseDecimal(record[key])
    if (parsed.ok) numbers[name] = parsed.value
    else problems.push(`"${key}": ${parsed.error}`)
  }
  return problems.length > 0 ? err(problems.join(', ')) : ok(numbers as Record<Name, number>)
}
