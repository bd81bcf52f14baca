import { PSE_SYMBOLS } from '../../core/providers/exchange-of-symbol.ts'

/** Symbols when none are configured: the original nine PSE stocks for a PSE-first setup, else the bundled series. */
export function defaultSymbols(providers: readonly string[]): readonly string[] {
  return providers[0] === 'pse' ? PSE_SYMBOLS : ['^GSPC', 'AAPL']
}
