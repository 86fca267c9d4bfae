// The first file in a multipart/form-data body: enough for chargers that POST their diagnostics as a
// form upload. Returns undefined when the body is not multipart or holds no file part.
export interface UploadedPart { filename: string | undefined; data: Buffer }

export function firstFilePart(contentType: string, body: Buffer): UploadedPart | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!/^multipart\/form-data/i.test(contentType) || !m) return undefined;
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const headerStart = start + delimiter.length + 2; // past "\r\n"
    const headerEnd = body.indexOf('\r\n\r\n', headerStart);
    if (headerEnd < 0) return undefined;
    const next = body.indexOf(delimiter, headerEnd);
    if (next < 0) return undefined;
    const headers = body.subarray(headerStart, headerEnd).toString('utf8');
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const filename = /filename="([^"]*)"/i.exec(disposition)?.[1];
    if (filename !== undefined || /name="file"/i.test(disposition)) {
      return { filename: filename || undefined, data: body.subarray(headerEnd + 4, next - 2) }; // minus the "\r\n" before the delimiter
    }
    start = next;
  }
  return undefined;
}
