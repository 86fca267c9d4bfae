import { html } from '../html.js';
export const TransactionPage = () => html`<p>TODO</p>`;
