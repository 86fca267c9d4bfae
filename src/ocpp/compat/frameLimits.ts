// Frame size limits per action. A StopTransaction carries the session's transactionData (a 10-hour
// session sampled every minute is well over 150 KB; EVerest/libocpp#651), MeterValues and DataTransfer
// can be large too: they get the larger limit, everything else the normal one. The transport's hard cap
// (uWS maxPayloadLength, src/server/ocppSocket.ts) is at least the larger limit, so no frame can grow past it.

export const LARGE_FRAME_ACTIONS = ['StopTransaction', 'MeterValues', 'DataTransfer'] as const;

// The action of a CALL, read from the first bytes only (the frame is not parsed yet).
const CALL_HEAD = /^\s*\[\s*2\s*,\s*"[^"\\]{0,36}"\s*,\s*"(StopTransaction|MeterValues|DataTransfer)"/;

/** The byte limit for this frame: the larger one for a CALL of a large-frame action. */
export function frameLimit(text: string, normal: number, large: number | undefined): number {
  if (!large || large <= normal) return normal;
  return CALL_HEAD.test(text.slice(0, 128)) ? large : normal;
}
