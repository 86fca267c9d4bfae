// Production server: load config, start the site, stop gracefully on SIGTERM/SIGINT.
// `ocpp-edge` (no arguments), `ocpp-edge serve` and src/main.ts all end here. In demo mode the site runs
// on a throwaway database in a temp directory with simulated chargers (src/demo), never the real one.
import fs from 'node:fs';
import { loadConfig, ConfigError, type Config, type LoadOptions } from './config.js';
import { StartupError } from './startupError.js';
import { createLogger } from './log.js';
import { startSystemdNotifier } from './ops/systemdNotify.js';
import { describeRuntime, isNativeLoadError } from './ops/runtime.js';
import { createDemoDataDir } from './demo/throwaway.js';

// A stop that hangs (a stuck socket, a slow disk) must not keep systemd waiting for its kill timeout.
const STOP_DEADLINE_MS = 20_000;

export interface ServeOptions {
  /** Throwaway database, seeded data and simulated chargers. */
  demo?: boolean;
  configFile?: string;
}

function loadServeConfig(opts: ServeOptions): { config: Config; demoDir?: string } {
  const load: LoadOptions = { file: opts.configFile };
  // Demo wins over everything that could point at real data or a real central office.
  const wantsDemo = opts.demo || loadConfig(load).demo;
  if (!wantsDemo) return { config: loadConfig(load) };
  const demoDir = createDemoDataDir();
  return { config: loadConfig({ ...load, overrides: { demo: true, dataDir: demoDir, 'mqtt.enabled': false } }), demoDir };
}

/** Runs until a signal stops it; exits the process with 78 on a config error, 70 when a native module cannot load. */
export async function serve(opts: ServeOptions = {}): Promise<void> {
  let loaded;
  try { loaded = loadServeConfig(opts); } catch (err) {
    if (err instanceof ConfigError) { process.stderr.write(`ocpp-edge: ${err.message}\n`); process.exit(78); }
    throw err;
  }
  const { config, demoDir } = loaded;
  const logger = createLogger(config.log.level);
  try {
    // Imported here, not at the top, so a native binding that cannot load (uWS, better-sqlite3) ends
    // in one clear line instead of a module-loading stack trace.
    const { startSite } = await import('./site.js');
    const demoModule = demoDir ? await import('./demo/index.js') : undefined;
    const seed = await demoModule?.seedDemoDatabase(config);
    const site = await startSite(config, logger);
    const demo = demoModule && seed ? await demoModule.startDemo(site, seed) : undefined;
    const notifier = startSystemdNotifier({ logger, isHealthy: () => site.database.sqlite.open });
    await notifier.ready(`serving on port ${site.server.tlsPort ?? site.server.port}`);
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      setTimeout(() => { logger.error('graceful stop took too long, exiting'); process.exit(1); }, STOP_DEADLINE_MS).unref();
      await notifier.stopping();
      await demo?.stop();
      await site.stop();
      if (demoDir) fs.rmSync(demoDir, { recursive: true, force: true });
      logger.info('stopped');
      process.exit(0);
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
  } catch (err) {
    if (demoDir) fs.rmSync(demoDir, { recursive: true, force: true });
    if (isNativeLoadError(err)) {
      const text = (err as Error).name === 'NativeBindingError' ? (err as Error).message : `a native module cannot load on ${describeRuntime()}: ${(err as Error).message}`;
      process.stderr.write(`ocpp-edge: ${text}\n`);
      process.exit(70);
    }
    if (demoDir && /cannot listen/.test(String(err))) {
      process.stderr.write(`ocpp-edge: ${(err as Error).message}\nIs ocpp-edge already running there? Pick another port for the demo: OCPP_EDGE_HTTP_PORT=8081 npm run demo\n`);
      process.exit(1);
    }
    const explained = err instanceof StartupError;
    process.stderr.write(`ocpp-edge failed to start: ${explained ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  }
}
