// Production entry: load config, start the site, stop gracefully on SIGTERM/SIGINT.
import { loadConfig, ConfigError } from './config.js';
import { createLogger } from './log.js';
import { startSite } from './site.js';

async function main(): Promise<void> {
  let config;
  try { config = loadConfig(); } catch (err) {
    if (err instanceof ConfigError) { process.stderr.write(`ocpp-edge: ${err.message}\n`); process.exit(78); }
    throw err;
  }
  const logger = createLogger(config.log.level);
  const site = await startSite(config, logger);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await site.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`ocpp-edge failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
