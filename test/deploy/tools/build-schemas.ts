// Builds the JSON schemas kubeconform reads offline (run by scripts/install-deploy-tools.sh):
//  - Kubernetes: the strict schemas that the kubernetes-validate package ships, with their
//    references made relative so that kubeconform resolves them from disk;
//  - custom resources: each CRD's openAPIV3Schema turned into a strict JSON schema, the way
//    kubeconform's openapi2jsonschema.py does, but leaving the branches of oneOf/anyOf/allOf/not
//    open (in a structural schema they only constrain, they do not list every field).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parseAllDocuments } from 'yaml'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = Record<string, Json>

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'
const COMBINATORS = new Set(['allOf', 'anyOf', 'oneOf'])

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json
}

/** kubernetes-validate's schemas refer to `/api/_definitions.json` under an https `$id`; kubeconform needs a file path. */
function localiseReferences(node: Json): Json {
  if (Array.isArray(node)) return node.map(localiseReferences)
  if (!isObject(node)) return node
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === '$id') continue
    out[key] =
      key === '$ref' && typeof value === 'string'
        ? value.replace(/^\/api\/_definitions\.json#/, '_definitions.json#')
        : localiseReferences(value)
  }
  return out
}

function buildKubernetesSchemas(source: string, versions: readonly string[], out: string): void {
  for (const version of versions) {
    const from = join(source, `v${version}-local-strict`)
    const to = join(out, 'kubernetes', `v${version}-standalone-strict`)
    mkdirSync(to, { recursive: true })
    const files = readdirSync(from).filter((name) => name.endsWith('.json'))
    for (const name of files) {
      writeFileSync(join(to, name), JSON.stringify(localiseReferences(readJson(join(from, name)))))
    }
    console.log(`kubernetes ${version}: ${files.length} schemas`)
  }
}

/** Rejects unknown fields wherever a schema lists its properties, except in combinator branches. */
export function strictSchema(node: Json, isBranch = false): Json {
  if (Array.isArray(node)) return node.map((item) => strictSchema(item, isBranch))
  if (!isObject(node)) return node
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(node)) {
    if (COMBINATORS.has(key) && Array.isArray(value))
      out[key] = value.map((branch) => strictSchema(branch, true))
    else if (key === 'not') out[key] = strictSchema(value, true)
    else if (key === 'properties' && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, strictSchema(schema)]),
      )
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value))
      out[key] = strictSchema(value)
    else out[key] = value
  }
  if (out['nullable'] === true && typeof out['type'] === 'string') out['type'] = [out['type'], 'null']
  delete out['nullable']
  if (out['x-kubernetes-int-or-string'] === true && out['type'] === undefined && out['anyOf'] === undefined) {
    out['anyOf'] = [{ type: 'integer' }, { type: 'string' }]
  }
  const isOpen = out['x-kubernetes-preserve-unknown-fields'] === true
  if (isObject(out['properties']) && !isBranch && !isOpen && out['additionalProperties'] === undefined) {
    out['additionalProperties'] = false
  }
  return out
}

function crdSchema(group: string, version: string, kind: string, openApi: JsonObject): JsonObject {
  const schema = strictSchema(openApi) as JsonObject
  const properties = isObject(schema['properties']) ? schema['properties'] : {}
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...schema,
    properties: {
      ...properties,
      apiVersion: { type: 'string', enum: [`${group}/${version}`] },
      kind: { type: 'string', enum: [kind] },
      metadata: { $ref: `../_definitions.json#/$defs/${OBJECT_META}` },
    },
    required: [...new Set(['apiVersion', 'kind', 'metadata', ...asStrings(schema['required'])])],
    additionalProperties: false,
  }
}

function asStrings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

function buildCrdSchemas(crdDirs: readonly string[], definitions: string, out: string): void {
  const root = join(out, 'crds')
  mkdirSync(root, { recursive: true })
  copyFileSync(definitions, join(root, '_definitions.json'))
  for (const dir of crdDirs) {
    for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name))) {
      for (const document of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
        const crd = document.toJS() as Json
        if (!isObject(crd) || crd['kind'] !== 'CustomResourceDefinition' || !isObject(crd['spec'])) continue
        const { group, names, versions } = crd['spec']
        if (typeof group !== 'string' || !isObject(names) || typeof names['kind'] !== 'string') continue
        for (const version of Array.isArray(versions) ? versions : []) {
          if (!isObject(version) || typeof version['name'] !== 'string' || !isObject(version['schema']))
            continue
          const openApi = version['schema']['openAPIV3Schema']
          if (!isObject(openApi)) continue
          const target = join(root, group, `${names['kind'].toLowerCase()}_${version['name']}.json`)
          mkdirSync(join(root, group), { recursive: true })
          writeFileSync(
            target,
            JSON.stringify(crdSchema(group, version['name'], names['kind'], openApi), null, 1),
          )
          console.log(`crd ${group}/${version['name']} ${names['kind']}`)
        }
      }
    }
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      'kubernetes-source': { type: 'string' },
      'kubernetes-versions': { type: 'string' },
      crds: { type: 'string', multiple: true },
    },
  })
  const out = values.out
  const source = values['kubernetes-source']
  const versions = (values['kubernetes-versions'] ?? '').split(',').filter((version) => version !== '')
  const oldest = versions[0]
  if (out === undefined || source === undefined || oldest === undefined) {
    console.error(
      'usage: build-schemas.ts --out DIR --kubernetes-source DIR --kubernetes-versions 1.33.0,... [--crds DIR ...]',
    )
    process.exit(2)
  }
  rmSync(out, { recursive: true, force: true })
  buildKubernetesSchemas(source, versions, out)
  const definitions = join(out, 'kubernetes', `v${oldest}-standalone-strict`, '_definitions.json')
  buildCrdSchemas(values.crds ?? [], definitions, out)
}

if (import.meta.main) main()
