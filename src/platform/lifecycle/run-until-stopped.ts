import type { Logger } from 'pino'

/**
 * Runs a service until it ends by itself or SIGTERM/SIGINT arrives. A signal aborts the service's
 * AbortSignal so it stops taking new work, finishes and commits what is in flight, and closes its
 * clients; a second signal, or a stop that takes longer than `graceMs`, exits at once.
 */
export async function runUntilStopped(
  logger: Logger,
  service: (signal: AbortSignal) => Promise<void>,
  graceMs = 25_000,
): Promise<void> {
  const controller = new AbortController()
  let forceTimer: NodeJS.Timeout | undefined
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      logger.warn({ signal: name }, 'second signal: exiting now')
      process.exit(130)
    }
    logger.info({ signal: name }, 'stopping: finishing in-flight work')
    controller.abort()
    forceTimer = setTimeout(() => {
      logger.error({ graceMs }, 'graceful stop took too long: exiting')
      process.exit(1)
    }, graceMs)
    forceTimer.unref()
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  try {
    await service(controller.signal)
  } finally {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
    if (forceTimer) clearTimeout(forceTimer)
  }
}
