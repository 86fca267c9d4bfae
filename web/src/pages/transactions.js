import { html } from '../html.js';
export const TransactionsPage = () => html`<p>TODO</p>`;
