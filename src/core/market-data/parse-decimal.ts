// Digits with an optional fraction and exponent: no sign, hex (0x10), binary, Infinity, NaN or blanks.
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?$/

/** A plain decimal number such as `64.5`, `100` or `1.5e-7`; NaN for anything else. */
export function parseDecimal(text: string): number {
  return DECIMAL.test(text) ? Number(text) : Number.NaN
}
