// ocpp-edge serve [--demo]: the server itself (src/serve.ts); it runs until SIGTERM/SIGINT.
import { flag, parse } from './args.js';
import type { Command } from './command.js';

export const serveCommand: Command = {
  summary: 'run the server',
  async run(argv, globals) {
    const help = `Usage: ocpp-edge [serve] [--demo]

Runs the OCPP server, the admin page and the API on http.port (default 8080); chargers connect to
ws://<host>:8080/ocpp/<id>. Stops gracefully on SIGTERM/SIGINT.
  --demo   a throwaway demo: temporary database, seeded site, three simulated chargers charging on a
           schedule, MQTT off; prints a one-time admin password. Your real database is never touched.
           (OCPP_EDGE_DEMO_SESSION_SEC sets the session length, default 20–60 s.)
Exit codes: 78 configuration error, 70 a native module cannot load on this system, 1 failed to start.`;
    const p = parse('serve', argv, { demo: { type: 'boolean' } }, help);
    if (!p) return 0;
    const { serve } = await import('../serve.js');
    await serve({ demo: flag(p, 'demo'), configFile: globals.configFile });
    return undefined;
  },
};
