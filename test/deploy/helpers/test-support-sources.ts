import { globSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'

const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)].map((match) =>
    normalize(join(dirname(file), match[1] ?? '')),
  )
}

export interface SourceSplit {
  /** Sources src/cli.ts imports, directly or not: the image must hold them. */
  readonly production: string[]
  /**
   * Sources src/cli.ts does not import that a test, a benchmark or a script does (other than a
   * file's own `x.test.ts`): test helpers, which the image must not hold.
   */
  readonly helpers: string[]
}

/** Splits the non-test sources under src/ by the relative imports of the working tree. */
export function testSupportSources(): SourceSplit {
  const production = new Set<string>()
  const pending = ['src/cli.ts']
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (production.has(file)) continue
    production.add(file)
    pending.push(...importsOf(file))
  }
  const importers = new Map<string, string[]>()
  for (const file of globSync('{src,test,bench,scripts}/**/*.ts')) {
    for (const imported of importsOf(file))
      importers.set(imported, [...(importers.get(imported) ?? []), file])
  }
  const helpers = globSync('src/**/*.ts')
    .filter((file) => !file.endsWith('.test.ts') && !production.has(file))
    .filter((file) =>
      (importers.get(file) ?? []).some((importer) => importer !== file.replace(/\.ts$/, '.test.ts')),
    )
  return { production: [...production].sort(), helpers: helpers.sort() }
}
