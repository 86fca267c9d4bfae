// Errors that mean the disk failed the write (full, I/O error, read-only, damaged file), not the data:
// nothing was stored, and trying the same message again later can succeed.
const STORAGE_CODES = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB)/;

export function isStorageError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (STORAGE_CODES.test(code) || code === 'ENOSPC' || code === 'EIO' || code === 'EROFS');
}
