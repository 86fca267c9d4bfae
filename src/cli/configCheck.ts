// ocpp-edge config check: validates the configuration exactly as the server loads it and prints the
// effective values (file + OCPP_EDGE_* variables + defaults) with secrets masked.
import fs from 'node:fs';
import { maskSecrets, type Config } from '../config.js';
import { applySiteSettings, type SiteSettingValues } from '../domain/siteSettings.js';
import { flag, parse } from './args.js';
import { group, type Command } from './command.js';
import { cliConfig, databaseFile } from './context.js';
import { CliError, EXIT } from './errors.js';
import { checkTlsFiles, type TlsInfo } from '../server/tlsFiles.js';

/** The certificate and key as the server checks them at start, failing with the server's message. */
function checkTls(config: Config): TlsInfo | undefined {
  if (!config.http.tls.enabled) return undefined;
  try {
    return checkTlsFiles(config.http.tls.certFile, config.http.tls.keyFile);
  } catch (err) {
    throw new CliError(`${(err as Error).message}
The server would not start with this configuration.`, EXIT.config);
  }
}

/** What the first-run setup stored (site name/id, MQTT broker): the server lays it over the file. */
async function storedSiteSettings(dbFile: string): Promise<SiteSettingValues> {
  if (!fs.existsSync(dbFile)) return {};
  const { default: Database } = await import('better-sqlite3');
  let db: InstanceType<typeof Database> | undefined;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true });
    const rows = db.prepare("SELECT key, value FROM setting WHERE key IN ('site.name', 'site.id', 'mqtt.url')").all() as Array<{ key: string; value: string }>;
    const get = (key: string) => rows.find((r) => r.key === key);
    const out: SiteSettingValues = {};
    if (get('site.name')) out.siteName = JSON.parse(get('site.name')!.value);
    if (get('site.id')) out.siteId = JSON.parse(get('site.id')!.value);
    if (get('mqtt.url')) out.mqttUrl = JSON.parse(get('mqtt.url')!.value);
    return out;
  } catch {
    return {}; // unreadable here (permissions), older or foreign: nothing to lay over
  } finally {
    db?.close();
  }
}

const check: Command = {
  summary: 'validate the configuration and print the effective values (secrets masked)',
  async run(argv, globals) {
    const help = `Usage: ocpp-edge config check [--quiet]

Loads the configuration the way the server does: the file (--config, else $OCPP_EDGE_CONFIG, else
./config.json), then OCPP_EDGE_* variables (e.g. OCPP_EDGE_HTTP_PORT=9000), then defaults; prints the
result with passwords and key files masked. With http.tls.enabled it also reads the certificate and
key as the server does at start (found, readable, PEM, a pair). Site name, site id and MQTT broker set in the first-run
setup (stored in the database) override the file, and are shown that way.
  --quiet   print nothing when valid
Exit codes: 0 valid, 78 invalid (the message names the key or the TLS file), 2 usage error.`;
    const p = parse('config check', argv, { quiet: { type: 'boolean' } }, help);
    if (!p) return;
    const config: Config = cliConfig(globals);
    const tls = checkTls(config);
    if (flag(p, 'quiet')) return;
    const db = databaseFile(config);
    const stored = await storedSiteSettings(db);
    applySiteSettings(config, stored);
    const source = globals.configFile ?? process.env.OCPP_EDGE_CONFIG ?? (fs.existsSync('config.json') ? 'config.json' : undefined);
    process.stdout.write(`configuration OK (${source ? `file ${source}` : 'no file: defaults'} + environment)\n`);
    process.stdout.write(JSON.stringify(maskSecrets(config), null, 2) + '\n');
    if (Object.keys(stored).length) process.stdout.write(`from the first-run setup (stored in the database, they win over the file): ${Object.keys(stored).join(', ')}\n`);
    if (tls) {
      const when = tls.daysLeft < 14 ? ' (renew it: the server warns under 14 days)' : '';
      process.stdout.write(`TLS certificate OK: ${tls.subject}, valid until ${tls.validTo.toISOString()} (${tls.daysLeft} days left)${when}\n`);
    }
    process.stdout.write(`database: ${db}${fs.existsSync(db) ? '' : ' (not created yet: the server creates it on first start)'}\n`);
  },
};

export const configCommand = group('config', 'check the configuration', { check });
