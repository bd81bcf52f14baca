import { join } from 'node:path'
import { fetchKafkaJars } from '../../src/platform/kafka-broker/fetch-jars.ts'
import { javaExecutable } from '../../src/platform/kafka-broker/java-command.ts'
import { runChild } from '../support/run-child.ts'

export interface KafkaPerfOptions {
  readonly bootstrap: string
  readonly topic: string
  readonly records: number
  readonly recordSize: number
}

const TOOL_TIMEOUT_MS = 300_000

function parseProduced(stdout: string): { perSecond: number; line: string } {
  const lines = stdout.split('\n').filter((line) => /records sent, [\d.]+ records\/sec/.test(line))
  // With --warmup-records the tool prints the steady-state summary after the overall one.
  const line = lines.find((candidate) => /steady state/i.test(candidate)) ?? lines.at(-1)
  const match = line === undefined ? null : /([\d.]+) records\/sec/.exec(line)
  if (line === undefined || match === null)
    throw new Error(`ProducerPerformance printed no summary:\n${stdout}`)
  return { perSecond: Number(match[1]), line: line.trim() }
}

function parseConsumed(stdout: string): { perSecond: number; line: string } {
  const lines = stdout.trim().split('\n')
  const headerAt = lines.findIndex((line) => line.includes('fetch.nMsg.sec'))
  const header = lines[headerAt]?.split(',').map((name) => name.trim()) ?? []
  const values = lines[headerAt + 1]?.split(',').map((value) => value.trim()) ?? []
  const perSecond = Number(values[header.indexOf('fetch.nMsg.sec')])
  if (headerAt < 0 || !Number.isFinite(perSecond))
    throw new Error(`ConsumerPerformance printed no summary:\n${stdout}`)
  return { perSecond, line: header.map((name, i) => `${name}=${values[i] ?? ''}`).join(', ') }
}

const java = async (mainClass: string, args: readonly string[], heapMb = 512) =>
  runChild(
    javaExecutable(),
    [`-Xmx${heapMb}m`, '-cp', join(await fetchKafkaJars(), '*'), mainClass, ...args],
    {
      timeoutMs: TOOL_TIMEOUT_MS,
    },
  )

/**
 * ProducerPerformance (kafka-tools, the broker's version) on `topic` with quotecast's message size
 * and delivery settings (acks=all, idempotent), its own defaults otherwise unless `properties` say.
 */
export async function runProducerPerformance(
  options: KafkaPerfOptions,
  properties: readonly string[] = [],
): Promise<{ perSecond: number; line: string }> {
  const { stdout } = await java('org.apache.kafka.tools.ProducerPerformance', [
    '--bootstrap-server',
    options.bootstrap,
    '--topic',
    options.topic,
    '--num-records',
    String(options.records),
    '--warmup-records',
    String(Math.floor(options.records / 5)),
    '--record-size',
    String(options.recordSize),
    '--throughput',
    '-1',
    '--command-property',
    'acks=all',
    'enable.idempotence=true',
    ...properties,
  ])
  return parseProduced(stdout)
}

/** ConsumerPerformance reading `records` records of `topic` back, read_committed as quotecast reads. */
export async function runConsumerPerformance(
  options: KafkaPerfOptions,
): Promise<{ perSecond: number; line: string }> {
  const { stdout } = await java('org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server',
    options.bootstrap,
    '--topic',
    options.topic,
    '--num-records',
    String(options.records),
    '--timeout',
    '60000',
    '--command-property',
    'isolation.level=read_committed',
  ])
  return parseConsumed(stdout)
}

export interface KafkaLatency {
  readonly p50Ms: number
  readonly p99Ms: number
  readonly meanMs: number
}

/**
 * Kafka's EndToEndLatency tool: one record at a time produced (acks=all) and consumed back on
 * `topic`, the round trip of one hop through the broker.
 */
export async function runKafkaEndToEndLatency(options: KafkaPerfOptions): Promise<KafkaLatency> {
  const { stdout } = await java(
    'org.apache.kafka.tools.EndToEndLatency',
    [options.bootstrap, options.topic, String(options.records), 'all', String(options.recordSize)],
    256,
  )
  const mean = /Avg latency: ([\d.]+) ms/.exec(stdout)
  const percentiles = /Percentiles: 50th = (\d+), 99th = (\d+)/.exec(stdout)
  if (mean === null || percentiles === null) throw new Error(`EndToEndLatency printed no summary:\n${stdout}`)
  return { meanMs: Number(mean[1]), p50Ms: Number(percentiles[1]), p99Ms: Number(percentiles[2]) }
}
