import { html } from '../html.js';
export const UsersPage = () => html`<p>TODO</p>`;
