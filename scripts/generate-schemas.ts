// Writes docs/schemas/*.schema.json from the zod contracts, the one schema source.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { contractJsonSchemas } from '../src/core/contracts/json-schemas.ts'

const outDir = join(import.meta.dirname, '..', 'docs', 'schemas')
mkdirSync(outDir, { recursive: true })
for (const [name, schema] of Object.entries(contractJsonSchemas())) {
  writeFileSync(join(outDir, `${name}.schema.json`), JSON.stringify(schema, null, 2) + '\n')
  process.stdout.write(`wrote docs/schemas/${name}.schema.json\n`)
}
