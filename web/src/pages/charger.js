import { html } from '../html.js';
export const ChargerPage = () => html`<p>TODO</p>`;
