import type { Registry } from 'prom-client'

/** The sum over every label set of a counter in `registry`; undefined when no such metric is registered. */
export async function metricTotal(registry: Registry, name: string): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name)
  if (metric === undefined) return undefined
  const { values } = await metric.get()
  return values.reduce((sum, entry) => sum + entry.value, 0)
}
