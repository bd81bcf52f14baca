import { closeSync, openSync, writeSync } from 'node:fs'

export interface LineSink {
  write(line: string): void
  close(): void
}

const FLUSH_CHARS = 64 * 1024

/** A file written line by line through a 64 KiB buffer, synchronously: bounded memory, no backpressure to manage. */
export function createLineSink(file: string): LineSink {
  const fd = openSync(file, 'w')
  let buffer = ''
  const flush = (): void => {
    if (buffer !== '') writeSync(fd, buffer)
    buffer = ''
  }
  return {
    write(line) {
      buffer += `${line}\n`
      if (buffer.length >= FLUSH_CHARS) flush()
    },
    close() {
      flush()
      closeSync(fd)
    },
  }
}
