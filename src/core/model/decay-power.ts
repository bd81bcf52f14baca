/** Past this, 1 − decay^n may take too many steps to reach 1 for a table: use `**` itself. */
const MAX_TABLE_DECAY = 0.9999
const MAX_TABLE_LENGTH = 1 << 17

let tableDecay = Number.NaN
let table: Float64Array = new Float64Array(0)

function tableOf(decay: number): Float64Array {
  const values: number[] = []
  for (let n = 0; n < MAX_TABLE_LENGTH; n++) {
    const value = 1 - decay ** n
    values.push(value)
    if (value === 1) break
  }
  return Float64Array.from(values)
}

/**
 * 1 − decay^count, the bias correction of an exponentially weighted mean after `count` values,
 * bit for bit as `1 - decay ** count` but from a table computed once per decay (`**` is the
 * costliest operation of a training step). The table ends where the value reaches 1: decay^n
 * then stays below half an ulp of 1 for every larger n, since `**` is accurate to an ulp and each
 * step divides the power by 1/decay ≥ 1/0.9999.
 */
export function oneMinusDecayPower(decay: number, count: number): number {
  if (!(decay >= 0 && decay <= MAX_TABLE_DECAY) || !Number.isInteger(count) || count < 0) {
    return 1 - decay ** count
  }
  if (decay !== tableDecay) {
    table = tableOf(decay)
    tableDecay = decay
  }
  if (count < table.length) return table[count] ?? 1 - decay ** count
  return table.at(-1) === 1 ? 1 : 1 - decay ** count
}
