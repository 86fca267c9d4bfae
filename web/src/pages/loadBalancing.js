// Site load management, live: the circuit tree (site → feeders) with each limit, the building's other load
// from the grid meter, headroom, what is allocated and what is measured per phase, and every session with its
// setpoint and the reason for it. The server pushes each new view (loadBalancing.updated); nothing polls.
import { useState, useEffect } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { Badge, ErrorBox, Link, Loading, fmt } from '../ui.js';
import { useLive } from '../store.js';

const PHASES = ['L1', 'L2', 'L3'];
const amps = (a) => (a == null ? '–' : `${a} A`);
const triple = (t) => (t ? t.join('/') : '–');

function useLoadView() {
  const [state, setState] = useState({ data: null, error: null });
  const load = () => api('/api/admin/load-balancing').then((data) => setState({ data, error: null }), (error) => setState((s) => ({ ...s, error })));
  useEffect(() => { load(); }, []);
  useLive(({ type, data }) => {
    if (type === 'resync') load();
    else if (type === 'loadBalancing.updated' && data && data.rows) setState({ data, error: null });
  }, []);
  return state;
}

function depthOf(circuits, c) {
  let d = 0;
  for (let p = c.parent; p; p = circuits.find((x) => x.id === p)?.parent) d++;
  return d;
}

/** The circuits in tree order (each parent before its children). */
function treeOrder(circuits) {
  const out = [];
  const walk = (parent) => circuits.filter((c) => c.parent === parent).forEach((c) => { out.push(c); walk(c.id); });
  walk(null);
  return out;
}

function CircuitTree({ view }) {
  const circuits = treeOrder(view.circuits || []);
  return html`<div class="table-wrap"><table data-testid="load-circuits">
    <thead><tr><th>Circuit</th><th class="num">Room</th><th class="num">Allocated</th><th class="num">Measured</th><th class="num">Headroom</th></tr></thead>
    <tbody>${circuits.map((c) => html`<tr data-circuit=${c.id}>
      <td style=${`padding-left:${0.5 + depthOf(view.circuits, c) * 1}rem`}><strong>${c.id}</strong>
        <br /><small>${[c.limitA != null ? `${c.limitA} A` : '', c.limitKw != null ? `${c.limitKw} kW` : ''].filter(Boolean).join(' · ')}</small></td>
      <td class="num">${triple(c.roomA)}${c.roomKw != null ? html`<br /><small>${c.roomKw} kW</small>` : ''}</td>
      <td class="num">${triple(c.allocatedA)}</td>
      <td class="num">${triple(c.measuredA)}</td>
      <td class="num">${triple(c.headroomA)}</td>
    </tr>`)}</tbody>
  </table><p class="muted"><small>A per phase, L1/L2/L3</small></p></div>`;
}

function GridMeter({ meter }) {
  if (!meter || !meter.configured) return html`<div class="tile"><span>Grid meter</span><strong>none</strong><small>static limits only</small></div>`;
  return html`<div class="tile" data-testid="grid-meter"><span>Grid meter</span>
    <strong>${meter.state}</strong>
    <small>${meter.state === 'fresh' ? `building ${triple(meter.otherA)} A` : `fallback ${meter.fallbackLimitA} A for charging`}${meter.ageSec != null ? ` · ${meter.ageSec} s old` : ''}</small>
    <small class="muted">${meter.topic}</small></div>`;
}

function SessionRows({ rows }) {
  return html`<div class="table-wrap"><table class="wrap">
    <thead><tr><th>Session</th><th class="num">Allocated</th><th class="num">Measured</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr data-allocation=${r.transactionId}>
      <td><${Link} href=${`/chargers/${encodeURIComponent(r.chargePointId)}`}>${r.chargePointId}</${Link}> #${r.connectorId}
        · <small><${Link} href=${`/transactions/${r.transactionId}`}>session #${r.transactionId}</${Link}></small>
        <br /><small class="muted">${r.circuit} · ${r.phases}${r.priority ? ` · priority ${r.priority}` : ''}</small>
        <br /><${Badge} status=${r.compliant ? r.profileStatus : 'non-compliant'} /> <small>${r.profileKind}</small>
        ${r.waitingSince ? html`<br /><small>waiting since ${fmt.clock(r.waitingSince)}</small>` : ''}
        <br /><small>${r.reason}</small></td>
      <td class="num" data-testid="allocated">${amps(r.allocatedA)}<br /><small class="muted">${r.minA}–${r.maxA == null ? '∞' : r.maxA} A</small></td>
      <td class="num">${r.measuredPhaseA ? `${triple(r.measuredPhaseA)} A` : '–'}</td>
    </tr>`)}</tbody>
  </table></div>`;
}

export function LoadBalancing() {
  const { data: d, error } = useLoadView();
  if (!d) return html`<div class="card"><h2>Load management</h2><${ErrorBox} error=${error} /><${Loading} when=${!error} /></div>`;
  const rows = d.rows || [];
  const site = (d.circuits || []).find((c) => c.id === 'site');
  const waiting = rows.filter((r) => r.setpointA === 0 && r.steerable).length;
  const nonCompliant = rows.filter((r) => !r.compliant).length;
  return html`<div class="card" data-testid="load-balancing">
    <h2>Load management <span class=${`badge ${d.enabled ? 'ok' : 'off'}`}>${d.enabled ? 'on' : 'off'}</span></h2>
    <${ErrorBox} error=${error} />
    ${!d.enabled && html`<p>Off: set <code>loadBalancing.enabled</code> and <code>loadBalancing.siteLimitA</code> (or <code>siteLimitKw</code>) in the config to share the site's limit between the chargers.</p>`}
    ${d.enabled && html`<div class="tiles">
      <div class="tile"><span>Site limit</span><strong data-testid="site-limit">${d.siteLimitA != null ? `${d.siteLimitA} A` : `${d.siteLimitKw} kW`}</strong>
        <small>${d.siteLimitA != null && d.siteLimitKw != null ? `${d.siteLimitKw} kW · ` : ''}per phase · ${d.voltage} V</small></div>
      <${GridMeter} meter=${d.meter} />
      <div class="tile"><span>Headroom</span><strong data-testid="headroom">${site && site.headroomA ? `${triple(site.headroomA)} A` : '–'}</strong><small>${PHASES.join('/')}</small></div>
      <div class="tile"><span>Allocated</span><strong data-testid="allocated-total">${d.totalAllocatedA} A</strong>
        <small>${rows.length} session${rows.length === 1 ? '' : 's'}${waiting ? ` · ${waiting} waiting` : ''}${nonCompliant ? ` · ${nonCompliant} non-compliant` : ''}</small></div>
    </div>
    <${CircuitTree} view=${d} />`}
    ${rows.length > 0 && html`<${SessionRows} rows=${rows} />`}
    ${d.enabled && rows.length === 0 && html`<p class="muted">No sessions running.</p>`}
    ${d.updatedAt && html`<p class="muted">Computed ${fmt.time(d.updatedAt)}</p>`}
  </div>`;
}
