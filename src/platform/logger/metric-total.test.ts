import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Counter, Registry } from 'prom-client'
import { metricTotal } from './metric-total.ts'

test('sums a counter over its labels, and knows no metric it was not given', async () => {
  const registry = new Registry()
  const counter = new Counter({ name: 'x_total', help: 'x', labelNames: ['kind'], registers: [registry] })
  assert.equal(await metricTotal(registry, 'x_total'), 0)
  counter.inc({ kind: 'quote' }, 2)
  counter.inc({ kind: 'bar' })
  assert.equal(await metricTotal(registry, 'x_total'), 3)
  assert.equal(await metricTotal(registry, 'y_total'), undefined)
})
