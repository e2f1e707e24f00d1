/**
 * The lines `npm start` prints before the server runs (a build's result), as the server's own log lines: pino JSON
 * on stdout with an ISO time, so a log collector reads every line the process writes. pino is loaded only when
 * there is something to say (a build), so a start with fresh builds pays nothing for it.
 */
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Writes one line at `level` ('info', 'error', …) unless LOG_LEVEL hides it. */
export async function log(level, msg, fields = {}) {
  const { default: pino } = await import('pino');
  const threshold = LEVELS.includes(process.env.LOG_LEVEL) ? process.env.LOG_LEVEL : 'info';
  const logger = pino({ level: threshold, base: { service: 'owari-support-bot' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ sync: true }));
  logger[level](fields, msg);
}
