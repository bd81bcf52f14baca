// The image built from the unchanged Dockerfile (scripts/build-image.sh): its files and config.
// Skips, saying why, where buildah or the image is absent; .ci/run installs buildah and builds it.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  globSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  imageConfig,
  imageName,
  imageSize,
  imageUnavailable,
  mountImage,
  type MountedImage,
} from './helpers/image.ts'
import { loadDeployTools, runTool } from './helpers/deploy-tools.ts'
import { parseManifests, quotecastImagesOf } from './helpers/manifest.ts'
import { testSupportSources } from './helpers/test-support-sources.ts'

const unavailable = imageUnavailable()
if (unavailable !== undefined) console.log(`# image-build: skipped: ${unavailable}`)

interface LockEntry {
  readonly dev?: boolean
  readonly optional?: boolean
  readonly devOptional?: boolean
}
const lockPackages = (
  JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> }
).packages

/** Every installed package folder under `dir` (`node_modules/a`, `node_modules/a/node_modules/@s/b`, …). */
function installedPackages(appRoot: string, dir = 'node_modules'): string[] {
  const found: string[] = []
  const absolute = join(appRoot, dir)
  if (!existsSync(absolute)) return found
  for (const name of readdirSync(absolute)) {
    if (name.startsWith('.')) continue
    const names = name.startsWith('@')
      ? readdirSync(join(absolute, name)).map((inner) => `${name}/${inner}`)
      : [name]
    for (const packageName of names) {
      const path = `${dir}/${packageName}`
      found.push(path, ...installedPackages(appRoot, `${path}/node_modules`))
    }
  }
  return found
}

/** The image's files under a folder of /app, relative to /app. */
function filesUnder(appRoot: string, folder: string): string[] {
  return globSync(`${folder}/**/*`, { cwd: appRoot }).filter((path) => statSync(join(appRoot, path)).isFile())
}

describe('the image built from the Dockerfile', { skip: unavailable }, () => {
  let mounted: MountedImage
  let app: string
  before(() => {
    mounted = mountImage()
    app = join(mounted.root, 'app')
  })
  after(() => {
    mounted.release()
  })

  it('runs `node src/cli.ts` in /app as uid/gid 1000, with no secret in its environment', (t) => {
    const config = imageConfig()
    t.diagnostic(`${imageName()}: ${imageSize()}`)
    assert.equal(config.User, '1000:1000')
    assert.equal(config.WorkingDir, '/app')
    assert.deepEqual(config.Entrypoint, ['node', 'src/cli.ts'])
    assert.deepEqual(config.Cmd, ['--help'])
    assert.deepEqual(Object.keys(config.ExposedPorts ?? {}).sort(), ['8080/tcp', '9464/tcp'])
    const names = (config.Env ?? []).map((entry) => entry.split('=')[0])
    assert.deepEqual(
      names.filter((name) => /KEY|TOKEN|SECRET|PASSWORD|AUTH/i.test(name ?? '')),
      [],
    )
    assert.ok((config.Env ?? []).includes('NODE_ENV=production'))
  })

  it('holds only the package manifests, the sources, the dashboard, the data and node_modules in /app', () => {
    assert.deepEqual(readdirSync(app).sort(), [
      'data',
      'node_modules',
      'package-lock.json',
      'package.json',
      'src',
      'web',
    ])
    assert.equal(
      readFileSync(join(app, 'package-lock.json'), 'utf8'),
      readFileSync('package-lock.json', 'utf8'),
    )
  })

  it('has the production dependencies of the lockfile and none of its devDependencies', () => {
    const installed = installedPackages(app)
    const dev = installed.filter((path) => lockPackages[path]?.dev === true)
    assert.deepEqual(dev, [], 'devDependencies in the image')
    const unknown = installed.filter((path) => lockPackages[path] === undefined)
    assert.deepEqual(unknown, [], 'packages the lockfile does not list')
    const required = Object.entries(lockPackages)
      .filter(
        ([path, entry]) =>
          path !== '' && entry.dev !== true && entry.optional !== true && entry.devOptional !== true,
      )
      .map(([path]) => path)
    assert.ok(required.length > 50, `${required.length} production packages in the lockfile`)
    assert.deepEqual(
      required.filter((path) => !installed.includes(path)),
      [],
      'production dependencies missing from the image',
    )
  })

  it('ships no test, fixture or test helper (add new ones to .dockerignore)', () => {
    const shipped = [...filesUnder(app, 'src'), ...filesUnder(app, 'web'), ...filesUnder(app, 'data')]
    assert.deepEqual(
      shipped.filter((path) => path.endsWith('.test.ts') || path.split('/').includes('fixtures')),
      [],
    )
    const support = testSupportSources()
    assert.ok(
      support.helpers.includes('src/core/contracts/json-schemas.ts'),
      'the helper analysis finds json-schemas.ts',
    )
    assert.deepEqual(
      support.helpers.filter((path) => shipped.includes(path)),
      [],
      'source files only tests, benchmarks or scripts import',
    )
    assert.deepEqual(
      support.production.filter((path) => !shipped.includes(path)),
      [],
      'files src/cli.ts imports, missing from the image',
    )
  })

  it('carries no credentials: no npm or registry configuration, keys or dotenv files', () => {
    const names = ['.npmrc', '.env', 'id_rsa', 'id_ed25519', '.netrc', '.git-credentials']
    const found = globSync(['app/**/*', 'root/*', 'root/.*', 'home/*/.*', 'usr/local/etc/*'], {
      cwd: mounted.root,
    }).filter((path) => {
      const base = path.split('/').pop() ?? ''
      return names.includes(base) || base.endsWith('.pem') || base.endsWith('.key')
    })
    assert.deepEqual(found, [])
  })

  it('has no npm, npx or corepack (the runtime stage removes them)', () => {
    for (const path of ['usr/local/bin/npm', 'usr/local/bin/npx', 'usr/local/lib/node_modules/npm'])
      assert.equal(existsSync(join(mounted.root, path)), false, path)
  })

  it('is pinned by digest as docs/deploy.md says: pushed with --digestfile, set with kustomize, rendered', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'quotecast-pin-'))
    try {
      const digestFile = join(scratch, 'quotecast.digest')
      // An OCI layout on disk stands in for the registry (none is reachable here).
      const push = spawnSync(
        'buildah',
        ['push', '--quiet', '--digestfile', digestFile, imageName(), `oci:${join(scratch, 'layout')}:pinned`],
        { encoding: 'utf8' },
      )
      assert.equal(push.status, 0, push.stderr)
      const digest = readFileSync(digestFile, 'utf8').trim()
      assert.match(digest, /^sha256:[0-9a-f]{64}$/)
      cpSync('deploy/k8s', join(scratch, 'k8s'), { recursive: true })
      const overlay = join(scratch, 'k8s', 'overlays', 'production')
      const tools = loadDeployTools()
      const edit = spawnSync(
        tools.kustomize.path,
        ['edit', 'set', 'image', `quotecast=registry.example.com/quotecast@${digest}`],
        { cwd: overlay, encoding: 'utf8' },
      )
      assert.equal(edit.status, 0, edit.stderr)
      const rendered = runTool(tools.kustomize.path, ['build', overlay])
      assert.equal(rendered.status, 0, rendered.stderr)
      const images = quotecastImagesOf(parseManifests(rendered.stdout))
      assert.ok(images.length >= 5, `${images.length} quotecast containers`)
      assert.deepEqual([...new Set(images)], [`registry.example.com/quotecast@${digest}`])
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  })
})
