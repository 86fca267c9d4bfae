// Tariffs: every tariff with its prices, which chargers and stations it prices and which is the default;
// admins create one, change its prices and pick the tariff of each charger and station. Every change that
// moves money is asked first, saying what changes and for how many chargers. The server keeps a snapshot of
// the tariff on each session, so a change only prices sessions that start after it.
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin, store, useLive } from '../store.js';
import { Action, ErrorBox, Field, Form, Link, Loading, Section, fmt, useAsync } from '../ui.js';
import { loadChargers } from '../model.js';
import { loadStations } from './chargers.js';
import { SOURCE_WORDS, effectiveTariff, priceMinor } from '../tariffModel.js';

/** The money fields of a tariff, how a form names them and how a price reads. */
const PRICES = /** @type {const} */ ([
  ['pricePerKwh', 'Price per kWh', 'per kWh'],
  ['sessionFee', 'Session fee', 'per session'],
  ['pricePerMinute', 'Price per minute charging', 'per minute charging'],
  ['idleFeePerMinute', 'Idle fee per minute', 'per minute plugged in but not charging'],
]);

const major = (minor) => (Number(minor) / 100).toFixed(2);
const plural = (n, one) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** @typedef {import('../api-types.js').Tariff} Tariff */
/** @typedef {import('../api-types.js').Charger} Charger */
/** @typedef {import('../api-types.js').Station} Station */

/** @param {Tariff} t */
export function priceLines(t) {
  const lines = PRICES.filter(([k]) => k === 'pricePerKwh' || t[k] > 0).map(([k, , per]) => `${fmt.money(t[k], t.currency)} ${per}`);
  lines.push(t.taxPercent > 0 ? `plus ${t.taxPercent} % tax` : 'no tax added');
  return lines;
}

/** The form's tax percent: blank is 0, a comma reads as a point. */
function taxOf(d) {
  const tax = String(d.taxPercent ?? '').trim() === '' ? 0 : Number(String(d.taxPercent).replace(',', '.'));
  if (!Number.isFinite(tax) || tax < 0 || tax > 100) throw new Error('Tax: write a percentage from 0 to 100, like 21.');
  return tax;
}

/** What the edit form would change, as the API body and as sentences ("Price per kWh 0.30 EUR → 0.35 EUR"). @param {Tariff} t */
function changesOf(t, d) {
  /** @type {Record<string, unknown>} */
  const body = {};
  const lines = [];
  const name = String(d.name || '').trim();
  if (name && name !== t.name) { body.name = name; lines.push(`Name "${t.name}" → "${name}"`); }
  for (const [k, label] of PRICES) {
    const v = priceMinor(d[k], label);
    if (v !== t[k]) { body[k] = v; lines.push(`${label} ${fmt.money(t[k], t.currency)} → ${fmt.money(v, t.currency)}`); }
  }
  const tax = taxOf(d);
  if (tax !== t.taxPercent) { body.taxPercent = tax; lines.push(`Tax ${t.taxPercent} % → ${tax} %`); }
  const isDefault = d.isDefault === 'on';
  if (isDefault !== t.isDefault) { body.isDefault = isDefault; lines.push(isDefault ? 'Becomes the default tariff' : 'Is no longer the default tariff'); }
  return { body, lines };
}

/** @param {{ tariff: Tariff, uses: number, defaultUses: number, onDone: () => void }} props */
function EditTariff({ tariff: t, uses, defaultUses, onDone }) {
  const ask = (d) => {
    const { lines } = changesOf(t, d);
    if (lines.length === 0) throw new Error('Nothing to change: these are the prices it has.');
    const free = d.isDefault !== 'on' && t.isDefault && defaultUses > 0
      ? ` ${plural(defaultUses, 'charger')} without a tariff of their own then charge nothing.` : '';
    return `${lines.join('; ')}, for new sessions on ${plural(uses, 'charger')}? Sessions already started keep their price.${free}`;
  };
  return html`<${Form} label="Change prices" okText="Prices changed" testid=${`edit-tariff-${t.id}`} confirm=${ask} onDone=${onDone}
      submit=${(d) => api(`/api/admin/tariffs/${t.id}`, { method: 'PATCH', body: changesOf(t, d).body })}>
    <${Field} label="Name" name="name" value=${t.name} required />
    ${PRICES.map(([k, label]) => html`<${Field} label=${`${label} (${t.currency})`} name=${k} value=${major(t[k])} inputmode="decimal" />`)}
    <${Field} label="Tax added (%)" name="taxPercent" value=${String(t.taxPercent)} inputmode="decimal" />
    <label class="check"><input type="checkbox" name="isDefault" defaultChecked=${t.isDefault} /> Default tariff (for chargers without their own or their station's)</label>
  </${Form}>`;
}

