/** `npm start`: read .env if present, start the server, and stop gracefully on SIGTERM/SIGINT. */
import { existsSync } from 'node:fs';
import { ConfigError } from './config.ts';
import { FlowDataError } from './flow/flow-data.ts';
import { startServer, type RunningServer } from './server.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

// A start-up error other than the two below still ends the process, as an unhandled rejection.
void main();

async function main() {
  let server: RunningServer;
  try {
    server = await startServer();
    console.log(`owari-support-bot listening on ${server.url} (websocket ws://…:${server.port}/, webhook POST /api/messages)`);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof FlowDataError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  handleStop(server);
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
