/**
 * The start of the bar that contains `atMs`: the interval grid laid from the exchange's local
 * midnight, `floor((atMs + utcOffsetMs) / intervalMs) * intervalMs - utcOffsetMs`, in exact
 * integer arithmetic. With a zero offset (or any whole-hour offset and an interval of an hour or
 * less) this is the plain UTC grid `floor(atMs / intervalMs) * intervalMs`.
 */
export function barStart(atMs: number, intervalMs: number, utcOffsetMs: number): number {
  const into = (atMs + utcOffsetMs) % intervalMs
  return atMs - (into < 0 ? into + intervalMs : into)
}
