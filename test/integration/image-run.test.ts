// The system run from the image (scripts/build-image.sh) against the real broker: every command a
// process in the image's root filesystem, read-only, as uid 1000 with only /tmp writable, on the
// host's network. Skips, saying why, where buildah or the image is absent.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TOPICS } from '../../src/core/contracts/topics.ts'
import { imageUnavailable } from '../deploy/helpers/image.ts'
import { ImageSandbox } from '../deploy/helpers/image-sandbox.ts'
import { kafkaBootstrap, uniqueTopicPrefix } from '../helpers/kafka.ts'
import { apiRequests, referenceAnswers, referenceApp } from '../support/api-reference.ts'
import { bundledSeries } from '../support/bundled-quotes.ts'
import { assertSameBySymbol, valuesByKey } from '../support/compare-outputs.ts'
import { expectedOutputs } from '../support/expected-outputs.ts'
import { KafkaProbe } from '../support/kafka-probe.ts'
import { ServiceProcess, stopServices, type QuotecastCommand } from '../support/services.ts'
import { settledAnswers } from '../support/settled-answers.ts'

const unavailable = imageUnavailable()
if (unavailable !== undefined) console.log(`# image-run: skipped: ${unavailable}`)

describe('the system run from the image', { skip: unavailable }, () => {
  let sandbox: ImageSandbox
  let probe: KafkaProbe
  const services: ServiceProcess[] = []
  before(() => {
    sandbox = ImageSandbox.open()
    probe = new KafkaProbe(kafkaBootstrap())
  })
  after(async () => {
    await stopServices(services, 'SIGKILL')
    await probe.close()
    sandbox.close()
  })

  const inImage = (command: QuotecastCommand, prefix: string, args: readonly string[]): ServiceProcess => {
    const background = command === 'process' || command === 'train' ? ['--health-port', '0'] : []
    const serve = command === 'serve' ? ['--port', '0', '--host', '127.0.0.1'] : []
    const child = sandbox.spawn({
      args: [
        command,
        '--kafka',
        kafkaBootstrap(),
        '--topic-prefix',
        prefix,
        ...background,
        ...serve,
        ...args,
      ],
    })
    const service = new ServiceProcess(`${command} (image)`, child)
    services.push(service)
    return service
  }
  const runToEnd = async (
    command: QuotecastCommand,
    prefix: string,
    args: readonly string[],
  ): Promise<ServiceProcess> => {
    const service = inImage(command, prefix, args)
    const timer = setTimeout(() => service.child.kill('SIGKILL'), 120_000)
    await service.exited
    clearTimeout(timer)
    return service
  }

  test('its root filesystem is read-only for uid 1000, with only /tmp writable', async () => {
    const script = [
      'const fs = require("node:fs")',
      'const tries = ["/app/src/x", "/app/x", "/home/node/x", "/var/tmp/x", "/etc/x", "/tmp/x"]',
      'for (const path of tries) { let result = "written"',
      '  try { fs.writeFileSync(path, "x") } catch (error) { result = error.code }',
      '  console.log(path, result) }',
      'console.log("uid", process.getuid(), "gid", process.getgid())',
    ].join('\n')
    const child = sandbox.spawn({ command: ['node', '-e', script], args: [] })
    const service = new ServiceProcess('write probe (image)', child)
    const exit = await service.exited
    assert.equal(exit.code, 0, service.output)
    assert.equal(
      service.stdout,
      [
        '/app/src/x EROFS',
        '/app/x EROFS',
        '/home/node/x EROFS',
        '/var/tmp/x EROFS',
        '/etc/x EROFS',
        '/tmp/x written',
        'uid 1000 gid 1000',
        '',
      ].join('\n'),
    )
  })

  test(
    'topics, backfill, process, train and serve from the image answer as the core computes; fetch publishes',
    { timeout: 240_000 },
    async (t) => {
      const startedAt = Date.now()
      const aapl = await bundledSeries('aapl')
      const expected = expectedOutputs([aapl.bars])
      const prefix = `${uniqueTopicPrefix('image-run')}.`

      const topics = await runToEnd('topics', prefix, ['--partitions', '3'])
      assert.equal(topics.describeExit(), 'exit code 0', topics.output)
      assert.match(topics.output, new RegExp(`"topic":"${prefix.replaceAll('.', '\\.')}quotes"`))

      const [, , apiUrl] = await Promise.all([
        inImage('process', prefix, []).waitReady(),
        inImage('train', prefix, []).waitReady(),
        inImage('serve', prefix, ['--partitions', '3']).waitReady(),
      ])
      const backfill = await runToEnd('backfill', prefix, [
        '--provider',
        'replay',
        '--symbols',
        'AAPL',
        '--from',
        '2000-01-01',
      ])
      assert.equal(backfill.describeExit(), 'exit code 0', backfill.output)

      await probe.waitForCaughtUp(`${prefix}quotecast-processor`, `${prefix}${TOPICS.quotes}`, {
        timeoutMs: 90_000,
      })
      await probe.waitForCaughtUp(`${prefix}quotecast-trainer`, `${prefix}${TOPICS.features}`, {
        timeoutMs: 90_000,
      })
      assertSameBySymbol(
        valuesByKey(await probe.read(`${prefix}${TOPICS.predictions}`)),
        expected.predictions,
        'predictions',
      )
      assert.deepEqual(await probe.read(`${prefix}${TOPICS.deadLetters}`), [])

      const requests = apiRequests(expected)
      const reference = await referenceAnswers(await referenceApp(expected), requests)
      const answers = await settledAnswers(apiUrl, requests, reference, 30_000)
      assert.equal(answers.size, requests.length)
      for (const [key, answer] of answers) assert.deepEqual(answer, reference.get(key), key)
      const latest = answers.get('/api/v1/predictions/AAPL') as
        { status: number; body: { symbol?: unknown } } | undefined
      assert.equal(latest?.status, 200, 'the API served from the image has a prediction for AAPL')
      assert.equal(latest.body.symbol, 'AAPL')

      // fetch (the CronJob's command) with the replay provider, on topics of its own.
      const fetchPrefix = `${uniqueTopicPrefix('image-fetch')}.`
      assert.equal(
        (await runToEnd('topics', fetchPrefix, ['--partitions', '3'])).describeExit(),
        'exit code 0',
      )
      const fetch = await runToEnd('fetch', fetchPrefix, [
        '--provider',
        'replay',
        '--symbols',
        '^GSPC,AAPL',
        '--replay-from',
        '2015-06-01',
      ])
      assert.equal(fetch.describeExit(), 'exit code 0', fetch.output)
      assert.match(
        fetch.stdout,
        /^\^GSPC\s+published\s+2111\.72998 USD as of 2015-06-01T00:00:00\.000Z from replay$/m,
      )
      assert.match(fetch.stdout, /^all 2 symbols published$/m)
      assert.equal((await probe.read(`${fetchPrefix}${TOPICS.quotes}`)).length, 2)
      t.diagnostic(
        `topics, backfill, process, train, serve and fetch from the image in ${Date.now() - startedAt} ms`,
      )
    },
  )
})
