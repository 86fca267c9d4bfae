// Dashboard: every charger and connector with live status, active sessions' power and energy,
// today's totals and the MQTT sync state. Loaded once, then patched by pushed events.
import { word } from '../words.js';
import { useMemo, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, ApiError } from '../api.js';
import { useLive, useStore } from '../store.js';
import { Badge, ErrorBox, Link, Loading, fmt, throttle, useAsync } from '../ui.js';
import { chargerKey, connectorsOf, isOnline, loadChargers, loadTransactions, startOfToday, syncOf, txCharger, txEnergy } from '../model.js';
import { HealthAlert, ServerTile, loadHealth } from '../health.js';
import { ChargingNow } from './chargingNow.js';

export function DashboardPage() {
  const chargers = useAsync(loadChargers);
  const running = useAsync(() => loadTransactions({ status: 'RUNNING', limit: 200 }));
  const today = useAsync(() => api(`/api/admin/transactions/summary?from=${encodeURIComponent(startOfToday())}`));
  const health = useAsync(loadHealth); // a degraded site's 503 body too
  // Live patches on top of what was loaded: by charger id, and by transaction id.
  const [patch, setPatch] = useState({ chargers: {}, tx: {} });

  const reloadSessions = useMemo(() => throttle(() => { running.reload(); today.reload(); chargers.reload(); }, 500), []);
  const reloadHealth = useMemo(() => throttle(() => health.reload(), 2000), []);

  useLive(({ type, data }) => {
    if (type === 'resync') { chargers.reload(); running.reload(); today.reload(); health.reload(); setPatch({ chargers: {}, tx: {} }); return; }
    if (type === 'charger.connected' || type === 'charger.disconnected') {
      setPatch((p) => ({ ...p, chargers: { ...p.chargers, [data.chargePointId]: { ...p.chargers[data.chargePointId], online: type === 'charger.connected' } } }));
      if (type === 'charger.connected') chargers.reload();
    } else if (type === 'connector.status') {
      setPatch((p) => {
        const c = p.chargers[data.chargePointId] || {};
        return { ...p, chargers: { ...p.chargers, [data.chargePointId]: { ...c, connectors: { ...c.connectors, [data.connectorId]: data } } } };
      });
    } else if (type === 'transaction.updated') {
      setPatch((p) => ({ ...p, tx: { ...p.tx, [data.transactionId]: data } }));
    } else if (type === 'transaction.started' || type === 'transaction.stopped') {
      reloadSessions();
    }
    if (type === 'outbox.added' || type.startsWith('sync') || type.startsWith('mqtt')) reloadHealth();
  }, []);

  const list = chargers.data || [];
  /** @type {Array<import('../api-types.js').Transaction & { liveEnergyWh?: number }>} */
  const sessions = (running.data || []).map((tx) => {
    const live = patch.tx[tx.id];
    return live ? { ...tx, lastPowerW: live.powerW ?? tx.lastPowerW, liveEnergyWh: live.energyWh ?? undefined } : tx;
  });
  const sessionOn = (cpId, connectorId) => sessions.find((t) => txCharger(t) === cpId && t.connectorId === connectorId);
  // Today's energy from the server, plus what running sessions metered since it was loaded.
  const liveExtraWh = sessions.reduce((sum, t) => sum + (t.liveEnergyWh === undefined ? 0 : Math.max(0, t.liveEnergyWh - (Number(txEnergy(t)) || 0))), 0);
  const todayWh = (Number(today.data?.energyWh) || 0) + liveExtraWh;
  const powerW = sessions.reduce((s, t) => s + (Number(t.lastPowerW) || 0), 0);
  const sync = syncOf(health.data);
  // With the event stream gone (server down, network lost) nothing here is current: say so, and do not
  // claim chargers online or the server ok from what was loaded before.
  const { live, liveLostAt } = useStore();
  const lost = (live !== 'live' && !!liveLostAt) || (health.error instanceof ApiError && health.error.status === 0);
  // health keeps the last error after a reconnect (Settings shows it); the tile shows only a current problem

  return html`<section>
    <h1>Dashboard</h1>
    <div class="tiles">
      <div class="tile"><span>Power now</span><strong data-testid="site-power">${fmt.kw(powerW)}</strong></div>
      <div class="tile"><span>Active sessions</span><strong>${sessions.length}</strong></div>
      <div class="tile"><span>Energy today</span><strong data-testid="today-energy">${fmt.kwh(todayWh)}</strong></div>
      <div class="tile"><span>Sessions today</span><strong data-testid="today-sessions">${today.data?.sessions ?? '–'}</strong></div>
      <div class="tile" data-testid="sync-tile"><span>MQTT sync</span><strong data-testid="sync-state">${sync.state ?? '–'}</strong>
        <small data-testid="sync-backlog">backlog ${sync.backlog ?? '–'}</small>
        ${sync.lastPublishAt && html`<small data-testid="sync-last-publish">last publish <time datetime=${sync.lastPublishAt}>${fmt.clock(sync.lastPublishAt)}</time></small>`}
        ${sync.lastError && sync.state !== 'connected' && html`<small class="sync-error" data-testid="sync-error">${sync.lastError.message}${sync.lastError.at && html` (<time datetime=${sync.lastError.at}>${fmt.clock(sync.lastError.at)}</time>)`}</small>`}</div>
      <${ServerTile} health=${health.data} lost=${lost} />
    </div>
    ${lost && html`<div class="error" role="alert" data-testid="connection-lost">No connection to the server${liveLostAt ? html` since <time datetime=${liveLostAt}>${fmt.clock(liveLostAt)}</time>` : ''}.
      Charger states below are the last known ones and may be out of date. Trying again…</div>`}
    <${HealthAlert} health=${health.data} />
    <${ErrorBox} error=${chargers.error || running.error || today.error || health.error} />
    <${Loading} when=${chargers.loading && !chargers.data} />
    <h2>Charging now</h2>
    ${running.data && html`<${ChargingNow} sessions=${sessions} onChange=${reloadSessions} />`}
    <h2>Chargers</h2>
    ${chargers.data && list.length === 0 && html`<p>No chargers yet. <${Link} href="/chargers">Register one</${Link}>.</p>`}
    <div class="grid">
      ${list.map((c) => {
        const cpId = chargerKey(c);
        const p = patch.chargers[cpId] || {};
        const online = !lost && (p.online ?? isOnline(c));
        const connectors = connectorsOf(c).map((k) => ({ ...k, ...(p.connectors && p.connectors[k.connectorId]) }));
        for (const [id, s] of Object.entries(p.connectors || {})) {
          if (Number(id) !== 0 && !connectors.some((k) => k.connectorId === Number(id))) connectors.push({ connectorId: Number(id), ...s });
        }
        return html`<article class=${`card charger ${online ? 'online' : 'offline'}`} data-charger=${cpId}>
          <h2><${Link} href=${`/chargers/${encodeURIComponent(cpId)}`}>${c.name || cpId}</${Link}>
            <span class=${`badge ${online ? 'ok' : 'off'}`} data-testid="online">${lost ? 'not known' : online ? 'online' : 'offline'}</span></h2>
          ${c.name && html`<small class="muted">${cpId}</small>`}
          ${connectors.length === 0 && html`<p class="muted">no connector reported yet</p>`}
          <ul class="connectors">${connectors.map((k) => {
            const tx = sessionOn(cpId, k.connectorId);
            return html`<li data-connector=${k.connectorId}>
              <span>#${k.connectorId}</span> <${Badge} status=${lost ? 'Unknown' : online ? k.status : 'Offline'} />
              ${k.errorCode && k.errorCode !== 'NoError' && html`<span class="badge bad">${word(k.errorCode)}</span>`}
              ${tx && html`<span class="session"><${Link} href=${`/transactions/${tx.id}`}>#${tx.id}</${Link}>${' '}
                <strong data-testid="power">${fmt.kw(tx.lastPowerW)}</strong> · <span data-testid="energy">${fmt.kwh(tx.liveEnergyWh ?? txEnergy(tx))}</span></span>`}
            </li>`;
          })}</ul>
        </article>`;
      })}
    </div>
  </section>`;
}
