import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const CLI = fileURLToPath(new URL('../../cli.ts', import.meta.url))
const ENV = {
  ...process.env,
  KAFKA_BOOTSTRAP_SERVERS: '',
  QUOTECAST_EXTRA_CLOSURES: '',
  QUOTECAST_PROVIDERS: '',
  ALPHAVANTAGE_API_KEY: undefined,
}
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: ENV })

test('run and fetch --watch read --extra-closures and the provider settings: a bad value exits 2 naming the setting', () => {
  for (const command of [['run'], ['fetch', '--watch']]) {
    const bad = cli(...command, '--extra-closures', 'US:2025-02-30')
    assert.equal(bad.status, 2, `${command.join(' ')}: ${bad.stderr}`)
    assert.match(bad.stderr, /--extra-closures \/ QUOTECAST_EXTRA_CLOSURES = "US:2025-02-30"/)
  }
  const provider = cli('run', '--provider', 'bloomberg')
  assert.equal(provider.status, 2)
  assert.match(provider.stderr, /--provider \/ QUOTECAST_PROVIDERS = "bloomberg"/)
  const missingKey = cli('run', '--provider', 'alphavantage')
  assert.equal(missingKey.status, 2)
  assert.match(missingKey.stderr, /quotecast run: the alphavantage provider needs an API key/)
  const emptyKey = cli('run', '--provider', 'alphavantage', '--alphavantage-key', '')
  assert.equal(emptyKey.status, 2)
  assert.match(emptyKey.stderr, /--alphavantage-key \/ ALPHAVANTAGE_API_KEY = \(hidden\)/)
})

test('run --help lists the fetcher’s provider and watch settings', () => {
  const help = cli('run', '--help').stdout
  for (const flag of [
    '--provider',
    '--yahoo-base-url',
    '--watch-interval-sec',
    '--extra-closures',
    '--request-budget',
  ])
    assert.ok(help.includes(flag), flag)
})
