import { execFileSync } from 'node:child_process'
import { cpus, loadavg, release, totalmem, type } from 'node:os'
import { KAFKA_VERSION } from '../../src/platform/kafka-broker/kafka-version.ts'

export interface MachineInfo {
  readonly date: string
  readonly cpu: string
  readonly cores: number
  readonly memoryGiB: number
  readonly os: string
  readonly node: string
  readonly kafka: string
  readonly commit: string
  /** 1-minute load average when the run started: other work on the machine shows here. */
  readonly loadAtStart: number
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    const isDirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== ''
    return isDirty ? `${head} + uncommitted changes` : head
  } catch {
    return 'unknown'
  }
}

export function describeMachine(): MachineInfo {
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    kafka: KAFKA_VERSION,
    commit: gitCommit(),
    loadAtStart: loadavg()[0] ?? Number.NaN,
  }
}
