import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { topicSpecs } from '../../core/contracts/topics.ts'
import { MemoryBus } from '../../platform/bus/memory-bus.ts'
import { realSeriesSteps } from './fixtures/real-series-steps.ts'
import { toRecords } from './fixtures/to-records.ts'
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
