// htm bound to Preact: components are plain functions returning html`...` templates.
import { h } from 'preact';
import htm from 'htm';

// (htm's types describe a CommonJS default export; esbuild and the browser get the function itself.)
export const html = /** @type {any} */ (htm).bind(h);
