import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { runChild } from './run-child.ts'

/**
 * Creates ~/.cache/quotecast/<name> with the pinned `requirements` once (re-installs when the file
 * changes) and returns its python.
 */
export async function ensureVenv(name: string, requirements: string): Promise<string> {
  const venv = join(homedir(), '.cache', 'quotecast', name)
  const python = join(venv, 'bin', 'python')
  const marker = join(venv, 'quotecast-requirements.sha256')
  const wanted = createHash('sha256').update(readFileSync(requirements)).digest('hex')
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return python
  console.log(`  installing ${requirements} into ${venv} (once)`)
  if (!existsSync(python)) await runChild('python3', ['-m', 'venv', venv], { timeoutMs: 120_000 })
  await runChild(
    python,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements],
    { timeoutMs: 600_000 },
  )
  writeFileSync(marker, wanted)
  return python
}
