// `npm run package`: release/ocpp-edge-<version>-<arch>.tar.gz with everything a Pi needs besides Node:
// the bundle (+ migrations, schemas, admin page), node_modules for the two native addons only, the
// systemd unit and the installer. Native addons are built per arch and Node ABI, so build the release
// on the target arch with the Node major the Pi runs (e.g. an arm64 CI runner, or on a Pi).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from '../build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nm = path.join(root, 'node_modules');

/** Only what `require` touches at run time: no sources, no build objects, no other platforms. */
function copyNatives(targetModules) {
  const abi = process.versions.modules;
  const copy = (pkg, files) => {
    for (const f of files) {
      const from = path.join(nm, pkg, f);
      if (!fs.existsSync(from)) throw new Error(`missing ${from}: run npm ci first`);
      fs.cpSync(from, path.join(targetModules, pkg, f), { recursive: true, dereference: true });
    }
  };
  const uwsBinary = `uws_${process.platform}_${process.arch}_${abi}.node`;
  copy('uWebSockets.js', ['package.json', 'uws.js', 'ESM_wrapper.mjs', 'LICENSE', uwsBinary]);
  copy('better-sqlite3', ['package.json', 'LICENSE', 'lib', 'build/Release/better_sqlite3.node']);
  // better-sqlite3 finds its .node file through `bindings`, which needs file-uri-to-path.
  for (const dep of ['bindings', 'file-uri-to-path']) {
    if (fs.existsSync(path.join(nm, dep))) copy(dep, fs.readdirSync(path.join(nm, dep)).filter((f) => f !== 'test'));
  }
  return { abi, uwsBinary };
}

export async function makePackage({ releaseDir = path.join(root, 'release'), quiet = false } = {}) {
  const log = quiet ? () => {} : (line) => console.log(line);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const name = `ocpp-edge-${pkg.version}-${process.arch}`;
  const stage = path.join(releaseDir, '.stage', name);
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });

  log(`building ${name}`);
  await build({ outDir: path.join(stage, 'dist'), quiet });
  const { abi } = copyNatives(path.join(stage, 'node_modules'));
  fs.mkdirSync(path.join(stage, 'systemd'));
  fs.copyFileSync(path.join(root, 'systemd/ocpp-edge.service'), path.join(stage, 'systemd/ocpp-edge.service'));
  fs.copyFileSync(path.join(root, 'scripts/install.sh'), path.join(stage, 'install.sh'));
  fs.chmodSync(path.join(stage, 'install.sh'), 0o755);
  fs.copyFileSync(path.join(root, 'config.example.json'), path.join(stage, 'config.example.json'));
  for (const doc of ['README.md', 'LICENSE']) {
    if (fs.existsSync(path.join(root, doc))) fs.copyFileSync(path.join(root, doc), path.join(stage, doc));
  }
  // The installer refuses a Node whose ABI the natives were not built for (a clear message, not a dlopen error).
  const manifest = { name: 'ocpp-edge', version: pkg.version, arch: process.arch, platform: process.platform, nodeAbi: Number(abi), nodeVersion: process.version, builtAt: new Date().toISOString() };
  fs.writeFileSync(path.join(stage, 'MANIFEST.json'), JSON.stringify(manifest, null, 2) + '\n');
  fs.writeFileSync(path.join(stage, 'VERSION'), `${pkg.version}\n`);

  const tarball = path.join(releaseDir, `${name}.tar.gz`);
  execFileSync('tar', ['-czf', tarball, '--owner=0', '--group=0', '-C', path.dirname(stage), name]);
  fs.rmSync(path.join(releaseDir, '.stage'), { recursive: true, force: true });
  const bytes = fs.statSync(tarball).size;
  log(`  ${path.relative(root, tarball) || tarball}  ${(bytes / 1024 / 1024).toFixed(1)} MB (Node ABI ${abi}, ${process.arch})`);
  return { tarball, name, manifest, bytes };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  makePackage().catch((err) => {
    console.error(`package failed: ${err.stack ?? err}`);
    process.exit(1);
  });
}
