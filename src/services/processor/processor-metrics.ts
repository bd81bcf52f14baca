import { Counter, Registry } from 'prom-client'

export interface ProcessorMetrics {
  readonly processed: Counter
  readonly deadLettered: Counter<'reason'>
  readonly bars: Counter
  readonly unreadableStates: Counter
  readonly duplicates: Counter<'kind'>
}

/** Counts of the processor's work, by outcome: processed quotes, dead letters by kind, bars out. */
export function createProcessorMetrics(registry: Registry): ProcessorMetrics {
  return {
    processed: new Counter({
      name: 'quotecast_processor_quotes_total',
      help: 'Quotes consumed',
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'quotecast_processor_dead_letters_total',
      help: 'Quotes sent to dead-letters, by reason: invalid, late',
      labelNames: ['reason'],
      registers: [registry],
    }),
    bars: new Counter({
      name: 'quotecast_processor_bars_total',
      help: 'Completed bars published',
      registers: [registry],
    }),
    unreadableStates: new Counter({
      name: 'quotecast_processor_unreadable_states_total',
      help: 'processor-state values unreadable on restore: dead-lettered, their symbol started fresh',
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'quotecast_processor_duplicates_total',
      help: 'Quotes dropped as already applied, by kind: quote (a remembered id), bar (identical to a closed bar), history (a bar quote too old to compare)',
      labelNames: ['kind'],
      registers: [registry],
    }),
  }
}
