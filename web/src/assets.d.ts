// esbuild bundles the stylesheet imported by main.js; for tsc it is a module with nothing in it.
declare module '*.css';
