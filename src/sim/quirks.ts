// A quirky charger: the deviations real chargers send, reproducible with `npm run simulate -- --quirks <list>`.
// Each quirk names the public report it comes from; the compatibility corpus (test/ocpp/compat/corpus.ts)
// has the expected result of each. Applied to every call the simulated charger sends.
import type { ChargePointOptions } from './chargePoint.js';

type Payload = Record<string, any>;

export interface Quirk {
  id: string;
  what: string;
  source: string;
  /** Changes a payload in place (it is a copy). */
  rewrite?: (action: string, p: Payload) => void;
  handshake?: Pick<ChargePointOptions, 'protocols' | 'pathSuffix'>;
}

const samplesOf = (action: string, p: Payload): Payload[] =>
  (action === 'MeterValues' ? p.meterValue : action === 'StopTransaction' ? p.transactionData : undefined)?.flatMap((mv: Payload) => mv.sampledValue ?? []) ?? [];

function eachTimestamp(node: unknown, fn: (t: string) => string): void {
  if (Array.isArray(node)) node.forEach((n) => eachTimestamp(n, fn));
  else if (node && typeof node === 'object') {
    const o = node as Payload;
    for (const [k, v] of Object.entries(o)) {
      if (k === 'timestamp' && typeof v === 'string') o[k] = fn(v);
      else eachTimestamp(v, fn);
    }
  }
}

export const QUIRKS: Quirk[] = [
  { id: 'no-subprotocol', what: 'offers no Sec-WebSocket-Protocol', source: 'https://github.com/lbbrhzn/ocpp/issues/442',
    handshake: { protocols: [] } },
  { id: 'trailing-slash', what: 'connects to /ocpp/<id>/', source: 'research/cases.md: no public report found',
    handshake: { pathSuffix: '/' } },
  { id: 'value-as-number', what: 'sends sampledValue.value as a JSON number', source: 'https://github.com/OpenEVSE/openevse_esp32_firmware/issues/335',
    rewrite: (action, p) => { for (const s of samplesOf(action, p)) if (/^-?\d+(\.\d+)?$/.test(s.value)) s.value = Number(s.value); } },
  { id: 'unit-c', what: 'adds a Temperature sample in unit "C"', source: 'https://github.com/OpenEVSE/openevse_esp32_firmware/pull/726',
    rewrite: (action, p) => { if (action === 'MeterValues') for (const mv of p.meterValue ?? []) mv.sampledValue?.push({ value: '24', measurand: 'Temperature', unit: 'C' }); } },
  // Last of the MeterValues quirks: the ones above expect a list.
  { id: 'metervalue-object', what: 'sends MeterValues.meterValue as one object, not a list', source: 'https://github.com/lbbrhzn/ocpp/issues/1144',
    rewrite: (action, p) => { if (action === 'MeterValues' && p.meterValue?.length === 1) p.meterValue = p.meterValue[0]; } },
  { id: 'timestamp-no-offset', what: 'sends times without offset', source: 'https://github.com/evcc-io/evcc/issues/10399',
    rewrite: (_action, p) => eachTimestamp(p, (t) => t.replace(/(\.\d+)?Z$/, '')) },
  { id: 'fractional-meter', what: 'sends meterStart/meterStop with decimals', source: 'https://github.com/shiv3/ocpp-cp-simulator/pull/83',
    rewrite: (action, p) => { if (action === 'StopTransaction') p.meterStop += 0.333; if (action === 'StartTransaction') p.meterStart += 0.25; } },
  { id: 'start-without-timestamp', what: 'sends StartTransaction without timestamp', source: 'https://github.com/matth-x/MicroOcpp/issues/88',
    rewrite: (action, p) => { if (action === 'StartTransaction') delete p.timestamp; } },
  { id: 'status-info-null', what: 'sends info: null in StatusNotification', source: 'https://github.com/mobilityhouse/ocpp/issues/296',
    rewrite: (action, p) => { if (action === 'StatusNotification') p.info = null; } },
  { id: 'serial-too-long', what: 'sends a 35-character chargeBoxSerialNumber', source: 'https://github.com/mobilityhouse/ocpp/issues/273',
    rewrite: (action, p) => { if (action === 'BootNotification') p.chargeBoxSerialNumber = 'EVB1A22P2RI3N182341200100350795E5'; } },
  { id: 'extra-fields', what: 'sends StopTransaction with connectorId and disconnectReason for reason', source: 'https://github.com/road-labs/chargestation-one/issues/61',
    rewrite: (action, p) => {
      if (action !== 'StopTransaction') return;
      p.connectorId = 1;
      if (p.reason) { p.disconnectReason = p.reason; delete p.reason; }
    } },
];

/** The ChargePoint options for a list of quirk ids ('all' for every one); throws on an unknown id. */
export function quirkOptions(ids: string[]): Pick<ChargePointOptions, 'protocols' | 'pathSuffix' | 'rewrite'> {
  const chosen = ids.includes('all') ? QUIRKS : ids.map((id) => {
    const q = QUIRKS.find((k) => k.id === id);
    if (!q) throw new Error(`unknown quirk ${id}; known: ${QUIRKS.map((k) => k.id).join(', ')}, all`);
    return q;
  });
  const rewriters = chosen.flatMap((q) => (q.rewrite ? [q.rewrite] : []));
  return {
    ...Object.assign({}, ...chosen.map((q) => q.handshake ?? {})),
    rewrite: rewriters.length === 0 ? undefined : (action, payload) => {
      const copy = structuredClone(payload) as Payload;
      for (const r of rewriters) r(action, copy);
      return copy;
    },
  };
}
