import assert from 'node:assert/strict'
import { test } from 'node:test'
import { serializerCompiler } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { serialiseFrozenOnce } from './serialise-frozen-once.ts'

const schema = z.object({ symbol: z.string(), point: z.number() }).strict()
const routeSchema = { schema, method: 'GET', url: '/x', httpStatus: '200' }

test('a frozen response is serialised once; any other every time', () => {
  let calls = 0
  const serialise = serialiseFrozenOnce(() => (data: unknown) => {
    calls += 1
    return JSON.stringify(data)
  })(routeSchema)
  const frozen = Object.freeze({ symbol: 'AAPL', point: 1 })
  assert.deepEqual(
    [serialise(frozen), serialise(frozen), serialise(frozen)],
    Array(3).fill('{"symbol":"AAPL","point":1}'),
  )
  assert.equal(calls, 1)
  const open = { symbol: 'AAPL', point: 1 }
  serialise(open)
  open.point = 2
  assert.equal(serialise(open), '{"symbol":"AAPL","point":2}')
  assert.equal(calls, 3)
})

test('responses are still validated against their zod schema, frozen ones included, each time they fail', () => {
  const serialise = serialiseFrozenOnce(serializerCompiler)(routeSchema)
  assert.equal(serialise(Object.freeze({ symbol: 'AAPL', point: 1 })), '{"symbol":"AAPL","point":1}')
  const invalid = Object.freeze({ symbol: 'AAPL', point: '1' })
  for (let i = 0; i < 2; i += 1)
    assert.throws(() => serialise(invalid), { code: 'FST_ERR_RESPONSE_SERIALIZATION' })
  assert.throws(() => serialise(Object.freeze({ symbol: 'AAPL', point: 1, secret: 'x' })))
})
