// Production entry: load config, start the site, stop gracefully on SIGTERM/SIGINT.
import { loadConfig, ConfigError } from './config.js';
import { createLogger } from './log.js';
import { startSystemdNotifier } from './ops/systemdNotify.js';
import { describeRuntime, isNativeLoadError } from './ops/runtime.js';

// A stop that hangs (a stuck socket, a slow disk) must not keep systemd waiting for its kill timeout.
const STOP_DEADLINE_MS = 20_000;

async function main(): Promise<void> {
  let config;
  try { config = loadConfig(); } catch (err) {
    if (err instanceof ConfigError) { process.stderr.write(`ocpp-edge: ${err.message}\n`); process.exit(78); }
    throw err;
  }
  const logger = createLogger(config.log.level);
  // Imported here, not at the top, so a native binding that cannot load (uWS, better-sqlite3) ends
  // in one clear line instead of a module-loading stack trace.
  const { startSite } = await import('./site.js');
  const site = await startSite(config, logger);
  const notifier = startSystemdNotifier({ logger, isHealthy: () => site.database.sqlite.open });
  await notifier.ready(`serving on port ${site.server.tlsPort ?? site.server.port}`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => { logger.error('graceful stop took too long, exiting'); process.exit(1); }, STOP_DEADLINE_MS).unref();
    await notifier.stopping();
    await site.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  if (isNativeLoadError(err)) {
    const text = err.name === 'NativeBindingError' ? err.message : `a native module cannot load on ${describeRuntime()}: ${err.message}`;
    process.stderr.write(`ocpp-edge: ${text}\n`);
    process.exit(70);
  }
  process.stderr.write(`ocpp-edge failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
