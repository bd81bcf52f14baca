import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { Counter, Registry } from 'prom-client'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import { realSeriesSteps } from '../../../test/fixtures/predictor/real-series-steps.ts'
import { toRecords } from '../../../test/fixtures/predictor/to-records.ts'
import { startPredictionService } from './start-prediction-service.ts'

test('startPredictionService serves what the topics hold once restored, and stops on its signal', async () => {
  const bus = new MemoryBus()
  await bus.ensureTopics(topicSpecs(2, 'demo.'))
  const steps = realSeriesSteps('^GSPC', 300)
  await bus.produce(toRecords(steps, 'demo.'))
  const controller = new AbortController()
  const service = await startPredictionService({
    bus,
    logger: pino({ level: 'silent' }),
    port: 0,
    host: '127.0.0.1',
    topicPrefix: 'demo.',
    signal: controller.signal,
  })
  try {
    assert.match(service.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    await service.restored
    const response = await service.app.inject({ url: '/api/v1/predictions/%5EGSPC' })
    assert.equal(response.statusCode, 200)
    assert.equal(response.json<{ point: number }>().point, steps.at(-1)!.prediction!.point)
    assert.equal((await service.app.inject({ url: '/readyz' })).statusCode, 200)
  } finally {
    controller.abort()
    await service.stopped
    await service.close()
    await bus.close()
  }
})

test('/metrics also serves the metrics of the stages in the same process (quotecast run)', async () => {
  const bus = new MemoryBus()
  const stageMetrics = new Registry()
  new Counter({ name: 'quotecast_trainer_rows_total', help: 'rows', registers: [stageMetrics] }).inc(3)
  const service = await startPredictionService({
    bus,
    logger: pino({ level: 'silent' }),
    port: 0,
    host: '127.0.0.1',
    stageMetrics,
  })
  try {
    const lines = (await service.app.inject({ url: '/metrics' })).body.split('\n')
    assert.ok(lines.includes('quotecast_trainer_rows_total 3'), 'the stage counter is missing')
    assert.ok(
      lines.some((line) => line.startsWith('quotecast_predictor_view_size')),
      'the own metrics are missing',
    )
  } finally {
    await service.close()
    await bus.close()
  }
})

test('with a metrics port, /metrics answers there and not on the public port, which an Ingress routes', async () => {
  const bus = new MemoryBus()
  const service = await startPredictionService({
    bus,
    logger: pino({ level: 'silent' }),
    port: 0,
    metricsPort: 0,
  })
  try {
    assert.match(service.boundTo, /^127\.0\.0\.1:\d+$/, 'the default listen address is 127.0.0.1')
    assert.equal((await service.app.inject({ url: '/metrics' })).statusCode, 404)
    assert.ok(service.metricsPort !== undefined)
    const metricsUrl = `http://127.0.0.1:${service.metricsPort}`
    const metrics = await fetch(`${metricsUrl}/metrics`)
    assert.equal(metrics.status, 200)
    assert.match(await metrics.text(), /^quotecast_predictor_view_size/m)
    await service.restored
    assert.equal((await fetch(`${metricsUrl}/readyz`)).status, 200)
  } finally {
    await service.close()
    await bus.close()
  }
})
