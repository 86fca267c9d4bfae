// The remote commands for one charger, each showing the charger's answer (admins only).
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { Action, Section, describeResult } from '../ui.js';
import { chargerPath } from '../model.js';
import { RemoteStart } from './remoteStart.js';

const TRIGGERS = ['BootNotification', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'Heartbeat', 'MeterValues', 'StatusNotification'];

export function ChargerActions({ cpId, connectors, running, onChange }) {
  const base = chargerPath(cpId);
  const post = (path, body) => api(`${base}/${path}`, { method: 'POST', body });
  const ids = connectors.map((k) => k.connectorId);
  const [connectorId, setConnectorId] = useState(ids[0] ?? 1);
  const [trigger, setTrigger] = useState('StatusNotification');
  // The stopped session's button leaves the list: its answer is shown here, naming that session.
  const [stopped, setStopped] = useState(/** @type {{ id: number, answer: string } | null} */ (null));
  const done = () => setTimeout(onChange, 300);
  const num = (v) => Number(v);
  // Taking a connector (0: all) out of service ends its session: ask first, only then.
  const stopsOn = (id) => {
    const hit = running.filter((tx) => id === 0 || tx.connectorId === id);
    return hit.length ? `This stops ${hit.map((tx) => `session #${tx.id}${tx.userName ? ` (${tx.userName})` : ''}`).join(', ')}. Go ahead?` : undefined;
  };
  return html`<${Section} title="Start, stop and unlock" open testid="actions">
    <div class="form inline">
      <label>Connector <select value=${connectorId} onChange=${(e) => setConnectorId(num(e.currentTarget.value))} name="connector">
        ${(ids.length ? ids : [1]).map((i) => html`<option value=${i}>#${i}</option>`)}</select></label>
    </div>
    <${RemoteStart} connectorId=${connectorId} post=${post} onDone=${done} />
    <div>
      ${running.map((tx) => html`<${Action} key=${tx.id} label=${`Stop session #${tx.id}`} danger silent confirm=${`Stop session #${tx.id} on connector #${tx.connectorId}?`}
        run=${() => post('remote-stop', { transactionId: tx.id })} onDone=${(r) => { setStopped({ id: tx.id, answer: describeResult(r) }); done(); }} />`)}
      ${stopped && html`<p class="result" role="status" data-testid="stop-result">Stop session #${stopped.id}: ${stopped.answer}</p>`}
      <${Action} label="Unlock" confirm=${`Unlock connector #${connectorId}?`} run=${() => post('unlock', { connectorId })} />
    </div>
  </${Section}>
  <${Section} title="Availability, reset and trigger" testid="maintenance">
    <p class="muted">Connector buttons act on connector #${connectorId} (pick it above).</p>
    <div>
      <${Action} label="Make available" run=${() => post('change-availability', { connectorId, type: 'Operative' })} onDone=${done} />
      <${Action} label="Make unavailable" danger confirm=${stopsOn(connectorId)} run=${() => post('change-availability', { connectorId, type: 'Inoperative' })} onDone=${done} />
      <${Action} label="Whole charger unavailable" danger confirm=${stopsOn(0)} run=${() => post('change-availability', { connectorId: 0, type: 'Inoperative' })} onDone=${done} />
      <${Action} label="Whole charger available" run=${() => post('change-availability', { connectorId: 0, type: 'Operative' })} onDone=${done} />
    </div>
    <div>
      <${Action} label="Soft reset" danger confirm="Soft reset the charger? Running sessions stop." run=${() => post('reset', { type: 'Soft' })} />
      <${Action} label="Hard reset" danger confirm="Hard reset (reboot) the charger? Running sessions stop." run=${() => post('reset', { type: 'Hard' })} />
      <${Action} label="Clear cache" run=${() => post('clear-cache', {})} />
    </div>
    <div class="row">
      <label>Trigger message <select value=${trigger} onChange=${(e) => setTrigger(e.currentTarget.value)}>
        ${TRIGGERS.map((t) => html`<option value=${t}>${t}</option>`)}</select></label>
      <${Action} label="Trigger" run=${() => post('trigger', { requestedMessage: trigger, connectorId })} />
    </div>
  </${Section}>`;
}
