import { err, ok, type Result } from '../contracts/result.ts'
import { exchangeOfSymbol } from './exchange-of-symbol.ts'
import { providerFailure, type ProviderFailure } from './provider-failure.ts'

const INDICES: Readonly<Record<string, string>> = {
  '^GSPC': '^spx',
  '^DJI': '^dji',
  '^IXIC': '^ndq',
  '^NDX': '^ndx',
}

/** Stooq's name for a US symbol: `AAPL` → `aapl.us`, `BRK-B` → `brk-b.us`, `^GSPC` → `^spx`. */
export function stooqSymbol(symbol: string): Result<string, ProviderFailure> {
  const index = INDICES[symbol]
  if (index !== undefined) return ok(index)
  if (symbol.startsWith('^') || /[.=]/.test(symbol) || exchangeOfSymbol(symbol) !== 'US') {
    return err(
      providerFailure(
        'unsupported',
        `stooq: no mapping for ${symbol} (US stocks and ${Object.keys(INDICES).join(', ')} only)`,
      ),
    )
  }
  return ok(`${symbol.toLowerCase()}.us`)
}
