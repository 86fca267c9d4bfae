// npm run simulate -- --url ws://localhost:8080/ocpp --id CP-SIM-1 [--password …] [--scenario session|availability|idle]
// A charger simulator usable against any OCPP 1.6J CSMS (also `ocpp-edge simulate`); see src/sim/simulateCommand.ts.
import { runSimulator } from '../src/sim/simulateCommand.js';

process.exit(await runSimulator(process.argv.slice(2)));
