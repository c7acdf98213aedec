/** Graceful stop on Ctrl-C / SIGTERM for a long-running process (web or worker). */
import type { Logger } from './logger'

/**
 * Runs `close` once on the first SIGINT or SIGTERM, then exits 0; exits 1 if
 * closing takes longer than `forceAfterMs` or fails.
 */
export function stopGracefully(logger: Logger, what: string, close: () => Promise<void>, forceAfterMs = 15_000): void {
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, `${what} stopping`)
    const force = setTimeout(() => process.exit(1), forceAfterMs)
    force.unref()
    let code = 0
    try {
      await close()
    } catch (err) {
      logger.error({ err }, `${what} did not stop cleanly`)
      code = 1
    } finally {
      clearTimeout(force)
      process.exit(code)
    }
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}
