import assert from 'node:assert/strict'
import { test } from 'node:test'
import { quoteForMessage } from './quote-for-message.ts'

test('quotes text with controls, DEL, C1 and bidi characters escaped', () => {
  const cases = [
    ['AAPL', '"AAPL"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\x1b[2J\x1b]0;x\x07', '"\\x1b[2J\\x1b]0;x\\x07"'],
    ['a\r\nb\tc\x7f\x9b', '"a\\r\\nb\\tc\\x7f\\x9b"'],
    ['\u202egnp.exe\u2028', '"\\u202egnp.exe\\u2028"'],
  ] as const
  for (const [text, quoted] of cases) assert.equal(quoteForMessage(text), quoted)
})

test('cuts long text, saying how much was left out', () => {
  assert.equal(quoteForMessage('abcdef', 4), '"abcd"… (2 more characters)')
  assert.ok(quoteForMessage('\r'.repeat(40_000_000), 100).length < 250)
})
