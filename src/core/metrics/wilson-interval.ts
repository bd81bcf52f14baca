/**
 * Wilson score interval for a binomial proportion (default 95 %, z = 1.96): unlike p̂ ± z·se it
 * stays inside [0, 1] and is honest for small n. Null when there are no trials.
 */
export function wilsonInterval(
  successes: number,
  trials: number,
  z = 1.959963984540054,
): [number, number] | null {
  if (trials <= 0) return null
  const p = successes / trials
  const z2 = z * z
  const denominator = 1 + z2 / trials
  const centre = (p + z2 / (2 * trials)) / denominator
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))
  return [Math.max(0, centre - half), Math.min(1, centre + half)]
}
