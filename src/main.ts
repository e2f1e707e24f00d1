/** `npm start`: read .env if present, start the server, and stop gracefully on SIGTERM/SIGINT. */
import { existsSync } from 'node:fs';
import { ConfigError } from './config.ts';
import { ProfileSigningError } from './autoconfig/signing.ts';
import { FlowDataError } from './flow/flow-data.ts';
import { createLogger } from './log.ts';
import { SchemaVersionError } from './storage/migrations.ts';
import { startServer, type RunningServer } from './server.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

void main();

async function main() {
  let server: RunningServer;
  try {
    server = await startServer();
    // Written at every LOG_LEVEL but silent, and at once (routine lines are batched): supervisors and operators wait for it.
    const announce = server.log.level === 'silent' ? server.log : server.log.child({}, { level: 'info' });
    announce.info({ url: server.url, websocket: `ws://…:${server.port}/`, webhook: 'POST /api/messages' }, `owari-support-bot listening on ${server.url}`);
    server.log.flush();
  } catch (error) {
    // The configuration may never have loaded, so neither did its LOG_LEVEL: fatal lines are always written (at once).
    const { message, explained } = startFailure(error);
    const details = error instanceof Error && 'problems' in error ? { problems: error.problems } : explained ? {} : { err: error };
    createLogger('info').fatal(details, message);
    process.exit(1);
  }
  handleStop(server);
}

/**
 * What to tell whoever started the server: the problem in words; `explained` when those words are all there is to
 * say. Anything else is logged with its stack trace too (src/ files and lines: the bundle runs with source maps).
 */
function startFailure(error: unknown): { message: string; explained: boolean } {
  if (error instanceof ConfigError || error instanceof FlowDataError || error instanceof ProfileSigningError || error instanceof SchemaVersionError) return { message: error.message, explained: true };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return { message: `owari-support-bot could not start: the port is already in use (${(error as Error).message}); set PORT to a free one`, explained: true };
  if (code === 'EACCES' || code === 'EPERM') return { message: `owari-support-bot could not start: permission denied (${(error as Error).message}); check DATA_DIR and PORT`, explained: true };
  return { message: `owari-support-bot could not start: ${error instanceof Error ? error.message : String(error)}`, explained: false };
}

function handleStop(server: RunningServer) {
  let stopping = false;
  async function stop(signal: string, exitCode = 0) {
    if (stopping) return;
    stopping = true;
    server.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      server.log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await server.close();
    } catch (err) {
      server.log.error({ err }, 'shutdown failed');
      exitCode = 1;
    }
    process.exit(exitCode);
  }
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  // A rejected promise nobody awaited is a bug, not a reason to drop every customer's conversation.
  process.on('unhandledRejection', (reason) => server.log.error({ err: reason }, 'unhandled promise rejection'));
  // After an uncaught exception the process state is unknown: log it, then stop gracefully and let the supervisor restart us.
  process.on('uncaughtException', (err) => {
    server.log.fatal({ err }, 'uncaught exception');
    void stop('uncaughtException', 1);
  });
}
