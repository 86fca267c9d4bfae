// One charger: boot facts, connectors with live status, running sessions, actions, edit, configuration
// keys and status history.
import { word } from '../words.js';
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin, navigate, useLive } from '../store.js';
import { Action, Badge, ErrorBox, Field, Form, Link, Loading, Section, fmt, useAsync } from '../ui.js';
import { useRefetch } from '../refetch.js';
import { chargerPath, connectorsOf, isOnline, loadTransactions, txEnergy } from '../model.js';
import { ChargerActions } from './chargerActions.js';
import { chargerBody, loadStations, PROFILE_OPTIONS, stationsOptions } from './chargers.js';
import { LocalListPanel, ReservationsPanel } from './chargerBlocks.js';
import { ProfilesPanel } from './chargerProfiles.js';
import { FirmwarePanel } from './chargerFirmware.js';
import { CompatPanel } from './chargerCompat.js';
import { SecurityPanel } from './chargerSecurity.js';
import { SOURCE_WORDS, effectiveTariff } from '../tariffModel.js';
import { tariffLabel } from './tariffs.js';

function ConfigKeys({ cpId }) {
  const config = useAsync(async () => (/** @type {import('../api-types.js').ConfigurationAnswer} */ (await api(`${chargerPath(cpId)}/configuration`))).configurationKey ?? [], [cpId]);
  const keys = config.data || [];
  return html`<div class="card">
    <button onClick=${config.reload}>Read from charger</button>
    <${ErrorBox} error=${config.error} />
    <div class="table-wrap"><table><thead><tr><th>Key</th><th>Value</th><th></th></tr></thead><tbody>
      ${keys.map((k) => html`<tr><td>${k.key}</td><td>${k.value ?? '–'}</td><td>${k.readonly ? 'read-only' : ''}</td></tr>`)}
    </tbody></table></div>
    ${isAdmin() && html`<${Form} cls="inline" label="Change key" submit=${(d) => api(`${chargerPath(cpId)}/configuration`, { method: 'PUT', body: { key: d.key, value: d.value } })}
        onDone=${config.reload}>
      <${Field} label="Key" name="key" required /><${Field} label="Value" name="value" required />
    </${Form}>`}
  </div>`;
}

/**
 * The edit form's changes that move money or slow charging, asked before saving: another station can bring
 * another tariff, and a lower cap reaches the sessions charging now. Null when neither applies.
 */
function editQuestion(d, c, sessions, stations, tariffs) {
  const lines = [];
  const stationId = d.stationId ? Number(d.stationId) : null;
  if (stationId !== c.stationId && stations && tariffs) {
    const before = effectiveTariff(c, stations, tariffs)?.tariff;
    const after = effectiveTariff({ tariffId: c.tariffId, stationId }, stations, tariffs)?.tariff;
    if (before?.id !== after?.id) lines.push(`New sessions here are then priced by ${tariffLabel(after)} instead of ${tariffLabel(before)}.`);
  }
  const cap = d.maxCurrentA === '' || d.maxCurrentA === undefined ? null : Number(d.maxCurrentA);
  if (sessions.length && cap !== null && (c.maxCurrentA == null || cap < c.maxCurrentA)) {
    lines.push(`${sessions.length === 1 ? 'The session' : `The ${sessions.length} sessions`} charging now ${sessions.length === 1 ? 'is' : 'are'} held to ${cap} A.`);
  }
  return lines.length ? `${lines.join(' ')} Save?` : null;
}

/**
 * The edit form is filled with the current values, so a blank max current means "no cap" (null). Its selects
 * mark the current option `selected` instead of taking a `value`: a controlled select jumps back to the
 * stored value on every re-render (a live event, the confirmation), undoing what staff picked.
 */
function editBody(d) {
  const body = chargerBody(d);
  body.maxCurrentA = d.maxCurrentA === '' || d.maxCurrentA === undefined ? null : Number(d.maxCurrentA);
  return body;
}

function StatusHistory({ rows }) {
  if (!rows.length) return null;
  return html`<div class="card"><div class="table-wrap"><table>
    <thead><tr><th>Time</th><th>Connector</th><th>Status</th><th>Error</th></tr></thead>
    <tbody>${rows.slice(0, 50).map((r) => html`<tr><td>${fmt.time(r.receivedAt || r.timestamp)}</td><td>#${r.connectorId}</td>
      <td><${Badge} status=${r.status} /></td><td>${r.errorCode === 'NoError' ? '' : word(r.errorCode)}</td></tr>`)}</tbody>
  </table></div></div>`;
}

