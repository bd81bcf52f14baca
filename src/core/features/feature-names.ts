/** Names the feature set: bump it whenever a feature's definition or the list below changes. */
export const FEATURE_VERSION = 1

/** Every feature of a FeatureRow, in a fixed order (the trainer builds its vectors in this order). */
export const FEATURE_NAMES = [
  'r1',
  'r2',
  'r3',
  'r4',
  'r5',
  'retMean5',
  'retStd5',
  'retMean20',
  'retStd20',
  'ewmaVol',
  'closeToSma20',
  'closeToEma20',
  'rsi14',
  'macd',
  'macdSignal',
  'macdHist',
  'bollingerPctB',
  'volumeZ20',
  'close',
] as const

export type FeatureName = (typeof FEATURE_NAMES)[number]