/** @param {{ tariffs: Tariff[], defaultUses: number, onDone: () => void }} props */
function NewTariff({ tariffs, defaultUses, onDone }) {
  const siteCurrency = store.get().site?.currency || '';
  const bodyOf = (d) => {
    /** @type {Record<string, unknown>} */
    const body = { name: String(d.name || '').trim() };
    for (const [k, label] of PRICES) body[k] = priceMinor(d[k], label);
    const currency = String(d.currency || '').trim().toUpperCase();
    if (currency) body.currency = currency;
    body.taxPercent = taxOf(d);
    if (d.isDefault === 'on') body.isDefault = true;
    return body;
  };
  // Only a new default moves money at once: it prices every charger without a tariff of its own.
  const ask = (d) => {
    const body = bodyOf(d);
    if (!body.isDefault) return null;
    const before = tariffs.find((t) => t.isDefault);
    return `Make "${body.name}" the default tariff? New sessions on ${plural(defaultUses, 'charger')} without a tariff of their own then cost ` +
      `${fmt.money(body.pricePerKwh, body.currency || siteCurrency)} per kWh${before ? ` instead of ${fmt.money(before.pricePerKwh, before.currency)}` : ' instead of nothing'}.`;
  };
  return html`<${Form} label="Create tariff" okText="Tariff created" testid="new-tariff" confirm=${ask} onDone=${(_r, form) => { form.reset(); onDone(); }}
      submit=${(d) => api('/api/admin/tariffs', { method: 'POST', body: bodyOf(d) })}>
    <${Field} label="Name" name="name" required placeholder="e.g. Evening" />
    <${Field} label="Currency" name="currency" value=${siteCurrency} placeholder="EUR" />
    ${PRICES.map(([k, label]) => html`<${Field} label=${label} name=${k} required=${k === 'pricePerKwh'} placeholder="0.00" inputmode="decimal" />`)}
    <${Field} label="Tax added (%)" name="taxPercent" placeholder="0" inputmode="decimal" />
    <label class="check"><input type="checkbox" name="isDefault" /> Default tariff (for chargers without their own or their station's)</label>
  </${Form}>`;
}

export const tariffLabel = (t) => (t ? `${t.name} (${fmt.money(t.pricePerKwh, t.currency)} per kWh)` : 'no tariff (free)');

/**
 * One charger's or station's tariff: what prices it now and, for admins, a choice to change it (asked first).
 * @param {{ what: string, ownId: number | null, now: Tariff | undefined, fallback: Tariff | undefined, tariffs: Tariff[], put: (id: number | null) => Promise<unknown>, onDone: () => void }} props
 */
function AssignTariff({ what, ownId, now, fallback, tariffs, put, onDone }) {
  const pick = (d) => (d.tariffId === '' ? null : Number(d.tariffId));
  const ask = (d) => {
    const id = pick(d);
    if (id === ownId) throw new Error('That is the tariff it has already.');
    const next = id === null ? fallback : tariffs.find((t) => t.id === id);
    return `New sessions on ${what} are then priced by ${tariffLabel(next)} instead of ${tariffLabel(now)}?`;
  };
  return html`<${Form} cls="inline" label="Set tariff" okText="Tariff set" testid="set-tariff" confirm=${ask} submit=${(d) => put(pick(d))} onDone=${onDone}>
    <label>Tariff <select name="tariffId">
      <option value="" selected=${ownId == null}>${fallback ? `the ${fallback.isDefault ? 'default' : "station's"} (${fallback.name})` : 'none (free)'}</option>
      ${tariffs.map((t) => html`<option value=${String(t.id)} selected=${t.id === ownId}>${t.name}</option>`)}</select></label>
  </${Form}>`;
}

