import { html } from '../html.js';
export const UserPage = () => html`<p>TODO</p>`;
