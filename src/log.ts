/** Structured logging (pino). Message texts from customers are logged only at debug level. */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  // Asynchronous writes keep logging off the turn's critical path; flushed on shutdown.
  return pino({ level, base: { service: 'owari-support-bot' } }, pino.destination({ sync: false, minLength: 4096 }));
}
