import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { evaluateCsv } from './evaluate-csv.ts'

const AAPL = fileURLToPath(new URL('../../../data/aapl.csv', import.meta.url))
const CLI = fileURLToPath(new URL('../../cli.ts', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'quotecast-evaluate-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const fileWith = (name: string, text: string): string => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

test('scores every model on a real series, naive first, and names the model it would serve', async () => {
  const result = await evaluateCsv({ file: AAPL, symbol: 'AAPL', window: {} })
  assert.ok(result.ok)
  const { models, served, rows } = result.value
  assert.equal(rows, 1260)
  assert.deepEqual(
    models.map((m) => m.model),
    ['naive', 'rls', 'rls-r1', 'median'],
  )
  assert.equal(models[0]?.mase, 1)
  assert.ok(models.every((m) => m.n > 1200 && Math.abs((m.coverage95 ?? 0) - 0.95) < 0.02))
  assert.equal(served, 'naive')
})

test('bad input is an error value that names the file and the problem', async () => {
  const cases = [
    { file: join(dir, 'missing.csv'), error: /cannot read .*missing\.csv/ },
    {
      file: fileWith('no-volume.csv', 'date,open,high,low,close\n2020-01-02,1,2,1,2\n'),
      error: /no-volume\.csv: .*"volume"/,
    },
    {
      file: fileWith('bad-close.csv', 'date,open,high,low,close,volume\n2020-01-02,1,2,1,x,5\n'),
      error: /line 2: close "x"/,
    },
    { file: fileWith('header-only.csv', 'date,open,high,low,close,volume\n'), error: /no data rows/ },
  ]
  for (const { file, error } of cases) {
    const result = await evaluateCsv({ file, symbol: 'TEST', window: {} })
    assert.ok(!result.ok)
    assert.match(result.error, error)
  }
})

test('the command prints one JSON object, and exits 2 naming the problem on bad input', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'evaluate', ...args], { encoding: 'utf8' })
  const ok = run('--csv', AAPL, '--from', '2015-01-01', '--to', '2015-12-31', '--json')
  assert.equal(ok.status, 0, ok.stderr)
  const json = JSON.parse(ok.stdout) as {
    served: string
    scored: { n: number; from: string; to: string }
    models: { model: string; coverage80: number }[]
  }
  assert.equal(json.served, 'naive')
  assert.deepEqual(json.scored, { n: 252, from: '2015-01-02', to: '2015-12-31' })
  assert.ok(json.models.every((m) => m.coverage80 > 0 && m.coverage80 < 1))
  const bad = run('--csv', fileWith('bad.csv', 'when,price\n2020-01-01,3\n'))
  assert.equal(bad.status, 2)
  assert.match(bad.stderr, /bad\.csv: line 1: no "date" column/)
  assert.equal(run('--csv', AAPL, '--to', '2015-02-30').status, 2)
})

test('--extra-closures moves the session the last forecast is for; a bad list exits 2 naming the setting', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'evaluate', '--csv', AAPL, '--json', ...args], {
      encoding: 'utf8',
      env: { ...process.env, QUOTECAST_EXTRA_CLOSURES: '' },
    })
  const forecastFor = (...args: string[]): unknown => {
    const result = run(...args)
    assert.equal(result.status, 0, result.stderr)
    return (JSON.parse(result.stdout) as { forecastFor: unknown }).forecastFor
  }
  // The file ends on Friday 11 May 2018.
  assert.equal(forecastFor(), '2018-05-14')
  assert.equal(forecastFor('--extra-closures', 'US:2018-05-14'), '2018-05-15')
  const bad = run('--extra-closures', 'XX:2018-05-14')
  assert.equal(bad.status, 2)
  assert.match(bad.stderr, /--extra-closures \/ QUOTECAST_EXTRA_CLOSURES/)
})
