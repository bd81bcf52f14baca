import type { ExchangeId } from '../schedule/exchange-calendars.ts'

/** The original project's nine Philippine Stock Exchange symbols. */
export const PSE_SYMBOLS = ['JFC', 'ALI', 'BDO', 'BPI', 'GLO', 'MER', 'SM', 'TEL', 'URC'] as const

const PSE = new Set<string>(PSE_SYMBOLS)

/**
 * The exchange whose calendar a symbol follows: PSE for the original project's symbols (and any
 * `.PS` ticker), otherwise US. quotecast knows no other market yet.
 */
export function exchangeOfSymbol(symbol: string, extraPseSymbols: readonly string[] = []): ExchangeId {
  return PSE.has(symbol) || symbol.endsWith('.PS') || extraPseSymbols.includes(symbol) ? 'PSE' : 'US'
}
