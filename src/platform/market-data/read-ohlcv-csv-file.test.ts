import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Bar } from '../../core/contracts/bar.ts'
import { readOhlcvCsvFile } from './read-ohlcv-csv-file.ts'

const dir = mkdtempSync(join(tmpdir(), 'quotecast-csv-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const READER = fileURLToPath(new URL('./read-ohlcv-csv-file.ts', import.meta.url))

test('reads a file into bars oldest first with its report, and names a bad line', async () => {
  const file = join(dir, 'small.csv')
  writeFileSync(
    file,
    'Date,Open,High,Low,Close\r\n2020-01-03,1,2,1,1.5\r\n2020-01-02,null,null,null,null\r\n2020-01-01,1,2,1,1.25\r\n',
  )
  const bars: Bar[] = []
  const report = await readOhlcvCsvFile(file, { symbol: 'X' }, (bar) => bars.push(bar))
  assert.deepEqual(report, {
    ok: true,
    value: { bars: 2, interval: '1d', nullRows: 1, nullLines: [3], isNewestFirst: true, hasVolume: false },
  })
  assert.deepEqual(
    bars.map((bar) => bar.close),
    [1.25, 1.5],
  )
  writeFileSync(file, 'Date,Open,High,Low,Close\n2020-01-01,1,2,1,1.5\n2020-01-02,1,2,1,3\n')
  assert.deepEqual(await readOhlcvCsvFile(file, { symbol: 'X' }, () => undefined), {
    ok: false,
    error: 'line 3: close 3 is above high 2',
  })
  const missing = await readOhlcvCsvFile(join(dir, 'missing.csv'), { symbol: 'X' }, () => undefined)
  assert.ok(!missing.ok && missing.error.startsWith('cannot read: ENOENT'))
})

test('memory stays flat with file size: 1.2 million rows (48 MB) read within a 32 MB heap', async () => {
  const file = join(dir, 'large.csv')
  const rows = 1_200_000
  const out = createWriteStream(file)
  out.write('date,open,high,low,close,volume\n')
  const start = Date.UTC(1990, 0, 1, 14, 30)
  for (let i = 0; i < rows; i += 10_000) {
    let block = ''
    for (let j = i; j < i + 10_000; j++)
      block += `${String((start + j * 60_000) / 1000)},100.25,101.5,99.75,100.5,${String(1000 + (j % 977))}\n`
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  await new Promise<void>((resolve) => out.end(() => resolve()))
  assert.ok(statSync(file).size > 45e6)
  // The whole file as one string, before splitting it, would not fit in this heap.
  const script = `
    import { readOhlcvCsvFile } from ${JSON.stringify(READER)}
    let n = 0, firstHeap = 0, maxHeap = 0
    const report = await readOhlcvCsvFile(${JSON.stringify(file)}, { symbol: 'X' }, () => {
      if (++n % 200000 === 0) { globalThis.gc(); const heap = process.memoryUsage().heapUsed; firstHeap ||= heap; maxHeap = Math.max(maxHeap, heap) }
    })
    process.stdout.write(JSON.stringify({ ok: report.ok, bars: n, firstHeap, maxHeap }))`
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=32', '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  )
  assert.equal(child.status, 0, child.stderr.slice(0, 2000))
  const result = JSON.parse(child.stdout) as {
    ok: boolean
    bars: number
    firstHeap: number
    maxHeap: number
  }
  assert.deepEqual([result.ok, result.bars], [true, rows])
  // The heap after a full GC, every 200,000 rows, does not grow with the rows read.
  const growth = result.maxHeap - result.firstHeap
  assert.ok(growth < 2 ** 20, `post-GC heap grew ${String(growth)} bytes from ${String(result.firstHeap)}`)
})
