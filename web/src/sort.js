// Sortable lists: column headers that sort (a button in each <th>, aria-sort on the sorted one) and, on
// phones where a table becomes cards and its header row is hidden, a "Sort by" select with the same
// choices. An order is {key, desc}, written for the API's ?sort= as "key" or "-key".
import { html } from './html.js';

/** @typedef {{ key: string, desc: boolean }} Order */

/** @param {Order} o */
export const sortText = (o) => (o.desc ? `-${o.key}` : o.key);

/** "-energy" -> {key: 'energy', desc: true}; blank or unknown -> the fallback. @returns {Order} */
export function parseSort(text, keys, fallback) {
  const desc = !!text && text.startsWith('-');
  const key = text ? (desc ? text.slice(1) : text) : '';
  return keys.includes(key) ? { key, desc } : fallback;
}

/**
 * A header cell that sorts by `k`: pressing it again turns the order round. `desc` is the first
 * direction when it becomes the sort (newest, largest and latest first read best).
 * @param {{ label: string, k: string, order: Order, onSort: (o: Order) => void, cls?: string, desc?: boolean }} props
 */
export function SortTh({ label, k, order, onSort, cls = undefined, desc = false }) {
  const on = order.key === k;
  return html`<th class=${cls} aria-sort=${on ? (order.desc ? 'descending' : 'ascending') : undefined}>
    <button type="button" class="sort" data-sort=${k} onClick=${() => onSort({ key: k, desc: on ? !order.desc : desc })}>${label}<span
      aria-hidden="true">${on ? (order.desc ? ' ▼' : ' ▲') : ''}</span></button></th>`;
}

/**
 * The phones' "Sort by": `choices` are [order text, words] pairs, e.g. ['-started', 'Newest first'].
 * `label` tells two lists on one page apart ("Sort cards by").
 * @param {{ choices: Array<[string, string]>, order: Order, onSort: (o: Order) => void, keys: string[], label?: string }} props
 */
export function SortSelect({ choices, order, onSort, keys, label = 'Sort by' }) {
  const now = sortText(order);
  return html`<label class="sort-by">${label} <select name="sort" onChange=${(e) => onSort(parseSort(e.currentTarget.value, keys, order))}>
    ${choices.map(([v, l]) => html`<option value=${v} selected=${v === now}>${l}</option>`)}</select></label>`;
}

/** Sorts rows in the page (a list loaded whole) by `value(row, key)`: text by locale, empty values last. */
export function sortRows(rows, order, value) {
  const dir = order.desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = value(a, order.key), y = value(b, order.key);
    if (x == null || x === '') return y == null || y === '' ? 0 : 1;
    if (y == null || y === '') return -1;
    return dir * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true, sensitivity: 'base' }));
  });
}
