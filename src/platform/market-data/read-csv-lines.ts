/**
 * The lines of a text stream, ended by LF, CRLF or CR, without their ends. A line longer than
 * `maxLineChars` is yielded cut to `maxLineChars + 1` characters and the rest of it dropped, so
 * that memory stays bounded by one chunk and one line whatever the input (`node:readline` would
 * hold a line of any length whole).
 */
export async function* readCsvLines(
  chunks: AsyncIterable<string> | Iterable<string>,
  maxLineChars: number,
): AsyncGenerator<string> {
  const lineEnd = /[\r\n]/g
  let line = ''
  let isPartial = false
  let isAfterCr = false
  for await (const chunk of chunks) {
    let from = isAfterCr && chunk.startsWith('\n') ? 1 : 0
    isAfterCr = false
    for (;;) {
      lineEnd.lastIndex = from
      const end = lineEnd.exec(chunk)?.index ?? -1
      const stop = end < 0 ? chunk.length : end
      if (line.length <= maxLineChars)
        line += chunk.slice(from, Math.min(stop, from + maxLineChars + 1 - line.length))
      isPartial = true
      if (end < 0) break
      yield line
      line = ''
      isPartial = false
      from = chunk[end] === '\r' && chunk[end + 1] === '\n' ? end + 2 : end + 1
      if (chunk[end] === '\r' && end + 1 === chunk.length) isAfterCr = true
    }
  }
  if (isPartial && line !== '') yield line
}
