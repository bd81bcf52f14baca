import { homedir } from 'node:os'
import { join } from 'node:path'

/** Cache root outside the clone, so CI and later runs reuse downloads: `$QUOTECAST_CACHE` or ~/.cache/quotecast. */
export function quotecastCacheDir(): string {
  const fromEnv = process.env['QUOTECAST_CACHE']
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homedir(), '.cache', 'quotecast')
}

export function kafkaInstallDir(version: string): string {
  return join(quotecastCacheDir(), `kafka-${version}`)
}

export function kafkaLibsDir(version: string): string {
  return join(kafkaInstallDir(version), 'libs')
}
