// Small shared pieces: formatting, data loading, errors, confirmed actions, status badges.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, errorText } from './api.js';
import { navigate } from './store.js';
import { word } from './words.js';

export { fmt } from './format.js';

/**
 * Loads with fn() when deps change; reload() re-runs it (e.g. on a pushed event).
 * @template T
 * @param {() => T | Promise<T>} fn
 * @param {unknown[]} [deps]
 * @returns {{ data: T | undefined, error: unknown, loading: boolean, reload: () => () => void }}
 */
export function useAsync(fn, deps = []) {
  const [s, setS] = useState(/** @type {{ data: T | undefined, error: unknown, loading: boolean }} */ ({ data: undefined, error: undefined, loading: true }));
  const run = useCallback(() => {
    let live = true;
    Promise.resolve().then(fn).then((data) => live && setS({ data, error: undefined, loading: false }),
      (error) => live && setS((p) => ({ data: p.data, error, loading: false })));
    return () => { live = false; };
  }, deps);
  useEffect(run, [run]);
  return { ...s, reload: run };
}

export const ErrorBox = ({ error }) => (error ? html`<p class="error" role="alert">${errorText(error)}</p>` : null);

export const Loading = ({ when }) => (when ? html`<p class="muted">Loading…</p>` : null);

export const Link = ({ href, children, cls }) => html`<a href=${href} class=${cls}
  onClick=${(e) => { if (e.ctrlKey || e.metaKey || e.button) return; e.preventDefault(); navigate(href); }}>${children}</a>`;

const STATUS_CLASS = {
  Available: 'ok', Preparing: 'busy', Charging: 'charging', SuspendedEV: 'busy', SuspendedEVSE: 'busy', Finishing: 'busy',
  Reserved: 'busy', Unavailable: 'off', Faulted: 'bad', Offline: 'off', RUNNING: 'charging', COMPLETED: 'ok', INTERRUPTED: 'bad',
  Accepted: 'ok', Active: 'ok', Blocked: 'bad', Expired: 'bad', Invalid: 'bad',
  // firmware, diagnostics and charging-profile states
  Requested: 'busy', Downloading: 'busy', Downloaded: 'busy', Installing: 'busy', Uploading: 'busy', Installed: 'ok', Uploaded: 'ok',
  DownloadFailed: 'bad', InstallationFailed: 'bad', UploadFailed: 'bad', Rejected: 'bad', Failed: 'bad',
};
export const Badge = ({ status }) => html`<span class=${`badge ${STATUS_CLASS[status] || 'off'}`} data-status=${status}>${status ? word(status) : 'Not known'}</span>`;

/**
 * A button that calls the API and shows the outcome beside it. With `confirm`, a first press asks
 * (inline, works on phones); only the second press acts.
 */
