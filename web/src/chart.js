// Power and energy of one session over time as a small SVG (no chart library): power on the left
// axis (kW), energy on the right (kWh), time along the bottom.
import { html } from './html.js';

// Margins fit the labels at the phone size too (style.css draws them larger there).
const W = 640, H = 300, L = 84, R = 96, T = 16, B = 44;

/** Meter-value rows -> [{t, powerW?, energyWh?}] sorted by time (energy relative to the session start). */
export function seriesOf(rows, meterStart = 0) {
  const power = [], energy = [];
  for (const r of rows) {
    const v = r.normalized ?? Number(r.value);
    if (!Number.isFinite(v) || r.phase) continue;
    const t = new Date(r.timestamp).getTime();
    if (r.measurand === 'Power.Active.Import') power.push([t, v]);
    else if (!r.measurand || r.measurand === 'Energy.Active.Import.Register') energy.push([t, v - meterStart]);
  }
  const byTime = (a, b) => a[0] - b[0];
  return { power: power.sort(byTime), energy: energy.sort(byTime) };
}

const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** The five tick labels with the fewest decimals that write each exactly (5, 10, 15 or 1.25, 2.5…). */
export function tickLabels(max) {
  for (let d = 0; d < 3; d++) {
    if (TICKS.every((f) => Math.abs(Number((max * f).toFixed(d)) - max * f) < 1e-9)) return TICKS.map((f) => (max * f).toFixed(d));
  }
  return TICKS.map((f) => (max * f).toFixed(3));
}

const niceMax = (v) => { if (v <= 0) return 1; const p = 10 ** Math.floor(Math.log10(v)); return Math.ceil(v / p) * p; };

export function MeterChart({ rows, meterStart }) {
  const { power, energy } = seriesOf(rows, meterStart);
  const all = [...power, ...energy];
  if (all.length < 1) return html`<p class="muted">No meter values yet.</p>`;
  const t0 = Math.min(...all.map((p) => p[0])), t1 = Math.max(...all.map((p) => p[0]), t0 + 1000);
  const pMax = niceMax(Math.max(0, ...power.map((p) => p[1])) / 1000);
  // Under 1 kWh the energy axis counts Wh: "0.0015" does not fit beside the chart on a phone, "1.5" does.
  const eTopWh = Math.max(0, ...energy.map((p) => p[1]));
  const eUnit = eTopWh < 1000 ? 'Wh' : 'kWh';
  const eMax = niceMax(eUnit === 'Wh' ? eTopWh : eTopWh / 1000);
  const eScale = eUnit === 'Wh' ? 1 : 1000;
  const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const y = (v, max) => H - B - (v / max) * (H - T - B);
  const line = (pts, max, scale = 1000) => pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v / scale, max).toFixed(1)}`).join(' ');
  const pLabels = tickLabels(pMax), eLabels = tickLabels(eMax);
  // A short session's two ends would read the same minute: then with seconds.
  const time = (t) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: t1 - t0 < 600_000 ? '2-digit' : undefined });
  return html`<figure>
    <div class="legend"><span class="p">— power (kW, left)</span><span class="e">— energy (${eUnit}, right)</span></div>
    <svg class="chart" viewBox=${`0 0 ${W} ${H}`} role="img" aria-label="power and energy over time" data-testid="meter-chart">
      ${TICKS.map((f, i) => html`<g>
        <line x1=${L} x2=${W - R} y1=${y(f, 1)} y2=${y(f, 1)} stroke="#bbb" />
        <text x=${L - 6} y=${y(f, 1) + 6} text-anchor="end">${pLabels[i]}</text>
        <text x=${W - R + 6} y=${y(f, 1) + 6}>${eLabels[i]}</text>
      </g>`)}
      <line x1=${L} x2=${L} y1=${T} y2=${H - B} stroke="#000" /><line x1=${W - R} x2=${W - R} y1=${T} y2=${H - B} stroke="#000" />
      <text x=${L} y=${H - 10}>${time(t0)}</text><text x=${W - R} y=${H - 10} text-anchor="end">${time(t1)}</text>
      ${power.length > 0 && html`<polyline class="power" fill="none" stroke-width="3" points=${line(power, pMax)} />`}
      ${energy.length > 0 && html`<polyline class="energy" fill="none" stroke-width="3" stroke-dasharray="7 4" points=${line(energy, eMax, eScale)} />`}
      ${power.length === 1 && html`<circle class="power" cx=${x(power[0][0])} cy=${y(power[0][1] / 1000, pMax)} r="4" fill="#0047b3" />`}
    </svg>
  </figure>`;
}
