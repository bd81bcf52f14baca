const MORE = (hidden: number): string => `… (${String(hidden)} more characters)`

// C0 and C1 controls, DEL, and the format characters that reorder or hide text (bidi overrides, zero widths).
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu

const escapeOne = (char: string): string => {
  const code = char.codePointAt(0) ?? 0
  if (char === '\n') return '\\n'
  if (char === '\r') return '\\r'
  if (char === '\t') return '\\t'
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * A piece of input quoted for an error message: at most `maxChars` of it, with every control and
 * format character escaped (`\x1b`, `\r`, `\u202e`), so that a hostile or binary file can neither
 * flood the terminal nor drive it with ANSI or OSC sequences.
 */
export function quoteForMessage(text: string, maxChars = 60): string {
  const shown = text.length > maxChars ? text.slice(0, maxChars) : text
  const escaped = shown.replace(/[\\"]/g, (char) => `\\${char}`).replace(UNPRINTABLE, escapeOne)
  return `"${escaped}"${text.length > maxChars ? MORE(text.length - maxChars) : ''}`
}
