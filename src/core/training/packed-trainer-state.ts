import type { Interval } from '../contracts/primitives.ts'
import type { TrainerOptions } from './trainer-options.ts'
import { createTrainerState, type TrainerState } from './trainer-state.ts'

/**
 * A symbol's trainer state at rest: every number of its `TrainerState` in one array, with none of
 * the state's views and slot objects (some 4 KB a symbol, which a trainer of 10,000 symbols would
 * keep for nothing between their rows). A `TrainerWorkbench` opens it for a row and packs it back.
 */
export interface PackedTrainerState {
  readonly symbol: string
  readonly interval: Interval
  /** The state's `numbers`, its `intervalSums`, then its scalars and each model slot's (`packTrainerState`). */
  readonly numbers: Float64Array
}

/** The one working state a trainer trains every symbol in, a row at a time. */
export interface TrainerWorkbench {
  /** `packed` in the working state: valid until the next `open` or `openNew`. */
  readonly open: (packed: PackedTrainerState) => TrainerState
  /** A new symbol's state before its first row, in the working state: valid until the next call. */
  readonly openNew: (symbol: string, interval: Interval) => TrainerState
}

const TOP_SCALARS = 6
const MODEL_SCALARS = 3

const packedLength = (state: TrainerState): number =>
  state.numbers.length + state.intervalSums.length + TOP_SCALARS + MODEL_SCALARS * state.models.length

function copy(from: Float64Array, fromAt: number, to: Float64Array, toAt: number, length: number): void {
  for (let i = 0; i < length; i++) to[toAt + i] = from[fromAt + i]!
}

/**
 * `state` packed: into `into` when given (a packed state of the same options, changed in place),
 * else into a new one. Reads every number the training step changes, so that opening the result
 * gives back the same state.
 */
export function packTrainerState(state: TrainerState, into?: PackedTrainerState): PackedTrainerState {
  const packed = into ?? {
    symbol: state.symbol,
    interval: state.interval,
    numbers: new Float64Array(packedLength(state)),
  }
  const { numbers } = packed
  if (numbers.length !== packedLength(state))
    throw new Error(`packTrainerState: ${state.symbol}'s state does not fit the packed state's layout`)
  numbers.set(state.numbers)
  numbers.set(state.intervalSums, state.numbers.length)
  let at = state.numbers.length + state.intervalSums.length
  numbers[at++] = state.version
  numbers[at++] = state.lastBarStart
  numbers[at++] = state.lastClose
  numbers[at++] = state.servedVariance
  numbers[at++] = state.pendingSigma
  numbers[at++] = state.served
  for (const slot of state.models) {
    numbers[at++] = slot.hasInputs ? 1 : 0
    numbers[at++] = slot.recentLossDiff
    numbers[at++] = slot.pending
  }
  return packed
}

/** A `TrainerState` whose symbol and interval the workbench sets for each symbol it opens. */
type WorkingState = { -readonly [K in keyof TrainerState]: TrainerState[K] }

/**
 * One working state for every symbol: opening a packed state copies its numbers in (a few hundred
 * float64s, far less than a row's training), and `packTrainerState` copies them back out.
 */
export function createTrainerWorkbench(options: TrainerOptions): TrainerWorkbench {
  const working: WorkingState = createTrainerState(options, '', '1d')
  const fresh = packTrainerState(working)
  const length = fresh.numbers.length

  const open = (packed: PackedTrainerState, symbol: string, interval: Interval): TrainerState => {
    const { numbers } = packed
    if (numbers.length !== length)
      throw new Error(`TrainerWorkbench: ${symbol}'s packed state does not fit this trainer's models`)
    working.symbol = symbol
    working.interval = interval
    copy(numbers, 0, working.numbers, 0, working.numbers.length)
    copy(numbers, working.numbers.length, working.intervalSums, 0, working.intervalSums.length)
    let at = working.numbers.length + working.intervalSums.length
    working.version = numbers[at++]!
    working.lastBarStart = numbers[at++]!
    working.lastClose = numbers[at++]!
    working.servedVariance = numbers[at++]!
    working.pendingSigma = numbers[at++]!
    working.served = numbers[at++]!
    for (const slot of working.models) {
      slot.hasInputs = numbers[at++] === 1
      slot.recentLossDiff = numbers[at++]!
      slot.pending = numbers[at++]!
    }
    return working
  }

  return {
    open: (packed) => open(packed, packed.symbol, packed.interval),
    openNew: (symbol, interval) => open(fresh, symbol, interval),
  }
}
