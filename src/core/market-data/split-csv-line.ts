import { err, ok, type Result } from '../contracts/result.ts'

/**
 * The cells of one CSV line, each trimmed; a cell in double quotes loses them (`"Adj Close"`),
 * with `""` inside read as one quote. An unterminated quote is an error value.
 */
export function splitCsvLine(line: string): Result<string[]> {
  const cells: string[] = []
  let i = 0
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++
    if (line[i] === '"') {
      let cell = ''
      let j = i + 1
      for (;;) {
        const close = line.indexOf('"', j)
        if (close < 0) return err(`a quote opened at character ${String(i + 1)} is not closed`)
        cell += line.slice(j, close)
        if (line[close + 1] !== '"') {
          j = close + 1
          break
        }
        cell += '"'
        j = close + 2
      }
      const comma = line.indexOf(',', j)
      const rest = line.slice(j, comma < 0 ? undefined : comma).trim()
      if (rest !== '') return err(`text after the closing quote at character ${String(j)}`)
      cells.push(cell.trim())
      if (comma < 0) return ok(cells)
      i = comma + 1
    } else {
      const comma = line.indexOf(',', i)
      cells.push(line.slice(i, comma < 0 ? undefined : comma).trim())
      if (comma < 0) return ok(cells)
      i = comma + 1
    }
  }
}
