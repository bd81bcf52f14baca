const cleanups = new Set<() => void>()
let installed = false

/**
 * Runs `cleanup` (synchronously) when this process exits normally or through `process.exit()`;
 * returns a function that unregisters it. Signals are the entry points' business: they call `exit`.
 */
export function cleanUpOnExit(cleanup: () => void): () => void {
  cleanups.add(cleanup)
  if (!installed) {
    installed = true
    process.on('exit', () => {
      for (const each of cleanups) {
        try {
          each()
        } catch {
          // Exiting anyway: one failed cleanup must not skip the others.
        }
      }
    })
  }
  return () => cleanups.delete(cleanup)
}
