// CSV for spreadsheets, shared by `ocpp-edge export` and the API's CSV download.

/** RFC 4180 quoting; text that a spreadsheet would run as a formula gets a leading apostrophe. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (CRLF-terminated) of the row's values in column order. */
export const csvLine = (values: unknown[]) => values.map(csvCell).join(',') + '\r\n';
