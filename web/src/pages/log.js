import { html } from '../html.js';
export const LogPage = () => html`<p>TODO</p>`;
