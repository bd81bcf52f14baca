import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readCsvLines } from './read-csv-lines.ts'

async function linesOf(chunks: readonly string[], maxLineChars = 10): Promise<string[]> {
  const lines: string[] = []
  for await (const line of readCsvLines(chunks, maxLineChars)) lines.push(line)
  return lines
}

test('splits on LF, CRLF and CR, wherever the chunks break', async () => {
  const cases: [string[], string[]][] = [
    [['a\nb\r\nc\rd'], ['a', 'b', 'c', 'd']],
    [
      ['a\r', '\nb\r', 'c'],
      ['a', 'b', 'c'],
    ],
    [
      ['a', 'b\n', '\n', 'c\n'],
      ['ab', '', 'c'],
    ],
    [['\r\r\r'], ['', '', '']],
    [['a\r\n'], ['a']],
    [[], []],
  ]
  for (const [chunks, lines] of cases) assert.deepEqual(await linesOf(chunks), lines, JSON.stringify(chunks))
})

test('cuts an overlong line to one character past the limit and drops the rest of it', async () => {
  assert.deepEqual(await linesOf(['0123456789abc', 'def\nok\n'], 10), ['0123456789a', 'ok'])
  assert.deepEqual(await linesOf(['0123456789\n'], 10), ['0123456789'])
})
