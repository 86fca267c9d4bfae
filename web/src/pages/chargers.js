import { html } from '../html.js';
export const ChargersPage = () => html`<p>TODO</p>`;
