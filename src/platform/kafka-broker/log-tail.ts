import { readFileSync } from 'node:fs'

/** The last lines of a log file, or a note that it is missing: for error messages. */
export function logTail(path: string, lineCount = 60): string {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return `(no log at ${path})`
  }
  return text.trimEnd().split('\n').slice(-lineCount).join('\n')
}

/** The first ERROR lines (with the exception line after each), which shutdown noise would push out of a tail. */
export function logErrors(path: string, maxErrors = 5): string {
  let lines: string[]
  try {
    lines = readFileSync(path, 'utf8').split('\n')
  } catch {
    return ''
  }
  const picked: string[] = []
  for (let index = 0; index < lines.length && picked.length < maxErrors * 2; index += 1) {
    const line = lines[index] ?? ''
    if (!line.includes('] ERROR ')) continue
    picked.push(line)
    const next = lines[index + 1]
    if (next?.startsWith('[') === false) picked.push(next)
  }
  return picked.join('\n')
}
