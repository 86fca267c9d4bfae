// OCPP 1.6 as the rest of the code names it: the generated messages, and the few names derived from them.
// A leaf: nothing here imports the rest of src/, so the domain can speak it without knowing the transport.
export * from './messages.js';
import type { IdTagInfo } from './messages.js';

export type IdTagStatus = IdTagInfo['status'];
