import type { YahooChart } from './read-yahoo-chart.ts'

const BY_TIME_ZONE: Readonly<Record<string, { exchange: string; currency: string }>> = {
  'America/New_York': { exchange: 'US', currency: 'USD' },
  'Asia/Manila': { exchange: 'PSE', currency: 'PHP' },
}

/** Exchange and currency of a Yahoo chart, named as quotecast names them ("US", "PSE") where it knows the market. */
export function yahooExchange(meta: YahooChart['meta']): { exchange: string; currency: string | undefined } {
  const known = BY_TIME_ZONE[meta.exchangeTimezoneName ?? '']
  return {
    exchange: known?.exchange ?? meta.exchangeName ?? 'UNKNOWN',
    currency: meta.currency ?? known?.currency,
  }
}
