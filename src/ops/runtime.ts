// What this process runs on, for error messages about native binaries (which are built per
// platform, CPU architecture, Node ABI and C library).
import fs from 'node:fs';

/** glibc version of this process, or why it is unknown (musl, not Linux). */
export function glibcVersion(): string {
  const report = process.report?.getReport?.() as { header?: { glibcVersionRuntime?: string } } | undefined;
  if (report?.header?.glibcVersionRuntime) return report.header.glibcVersionRuntime;
  if (process.platform !== 'linux') return `n/a (${process.platform})`;
  return fs.existsSync(`/lib/ld-musl-${process.arch}.so.1`) ? 'none (musl libc)' : 'unknown';
}

export function describeRuntime(): string {
  return `Node ${process.version} (ABI ${process.versions.modules}), ${process.platform}/${process.arch}, glibc ${glibcVersion()}`;
}

/** True for the errors a native addon gives when it was built for another Node, arch or libc. */
export function isNativeLoadError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'NativeBindingError' || (err as { code?: string }).code === 'ERR_DLOPEN_FAILED' ||
    /NODE_MODULE_VERSION|GLIBC_|invalid ELF|wrong ELF class|Could not locate the bindings file/.test(err.message);
}