export function TariffsPage() {
  const tariffs = useAsync(async () => (/** @type {import('../api-types.js').TariffList} */ (await api('/api/admin/tariffs'))).tariffs);
  const chargers = useAsync(loadChargers);
  const stations = useAsync(loadStations);
  useLive(({ type }) => { if (type === 'resync' || type === 'charger.created' || type === 'charger.deleted') chargers.reload(); }, []);
  const all = tariffs.data || [];
  const cs = chargers.data || [];
  const ss = stations.data || [];
  const reload = () => { tariffs.reload(); chargers.reload(); stations.reload(); };
  const priced = cs.map((c) => ({ c, eff: effectiveTariff(c, ss, all) }));
  const defaultUses = priced.filter((p) => p.eff?.source === 'default').length;
  const fallbackOf = (c) => effectiveTariff({ ...c, tariffId: null }, ss, all)?.tariff;
  const defaultTariff = all.find((t) => t.isDefault);
  return html`<section>
    <h1>Tariffs</h1>
    <p class="muted">A charger is priced by its own tariff, else its station's, else the default. A change prices the sessions that start after it; sessions already started keep their price.</p>
    <${ErrorBox} error=${tariffs.error || chargers.error} />
    <${Loading} when=${tariffs.loading && !tariffs.data} />
    ${tariffs.data && all.length === 0 && html`<p>No tariffs yet: charging is free until one is made the default.</p>`}
    <div class="cols">${all.map((t) => {
      const on = priced.filter((p) => p.eff?.tariff.id === t.id);
      const ofStations = ss.filter((s) => s.tariffId === t.id);
      return html`<div class="card" key=${t.id} data-tariff=${t.id}>
        <h2>${t.name} ${t.isDefault && html`<span class="badge ok" data-testid="default">Default</span>`}</h2>
        <ul class="prices" data-testid="prices">${priceLines(t).map((l) => html`<li>${l}</li>`)}</ul>
        <p data-testid="used-by">${on.length
          ? html`Prices new sessions on ${plural(on.length, 'charger')}: ${on.map((p, i) => html`${i ? ', ' : ''}<${Link} href=${`/chargers/${encodeURIComponent(p.c.chargePointId)}`}>${p.c.name || p.c.chargePointId}</${Link}>`)}`
          : 'No charger uses it now.'}
          ${ofStations.length > 0 && html`<br />Station tariff of ${ofStations.map((s) => s.name).join(', ')}.`}</p>
        ${isAdmin() && html`<${Section} title="Change prices" testid=${`edit-${t.id}`}>
          <${EditTariff} tariff=${t} uses=${on.length} defaultUses=${defaultUses} onDone=${reload} />
          <p><${Action} label="Delete tariff" danger confirm=${`Delete ${t.name}?${t.isDefault ? ' Chargers without a tariff of their own then charge nothing.' : ''}`}
            run=${() => api(`/api/admin/tariffs/${t.id}`, { method: 'DELETE' })} onDone=${reload} /></p></${Section}>`}
      </div>`;
    })}</div>
    <h2>Which tariff each charger uses</h2>
    <div class="table-wrap"><table class="cards" data-testid="charger-tariffs">
      <thead><tr><th>Charger</th><th>Priced by</th>${isAdmin() && html`<th>Change</th>`}</tr></thead>
      <tbody>${priced.map(({ c, eff }) => html`<tr key=${c.chargePointId} data-charger=${c.chargePointId}>
        <td class="main" data-label=""><${Link} href=${`/chargers/${encodeURIComponent(c.chargePointId)}`}>${c.name || c.chargePointId}</${Link}></td>
        <td data-label="Priced by" data-testid="priced-by">${eff ? `${eff.tariff.name} (${SOURCE_WORDS[eff.source]})` : 'nothing: free'}</td>
        ${isAdmin() && html`<td class="actions" data-label=""><${AssignTariff} what=${c.chargePointId} ownId=${c.tariffId} now=${eff?.tariff}
          fallback=${fallbackOf(c)} tariffs=${all} onDone=${reload}
          put=${(id) => api(`/api/admin/chargers/${encodeURIComponent(c.chargePointId)}/tariff`, { method: 'PUT', body: { tariffId: id } })} /></td>`}
      </tr>`)}</tbody>
    </table></div>
    ${chargers.data && cs.length === 0 && html`<p>No chargers registered.</p>`}
    ${ss.length > 0 && html`<h2>Stations</h2>
      <div class="table-wrap"><table class="cards" data-testid="station-tariffs">
        <thead><tr><th>Station</th><th>Tariff</th>${isAdmin() && html`<th>Change</th>`}</tr></thead>
        <tbody>${ss.map((s) => {
          const own = all.find((t) => t.id === s.tariffId);
          return html`<tr key=${s.id} data-station=${s.id}>
            <td class="main" data-label="">${s.name}</td>
            <td data-label="Tariff">${own ? own.name : defaultTariff ? `the default (${defaultTariff.name})` : 'none (free)'}</td>
            ${isAdmin() && html`<td class="actions" data-label=""><${AssignTariff} what=${`chargers of ${s.name} without their own tariff`} ownId=${s.tariffId}
              now=${own || defaultTariff} fallback=${defaultTariff} tariffs=${all} onDone=${reload}
              put=${(id) => api(`/api/admin/stations/${s.id}`, { method: 'PUT', body: { tariffId: id } })} /></td>`}
          </tr>`;
        })}</tbody>
      </table></div>`}
    ${isAdmin() && html`<h2>New tariff</h2><div class="card"><${NewTariff} tariffs=${all} defaultUses=${defaultUses} onDone=${reload} /></div>`}
  </section>`;
}
