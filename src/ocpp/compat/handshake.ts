// Handshake tolerance: how a charger names itself and its protocol at the WebSocket upgrade, read the
// way real chargers send it. Pure functions; the transport (src/server/ocppSocket.ts) applies them and
// admission (src/ocpp/admission.ts) decides, once it knows the charger, whether its mode allows them.

export const SUBPROTOCOL = 'ocpp1.6';

/** What was tolerated; a closed set (metrics label, stored repair kind under the action "Handshake"). */
export type HandshakeTolerance =
  | 'no_subprotocol' // no Sec-WebSocket-Protocol at all (Grizzl-E: lbbrhzn/ocpp#442, steve#1109)
  | 'subprotocol_list_malformed' // empty tokens, spaces, other case (lbbrhzn/ocpp#497, OCPP.Core#43)
  | 'trailing_slash' // /ocpp/CP1/
  | 'repeated_id' // /ocpp/CP1/CP1
  | 'extra_path_segment'; // /ocpp/4/CP1 (SETEC: steve#689)

export interface Tolerated { kind: HandshakeTolerance; raw: string }

const MAX_ID_LENGTH = 48;

/**
 * The charge point id from the part of the path after /ocpp/, already URL-decoded segment by segment;
 * undefined when there is none. The id is the last segment: what precedes it is tolerated, never trusted
 * (the id must still be registered and authenticated).
 */
export function chargePointIdFromPath(rest: string): { id: string; tolerated: Tolerated[] } | undefined {
  const tolerated: Tolerated[] = [];
  let path = rest;
  if (path.endsWith('/')) {
    path = path.replace(/\/+$/, '');
    tolerated.push({ kind: 'trailing_slash', raw: rest });
  }
  const segments = path.split('/').map((s) => decodeURIComponent(s)); // throws on bad encoding: the caller answers 400
  const id = segments.at(-1);
  if (!id || id.length > MAX_ID_LENGTH || segments.some((s) => s === '')) return undefined;
  if (segments.length > 1) {
    const kind = segments.every((s) => s === id) ? 'repeated_id' : 'extra_path_segment';
    tolerated.push({ kind, raw: rest });
  }
  return { id, tolerated };
}

/**
 * The subprotocol to answer with (as the charger spelled it: a client checks that the server picked one of
 * its own values), '' for none when the charger offered none, or undefined when it offered only others.
 */
export function pickSubprotocol(header: string): { protocol: string; tolerated: Tolerated[] } | undefined {
  const offered = header.split(',').map((p) => p.trim());
  if (offered.includes(SUBPROTOCOL) && !offered.includes('')) return { protocol: SUBPROTOCOL, tolerated: [] };
  const tokens = offered.filter((p) => p !== '');
  if (tokens.length === 0) return { protocol: '', tolerated: [{ kind: 'no_subprotocol', raw: header }] };
  const match = tokens.find((p) => p.toLowerCase() === SUBPROTOCOL);
  if (match === undefined) return undefined;
  return { protocol: match, tolerated: [{ kind: 'subprotocol_list_malformed', raw: header }] };
}
