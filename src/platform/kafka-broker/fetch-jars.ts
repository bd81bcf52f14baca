import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { kafkaInstallDir, kafkaLibsDir } from './kafka-cache-dir.ts'
import { kafkaJarsPom } from './kafka-jars-pom.ts'
import { KAFKA_VERSION } from './kafka-version.ts'
import { logTail } from './log-tail.ts'
import { runLogged } from './run-logged.ts'

const COMPLETE_MARKER = 'fetch-complete'
const PROGRESS_INTERVAL_MS = 5_000

function log(message: string): void {
  console.log(`[kafka] ${message}`)
}

function missingJars(libsDir: string, version: string): string[] {
  const present = new Set(existsSync(libsDir) ? readdirSync(libsDir) : [])
  const required = [`kafka_2.13-${version}.jar`, `kafka-tools-${version}.jar`, `kafka-clients-${version}.jar`]
  const missing = required.filter((jar) => !present.has(jar))
  if (![...present].some((jar) => jar.startsWith('log4j-core-'))) missing.push('log4j-core-*.jar')
  return missing
}

/**
 * Makes sure the broker's jars are in the cache and returns their directory. Downloads once with
 * Maven; the marker file is written last, so an interrupted download is redone from scratch.
 */
export async function fetchKafkaJars(version: string = KAFKA_VERSION): Promise<string> {
  const installDir = kafkaInstallDir(version)
  const libsDir = kafkaLibsDir(version)
  const marker = join(installDir, COMPLETE_MARKER)
  if (existsSync(marker) && missingJars(libsDir, version).length === 0) return libsDir

  const startedAt = Date.now()
  log(`fetching Apache Kafka ${version} jars with Maven into ${libsDir}`)
  rmSync(libsDir, { recursive: true, force: true })
  rmSync(marker, { force: true })
  mkdirSync(installDir, { recursive: true })
  writeFileSync(join(installDir, 'pom.xml'), kafkaJarsPom(version, libsDir))
  const mavenLog = join(installDir, 'maven.log')
  rmSync(mavenLog, { force: true })

  let downloaded = 0
  const progress = setInterval(() => {
    log(`  ... ${Math.round((Date.now() - startedAt) / 1000)} s, ${downloaded} files downloaded so far`)
  }, PROGRESS_INTERVAL_MS)
  let exitCode: number
  try {
    exitCode = await runLogged('mvn', ['--batch-mode', '-f', 'pom.xml', 'dependency:copy-dependencies'], {
      cwd: installDir,
      logPath: mavenLog,
      onOutputLine: (line) => {
        if (line.includes('Downloaded from')) downloaded += 1
      },
    })
  } catch (error) {
    throw new Error(`could not run Maven ('mvn'): is it installed and on PATH? ${String(error)}`)
  } finally {
    clearInterval(progress)
  }
  const missing = missingJars(libsDir, version)
  if (exitCode !== 0 || missing.length > 0) {
    console.error(logTail(mavenLog, 40))
    throw new Error(
      `Maven failed to fetch Kafka ${version} jars (exit ${exitCode}, missing: ${missing.join(', ') || 'none'}); see ${mavenLog}`,
    )
  }
  const jarCount = readdirSync(libsDir).filter((name) => name.endsWith('.jar')).length
  writeFileSync(marker, `${new Date().toISOString()} ${jarCount} jars\n`)
  log(`fetched ${jarCount} jars for Kafka ${version} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`)
  return libsDir
}

if (import.meta.main) {
  const libsDir = await fetchKafkaJars()
  log(`Kafka ${KAFKA_VERSION} jars ready in ${libsDir}`)
}
