export interface Instruction {
  readonly keyword: string
  readonly value: string
  /** The build stage (0 for the first FROM). */
  readonly stage: number
}

/** Splits a Dockerfile into instructions: comments dropped, continued lines joined. */
export function parseDockerfile(text: string): Instruction[] {
  const logical: string[] = []
  let pending = ''
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue
    const joined = pending + line
    if (joined.endsWith('\\')) pending = `${joined.slice(0, -1)} `
    else {
      if (joined.trim() !== '') logical.push(joined.trim())
      pending = ''
    }
  }
  let stage = -1
  return logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/)
    if (keyword.toUpperCase() === 'FROM') stage += 1
    return { keyword: keyword.toUpperCase(), value: rest.join(' '), stage }
  })
}