export function ChargerPage({ param: cpId }) {
  const charger = useAsync(async () => (/** @type {import('../api-types.js').ChargerAnswer} */ (await api(chargerPath(cpId)))).charger, [cpId]);
  const running = useAsync(() => loadTransactions({ charger: cpId, status: 'RUNNING' }), [cpId]);
  const stations = useAsync(loadStations);
  const tariff = useAsync(async () => (/** @type {import('../api-types.js').ChargerTariffAnswer} */ (await api(`${chargerPath(cpId)}/tariff`))).effective, [cpId]);
  const tariffs = useAsync(async () => (/** @type {import('../api-types.js').TariffList} */ (await api('/api/admin/tariffs'))).tariffs);
  const reload = () => { charger.reload(); running.reload(); };
  // What pushed events carry is patched in (every frame heard; a session's meter); only what an event
  // does not carry is fetched again, at most every 2 s (a charger metering every few seconds costs nothing).
  const [heard, setHeard] = useState(/** @type {{ seen?: string, heartbeat?: string }} */ ({}));
  const [meter, setMeter] = useState(/** @type {Record<number, { powerW: number | null, energyWh: number | null }>} */ ({}));
  useEffect(() => setMeter({}), [running.data]);
  const refetch = useRefetch({ charger: charger.reload, running: running.reload }, 2000, [cpId]);
  useLive(({ type, data }) => {
    if (type === 'resync') return refetch('charger', 'running');
    if (data?.chargePointId !== cpId) return;
    if (type === 'log') {
      if (data.direction === 'IN') setHeard((h) => ({ seen: data.createdAt, heartbeat: data.action === 'Heartbeat' && data.messageType === 2 ? data.createdAt : h.heartbeat }));
    } else if (type === 'transaction.updated') {
      setMeter((m) => ({ ...m, [data.transactionId]: { powerW: data.powerW, energyWh: data.energyWh } }));
    } else if (type.startsWith('transaction.')) refetch('running');
    else refetch('charger'); // connector status, connected, booted, edited…: the charger's own state
  }, [cpId]);
  const c = charger.data;
  if (!c) return html`<section><h1>${cpId}</h1><${ErrorBox} error=${charger.error} /><${Loading} when=${charger.loading} /></section>`;
  const online = isOnline(c);
  const connectors = connectorsOf(c);
  const sessions = (running.data || []).filter((t) => t.status === 'RUNNING').map((t) => {
    const m = meter[t.id];
    return m ? { ...t, lastPowerW: m.powerW ?? t.lastPowerW, energyWh: m.energyWh ?? txEnergy(t) } : t;
  });
  const latest = (...times) => times.filter(Boolean).sort().pop();
  const history = c.statusHistory;
  return html`<section>
    <h1>${c.name || cpId} <span class=${`badge ${online ? 'ok' : 'off'}`} data-testid="online">${online ? 'online' : 'offline'}</span></h1>
    <${ErrorBox} error=${charger.error || running.error} />
    <div class="cols">
      <div class="card"><h3>Charger</h3><dl class="facts">
        <dt>Id</dt><dd>${cpId}</dd>
        <dt>Vendor / model</dt><dd>${[c.vendor, c.model].filter(Boolean).join(' / ') || '–'}</dd>
        <dt>Serial</dt><dd>${c.chargeBoxSerialNumber || c.serialNumber || '–'}</dd>
        <dt>Firmware</dt><dd>${c.firmwareVersion || '–'}</dd>
        <dt>Last boot</dt><dd>${fmt.time(c.lastBootAt)}</dd>
        <dt>Last heard</dt><dd data-testid="last-heard">${fmt.time(latest(heard.seen, c.lastSeenAt))}</dd>
        <dt>Last heartbeat</dt><dd>${fmt.time(latest(heard.heartbeat, c.lastHeartbeatAt))}</dd>
        <dt>Registration</dt><dd>${word(c.registrationStatus)}</dd>
        <dt>Password</dt><dd>${c.hasPassword ? 'set' : 'none'}</dd>
        <dt>Tariff</dt><dd data-testid="tariff">${tariff.data ? `${tariff.data.tariff.name} (${SOURCE_WORDS[tariff.data.source]}), ${fmt.money(tariff.data.tariff.pricePerKwh, tariff.data.tariff.currency)} per kWh`
          : tariff.data === null ? 'none: charging here is free' : '–'} <${Link} href="/tariffs">Tariffs</${Link}></dd>
      </dl></div>
      <div class="card"><h3>Connectors</h3><ul class="connectors">
        ${connectors.map((k) => {
          const tx = sessions.find((t) => t.connectorId === k.connectorId);
          return html`<li data-connector=${k.connectorId}>#${k.connectorId} <${Badge} status=${online ? k.status : 'Offline'} />
            ${k.errorCode && k.errorCode !== 'NoError' && html`<span class="badge bad">${word(k.errorCode)}</span>`}
            ${k.availability && k.availability !== 'Operative' && html`<span class="badge off">${word(k.availability)}${k.availabilityScheduled ? ' (scheduled)' : ''}</span>`}
            ${tx && html`<span class="session"><${Link} href=${`/transactions/${tx.id}`}>session #${tx.id}</${Link}>${` ${tx.userName || tx.idTag} · `}<span data-testid="session-power">${fmt.kw(tx.lastPowerW)}</span> · <span data-testid="session-energy">${fmt.kwh(txEnergy(tx))}</span></span>`}</li>`;
        })}
        ${connectors.length === 0 && html`<li class="muted">none reported yet</li>`}
      </ul></div>
    </div>
    ${isAdmin() && html`<${ChargerActions} cpId=${cpId} connectors=${connectors} running=${sessions} onChange=${reload} />`}
    ${isAdmin() && html`<${Section} title="Edit, password and delete" testid="edit"><div class="card">
      <${Form} submit=${(d) => api(chargerPath(cpId), { method: 'PUT', body: editBody(d) })} onDone=${() => { charger.reload(); tariff.reload(); }}
        confirm=${(d) => editQuestion(d, c, sessions, stations.data, tariffs.data)}>
        <${Field} label="Name" name="name" value=${c.name} />
        <label>Station <select name="stationId">
          ${stationsOptions(stations.data || []).map(([v, l]) => html`<option value=${v} selected=${v === (c.stationId == null ? '' : String(c.stationId))}>${l}</option>`)}</select></label>
        <${Field} label="Max current (A, blank = no cap)" name="maxCurrentA" type="number" min="0.1" step="0.1" value=${c.maxCurrentA} />
        <label>OCPP compatibility <select name="compatMode">
          <option value="tolerant" selected=${c.compatMode === 'tolerant'}>tolerant: repair known charger deviations</option>
          <option value="strict" selected=${c.compatMode === 'strict'}>strict: official schemas only (conformance testing)</option></select></label>
        <label>Security profile (as the charger is set up; to raise it over the air use Security)
          <select name="securityProfile">${PROFILE_OPTIONS.map(([v, l]) => html`<option value=${v} selected=${v === String(c.securityProfile ?? 1)}>${l}</option>`)}</select></label>
        <${Field} label="New password (blank = keep)" name="password" type="password" autocomplete="new-password" />
      </${Form}>
      <p><${Action} label="Delete charger" danger confirm=${`Delete ${cpId}? Its history is kept or archived.`}
        run=${() => api(chargerPath(cpId), { method: 'DELETE' })} onDone=${() => navigate('/chargers')} /></p>
    </div></${Section}>`}
    <p><${Link} href=${`/transactions?charger=${encodeURIComponent(cpId)}`}>Sessions of this charger</${Link}>${' · '}<${Link} href=${`/log?chargePointId=${encodeURIComponent(cpId)}`}>Message log</${Link}></p>
    <${Section} title="Local list and reservations" testid="blocks"><div class="cols">
      <${LocalListPanel} cpId=${cpId} />
      <${ReservationsPanel} cpId=${cpId} connectors=${connectors} />
    </div></${Section}>
    <${Section} title="Charging profiles" testid="profiles"><${ProfilesPanel} cpId=${cpId} connectors=${connectors} running=${sessions} /></${Section}>
    <${Section} title="Firmware and diagnostics" testid="firmware"><${FirmwarePanel} cpId=${cpId} /></${Section}>
    <${Section} title="Charger compatibility" testid="compat"><${CompatPanel} cpId=${cpId} mode=${c.compatMode} /></${Section}>
    <${Section} title="Security" testid="security"><${SecurityPanel} cpId=${cpId} profile=${c.securityProfile ?? 1} onChange=${charger.reload} /></${Section}>
    <${Section} title="Configuration keys" testid="config"><${ConfigKeys} cpId=${cpId} /></${Section}>
    ${history.length > 0 && html`<${Section} title="Status history" testid="history"><${StatusHistory} rows=${history} /></${Section}>`}
  </section>`;
}
