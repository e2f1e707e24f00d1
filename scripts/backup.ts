/**
 * `npm run backup -- <dir>`: a consistent copy of DATA_DIR (SQLite databases and the generated session secret)
 * into <dir>, while the server runs. Start a server with DATA_DIR=<dir> to carry on from it.
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '../src/config.ts';
import { backupDataDir } from '../src/storage/backup.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
const target = process.argv[2];
if (!target) {
  console.error('usage: npm run backup -- <directory>   (copies DATA_DIR there; start a server with DATA_DIR=<directory> to restore)');
  process.exit(2);
}
const config = loadConfig();
try {
  const files = await backupDataDir(config.dataDir, target);
  console.log(`backup: ${files.join(', ')} from ${config.dataDir} → ${target}`);
  if (config.redisUrl) {
    console.log('backup: REDIS_URL is set, so conversations and transcripts live in Redis: back them up with Redis persistence (RDB snapshot or AOF), not this copy.');
  }
  if (config.sessionSecret) console.log('backup: SESSION_SECRET comes from the environment: keep it with the backup (the copy has no secret file).');
} catch (error) {
  console.error(`backup failed: ${(error as Error).message}`);
  process.exit(1);
}
