import { existsSync } from 'node:fs'
import { join } from 'node:path'

export function javaExecutable(): string {
  const javaHome = process.env['JAVA_HOME']
  if (javaHome !== undefined && javaHome !== '') {
    const candidate = join(javaHome, 'bin', 'java')
    if (existsSync(candidate)) return candidate
  }
  return 'java'
}

export interface JavaArgsInput {
  libsDir: string
  log4j2ConfigPath: string
  logsDir: string
  heapMb: number
  mainClass: string
  mainArgs: readonly string[]
}

/** JVM flags as Kafka's own `kafka-run-class.sh` sets them, with a small heap for tests. */
export function javaArgs(input: JavaArgsInput): string[] {
  return [
    `-Xms${Math.min(128, input.heapMb)}m`,
    `-Xmx${input.heapMb}m`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${input.log4j2ConfigPath}`,
    `-Dkafka.logs.dir=${input.logsDir}`,
    '-cp',
    join(input.libsDir, '*'),
    input.mainClass,
    ...input.mainArgs,
  ]
}
