// `npx quotecast` / `npm exec quotecast` after `npm ci` (issue 14): package.json's bin runs src/cli.ts
// with the Node 24 that the `node` package puts in node_modules/.bin, even where the system Node is older.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

test('npm exec quotecast runs the CLI from package.json bin', () => {
  const bin = (JSON.parse(readFileSync('package.json', 'utf8')) as { bin?: Record<string, string> }).bin
  assert.deepEqual(bin, { quotecast: 'src/cli.ts' })
  assert.match(readFileSync('src/cli.ts', 'utf8'), /^#!\/usr\/bin\/env node\n/)
  const result = spawnSync('npm', ['exec', '--no', '--', 'quotecast', '--help'], { encoding: 'utf8' })
  assert.equal(result.status, 0, result.stderr)
  assert.match(result.stdout, /^Usage: quotecast \[options\] \[command\]/)
  for (const command of ['fetch', 'process', 'train', 'serve', 'run', 'bridge'])
    assert.match(result.stdout, new RegExp(`\\n  ${command}\\b`), command)
})