export function Action({ label, run, confirm, danger, onDone, doneText = undefined, silent = false }) {
  const [state, setState] = useState(/** @type {{ asking?: boolean, busy?: boolean, result?: string, error?: unknown }} */ ({ asking: false, busy: false, result: undefined, error: undefined }));
  const go = async () => {
    setState({ asking: false, busy: true });
    try {
      const result = await run();
      setState({ busy: false, result: doneText ?? describeResult(result) });
      onDone && onDone(result);
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return html`<span class="action">
    ${state.asking
      ? html`<span class="confirm">${confirm} <button class="danger" onClick=${go}>Yes, ${label.toLowerCase()}</button>
          <button onClick=${() => setState({ asking: false })}>Cancel</button></span>`
      : html`<button class=${danger ? 'danger' : ''} disabled=${state.busy}
          onClick=${() => (confirm ? setState({ asking: true }) : go())}>${state.busy ? `${label}…` : label}</button>`}
    ${state.result !== undefined && !silent && html`<span class="result" role="status">${label}: ${state.result}</span>`}
    <${ErrorBox} error=${state.error} />
  </span>`;
}

/** A charger's answer ({status: 'Accepted'}, {result: {...}}) in a few words. */
export function describeResult(r) {
  if (r == null) return 'done';
  const inner = r.result && typeof r.result === 'object' ? r.result : r;
  if (typeof inner.status === 'string') return word(inner.status);
  return 'done'; // an API row (e.g. the updated idTag) is not something to read out
}

/**
 * A form whose submit calls the API; shows errors and disables while sending. With `confirm(data)`
 * (for money and anything that stops charging) a submit first shows the sentence it returns inline, and
 * only "Yes" sends what was asked about; no sentence (null) sends at once. A throw there is shown as the error.
 */
export function Form({ submit, children, label = 'Save', onDone, cls, okText = 'Saved', confirm = undefined, testid = undefined }) {
  const [s, setS] = useState(/** @type {{ busy?: boolean, error?: unknown, ok?: boolean, asking?: { question: unknown, data: Record<string, any>, form: HTMLFormElement } }} */ ({ busy: false, error: undefined, ok: false }));
  const send = async (data, form) => {
    setS({ busy: true });
    try {
      const result = await submit(data, form);
      setS({ busy: false, ok: true });
      onDone && onDone(result, form);
    } catch (error) {
      setS({ busy: false, error });
    }
  };
  const onSubmit = (e) => {
    e.preventDefault();
    const form = e.currentTarget; // gone from the event once we await
    const data = Object.fromEntries(new FormData(form));
    if (!confirm) return send(data, form);
    try {
      const question = confirm(data);
      if (question) return setS({ asking: { question, data, form } });
    } catch (error) {
      return setS({ error });
    }
    return send(data, form);
  };
  const asking = s.asking;
  return html`<form class=${`form ${cls || ''}`} onSubmit=${onSubmit} data-testid=${testid}>
    ${children}
    ${asking
      ? html`<div class="confirm" role="alert"><span>${asking.question}</span>
          <span class="row"><button type="button" class="danger" onClick=${() => send(asking.data, asking.form)}>Yes, ${label.toLowerCase()}</button>
          <button type="button" onClick=${() => setS({})}>Cancel</button></span></div>`
      : html`<div class="row"><button type="submit" class="primary" disabled=${s.busy}>${s.busy ? `${label}…` : label}</button>
          ${s.ok && !s.error && okText && html`<span class="result" role="status">${okText}</span>`}</div>`}
    <${ErrorBox} error=${s.error} />
  </form>`;
}

/** `value` is the starting value only: a controlled input would lose what is typed whenever a live event re-renders. */
export const Field = ({ label, name, value, type = 'text', required, placeholder, autocomplete, min, step, inputmode = undefined }) => html`<label>${label}
  <input name=${name} type=${type} defaultValue=${value ?? ''} required=${required} placeholder=${placeholder}
    autocomplete=${autocomplete} min=${min} step=${step} inputmode=${inputmode} /></label>`;

export const Select = ({ label, name, value, options, onChange }) => html`<label>${label}
  <select name=${name} value=${value} onChange=${onChange}>
    ${options.map((o) => (Array.isArray(o) ? html`<option value=${o[0]}>${o[1]}</option>` : html`<option value=${o}>${o}</option>`))}
  </select></label>`;

/** Pretty JSON for payloads stored as text or objects. */
export function prettyJson(v) {
  let value = v;
  if (typeof v === 'string') { try { value = JSON.parse(v); } catch { return v; } }
  return JSON.stringify(value, null, 2);
}

/** Keys that are blank are left out, numbers stay strings: the API validates. */
export function clean(data) {
  const out = {};
  for (const [k, v] of Object.entries(data)) if (v !== '') out[k] = v;
  return out;
}

/** Calls fn at most once per `ms` (trailing), for bursts of pushed events. */
export function throttle(fn, ms) {
  let timer;
  return (...args) => {
    if (timer) return;
    timer = setTimeout(() => { timer = undefined; fn(...args); }, ms);
  };
}

export { api };

/**
 * A collapsible part of a long page (the charger's OCPP tools): closed ones keep a phone page short.
 * `open` is the starting state only; staff open and close it from then on.
 */
export const Section = ({ title, open = false, testid = undefined, children }) => html`<details class="section" open=${open} data-section=${testid}>
  <summary>${title}</summary><div class="section-body">${children}</div></details>`;
