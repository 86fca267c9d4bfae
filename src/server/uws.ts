// The one place the uWebSockets.js native binding is loaded. It is a prebuilt binary per
// platform/arch/Node ABI (and needs a recent enough glibc): when it cannot load we stop with a
// message that says exactly which combination failed, instead of a bare dlopen stack.
import { createRequire } from 'node:module';
import { describeRuntime } from '../ops/runtime.js';
import type * as UWS from 'uWebSockets.js';

export type { UWS };

export class NativeBindingError extends Error {
  override name = 'NativeBindingError';
}

function load(): typeof UWS {
  const require = createRequire(import.meta.url);
  try {
    return require('uWebSockets.js') as typeof UWS;
  } catch (err) {
    // uws.js wraps the dlopen error in a long note: keep the line that names the missing file or symbol.
    const lines = String((err as Error).message).split('\n').filter(Boolean);
    const cause = lines.find((l) => /GLIBC|\.node|ELF/.test(l) && !l.startsWith('- ')) ?? lines[0] ?? String(err);
    throw new NativeBindingError(
      `cannot load the uWebSockets.js native binding on ${describeRuntime()}.\n` +
      `  cause: ${cause}\n` +
      '  uWebSockets.js ships prebuilt binaries for Node 16-25 on glibc Linux x64/arm64/arm; builds for\n' +
      '  Node 22+ need glibc >= 2.38 (Debian 13 / Raspberry Pi OS trixie), Node 20 needs glibc >= 2.27.\n' +
      '  Install a supported Node version for this OS, or reinstall the release built for this arch.',
      { cause: err },
    );
  }
}

const uWS: typeof UWS = load();
export default uWS;
