/**
 * Structured logging (pino): one JSON object per line on stdout, with ISO times, for the operators' log
 * collectors. Message texts from customers are logged only at debug level.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

/** Fields on every line; scripts/log.mjs (the build lines of `npm start`) writes the same. */
const LOG_BASE = { service: 'owari-support-bot' };

export function createLogger(level: string): Logger {
  // Routine lines are batched and written asynchronously, off the turn's critical path (flushed on shutdown).
  // Errors are written at once: they are the lines that matter when the process is killed right after.
  const batched = pino.destination({ sync: false, minLength: 4096 });
  const immediate = pino.destination({ sync: true });
  const logger = pino(
    { level, base: LOG_BASE, timestamp: pino.stdTimeFunctions.isoTime },
    pino.multistream(
      [
        { level: 'trace', stream: batched },
        { level: 'error', stream: immediate },
      ],
      { dedupe: true },
    ),
  );
  // pino's multistream cannot flush asynchronously; the batched destination can.
  logger.flush = (done?: (err?: Error) => void) => batched.flush(done);
  return logger;
}
