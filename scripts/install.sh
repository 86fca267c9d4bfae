#!/bin/sh
# ocpp-edge installer: run from an unpacked release (release/ocpp-edge-<version>-<arch>.tar.gz).
#
#   sudo ./install.sh                 install or upgrade, enable and (re)start the service
#   sudo ./install.sh --uninstall     remove the program and the service; keep config and data
#   sudo ./install.sh --uninstall --purge   ...and delete /etc/ocpp-edge, /var/lib/ocpp-edge and the user
#
# Options: --root DIR (or DESTDIR=DIR) installs into DIR as if it were / (no user, no chown, no systemctl);
# --no-systemctl skips daemon-reload/enable/start; --node PATH picks the node binary.
# Safe to run again: the program is replaced, /etc/ocpp-edge/config.json and the database are never
# overwritten; an upgrade keeps a copy of the database from before it in /var/lib/ocpp-edge/backups.
set -eu

SERVICE=ocpp-edge
SERVICE_USER=ocpp-edge
ROOT="${DESTDIR:-}"
SYSTEMCTL=1
ACTION=install
PURGE=0
NODE_BIN=""

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "==> $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --root) [ $# -ge 2 ] || die "--root needs a directory"; ROOT="$2"; shift ;;
    --root=*) ROOT="${1#--root=}" ;;
    --no-systemctl) SYSTEMCTL=0 ;;
    --uninstall) ACTION=uninstall ;;
    --purge) PURGE=1 ;;
    --node) [ $# -ge 2 ] || die "--node needs a path"; NODE_BIN="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

ROOT="${ROOT%/}"
CHROOTED=0
[ -n "$ROOT" ] && CHROOTED=1 && SYSTEMCTL=0
PREFIX=/opt/ocpp-edge
CONF_DIR=/etc/ocpp-edge
STATE_DIR=/var/lib/ocpp-edge
UNIT=/etc/systemd/system/$SERVICE.service
DROPIN=/etc/systemd/system/$SERVICE.service.d/10-low-port.conf
WRAPPER=/usr/local/bin/ocpp-edge
SRC="$(cd "$(dirname "$0")" && pwd)"

[ "$CHROOTED" = 1 ] || [ "$(id -u)" = 0 ] || die "run as root (sudo ./install.sh), or use --root DIR for a staged install"

systemctl_do() { if [ "$SYSTEMCTL" = 1 ]; then systemctl "$@"; fi; }

uninstall() {
  say "removing the $SERVICE service and program"
  if [ "$SYSTEMCTL" = 1 ]; then
    systemctl disable --now "$SERVICE" 2>/dev/null || true
  fi
  rm -f "$ROOT$UNIT" "$ROOT$WRAPPER" "$ROOT$DROPIN"
  rmdir "$(dirname "$ROOT$DROPIN")" 2>/dev/null || true # only when empty: a drop-in of yours stays
  systemctl_do daemon-reload
  rm -rf "$ROOT$PREFIX" "$ROOT$PREFIX.previous"
  if [ "$PURGE" = 1 ]; then
    say "purging configuration and data ($CONF_DIR, $STATE_DIR)"
    rm -rf "$ROOT$CONF_DIR" "$ROOT$STATE_DIR"
    if [ "$CHROOTED" = 0 ] && getent passwd "$SERVICE_USER" >/dev/null; then userdel "$SERVICE_USER" || true; fi
  else
    echo "    kept $CONF_DIR and $STATE_DIR (the database); remove them with --uninstall --purge"
  fi
}

if [ "$ACTION" = uninstall ]; then uninstall; exit 0; fi

# --- checks before touching anything ---------------------------------------------------------------
[ -f "$SRC/dist/ocpp-edge.mjs" ] && [ -f "$SRC/MANIFEST.json" ] || die "run me from an unpacked release (no dist/ocpp-edge.mjs beside me)"
[ -n "$NODE_BIN" ] || NODE_BIN="$(command -v node || true)"
[ -n "$NODE_BIN" ] && [ -x "$NODE_BIN" ] || die "Node.js 20 or newer is needed (apt install nodejs, or https://nodejs.org); none found in PATH"
NODE_ABI="$("$NODE_BIN" -p process.versions.modules)"
NODE_VERSION="$("$NODE_BIN" -p process.version)"
NODE_ARCH="$("$NODE_BIN" -p process.arch)"
WANT_ABI="$("$NODE_BIN" -p "require('$SRC/MANIFEST.json').nodeAbi")"
WANT_ARCH="$("$NODE_BIN" -p "require('$SRC/MANIFEST.json').arch")"
WANT_NODE="$("$NODE_BIN" -p "require('$SRC/MANIFEST.json').nodeVersion")"
VERSION="$("$NODE_BIN" -p "require('$SRC/MANIFEST.json').version")"
[ "$NODE_ARCH" = "$WANT_ARCH" ] || die "this release is for $WANT_ARCH, this machine's node is $NODE_ARCH: use the $NODE_ARCH release"
[ "$NODE_ABI" = "$WANT_ABI" ] || die "this release was built for Node ${WANT_NODE%%.*} (ABI $WANT_ABI), this machine has $NODE_VERSION (ABI $NODE_ABI): install Node ${WANT_NODE%%.*}.x or use a matching release"

OLD_VERSION=""
[ -f "$ROOT$PREFIX/VERSION" ] && OLD_VERSION="$(cat "$ROOT$PREFIX/VERSION")"
if [ -n "$OLD_VERSION" ]; then say "upgrading ocpp-edge $OLD_VERSION -> $VERSION"; else say "installing ocpp-edge $VERSION"; fi

# --- user ------------------------------------------------------------------------------------------
if [ "$CHROOTED" = 1 ]; then
  echo "    (--root: not creating the system user $SERVICE_USER, not changing owners)"
elif ! getent passwd "$SERVICE_USER" >/dev/null; then
  say "creating system user $SERVICE_USER"
  useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
fi
owned() { if [ "$CHROOTED" = 0 ]; then chown "$@"; fi; }

# --- stop the old version and keep a copy of its database ------------------------------------------
WAS_ACTIVE=0
if [ "$SYSTEMCTL" = 1 ] && systemctl is-active --quiet "$SERVICE"; then
  WAS_ACTIVE=1
  say "stopping $SERVICE for the upgrade"
  systemctl stop "$SERVICE"
fi
mkdir -p "$ROOT$STATE_DIR"
chmod 0750 "$ROOT$STATE_DIR"
owned "$SERVICE_USER:$SERVICE_USER" "$ROOT$STATE_DIR"
DB="$ROOT$STATE_DIR/ocpp-edge.db"
if [ -n "$OLD_VERSION" ] && [ "$OLD_VERSION" != "$VERSION" ] && [ -f "$DB" ]; then
  # The service is stopped, so the file (and its WAL, if a crash left one) is a consistent copy.
  mkdir -p "$ROOT$STATE_DIR/backups"
  COPY="$ROOT$STATE_DIR/backups/before-$VERSION-from-$OLD_VERSION.db"
  cp -p "$DB" "$COPY"
  [ -f "$DB-wal" ] && cp -p "$DB-wal" "$COPY-wal"
  owned -R "$SERVICE_USER:$SERVICE_USER" "$ROOT$STATE_DIR/backups"
  echo "    database copied to ${COPY#$ROOT}"
fi

# --- program: staged next to the old one, then swapped, so a failed copy leaves the old one intact ----
say "installing the program in $PREFIX"
mkdir -p "$ROOT/opt"
rm -rf "$ROOT$PREFIX.new"
mkdir -p "$ROOT$PREFIX.new"
for item in dist node_modules systemd install.sh MANIFEST.json VERSION config.example.json README.md LICENSE; do
  [ -e "$SRC/$item" ] && cp -R "$SRC/$item" "$ROOT$PREFIX.new/"
done
chmod -R u=rwX,go=rX "$ROOT$PREFIX.new"
rm -rf "$ROOT$PREFIX.previous"
[ -d "$ROOT$PREFIX" ] && mv "$ROOT$PREFIX" "$ROOT$PREFIX.previous"
mv "$ROOT$PREFIX.new" "$ROOT$PREFIX"

# --- configuration: created once, never overwritten ------------------------------------------------
mkdir -p "$ROOT$CONF_DIR"
chmod 0750 "$ROOT$CONF_DIR"
owned "root:$SERVICE_USER" "$ROOT$CONF_DIR"
if [ ! -f "$ROOT$CONF_DIR/config.json" ]; then
  say "writing $CONF_DIR/config.json (edit it, then: systemctl restart $SERVICE)"
  cp "$SRC/config.example.json" "$ROOT$CONF_DIR/config.json"
  chmod 0640 "$ROOT$CONF_DIR/config.json"
  owned "root:$SERVICE_USER" "$ROOT$CONF_DIR/config.json"
else
  echo "    kept your $CONF_DIR/config.json"
fi

# --- command line wrapper and unit ---------------------------------------------------------------
mkdir -p "$(dirname "$ROOT$WRAPPER")"
cat > "$ROOT$WRAPPER" <<EOF
#!/bin/sh
# ocpp-edge command line, with the service's configuration and database (installed by install.sh).
export OCPP_EDGE_CONFIG="\${OCPP_EDGE_CONFIG:-$CONF_DIR/config.json}"
export OCPP_EDGE_DATA_DIR="\${OCPP_EDGE_DATA_DIR:-$STATE_DIR}"
# As root, run as the service user so files it creates in $STATE_DIR stay the service's. backup and
# export only read an existing database (SQLite gives the -wal/-shm it makes to the database's owner)
# and write where you asked, where that user may not write: they run as root.
if [ "\$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1 && getent passwd $SERVICE_USER >/dev/null 2>&1; then
  case "\${1:-}" in
    backup|export) [ -f "\$OCPP_EDGE_DATA_DIR/ocpp-edge.db" ] && exec "$NODE_BIN" "$PREFIX/dist/ocpp-edge.mjs" "\$@" ;;
  esac
  exec runuser -u $SERVICE_USER -- "$NODE_BIN" "$PREFIX/dist/ocpp-edge.mjs" "\$@"
fi
exec "$NODE_BIN" "$PREFIX/dist/ocpp-edge.mjs" "\$@"
EOF
chmod 0755 "$ROOT$WRAPPER"

mkdir -p "$(dirname "$ROOT$UNIT")"
sed -e "s#^ExecStart=/usr/bin/node #ExecStart=$NODE_BIN #" -e "s#/opt/ocpp-edge#$PREFIX#g" "$SRC/systemd/ocpp-edge.service" > "$ROOT$UNIT.tmp"
mv "$ROOT$UNIT.tmp" "$ROOT$UNIT"
chmod 0644 "$ROOT$UNIT"

# Ports below 1024 need CAP_NET_BIND_SERVICE; the unit grants no capability, so a drop-in adds exactly
# that one when the config asks for such a port (re-run the installer after changing the ports).
PORTS="$("$NODE_BIN" -e '
  const c = (() => { try { return JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); } catch { return {}; } })();
  const h = c.http || {}; const t = h.tls || {};
  const plain = !t.enabled || t.plainHttp === true;
  const low = (plain && (h.port ?? 8080) < 1024) || (t.enabled && (t.port ?? 8443) < 1024);
  console.log(t.enabled ? `https ${t.port ?? 8443} wss` : `http ${h.port ?? 8080} ws`, low ? 1 : 0);
' "$ROOT$CONF_DIR/config.json")"
DROPIN="$ROOT$DROPIN"
case "$PORTS" in
  *" 1")
    mkdir -p "$(dirname "$DROPIN")"
    printf '%s\n' '# Written by install.sh: the configured port is below 1024.' '[Service]' \
      'AmbientCapabilities=CAP_NET_BIND_SERVICE' 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE' > "$DROPIN"
    echo "    port below 1024 configured: granted CAP_NET_BIND_SERVICE (${DROPIN#$ROOT})" ;;
  *) rm -f "$DROPIN"; rmdir "$(dirname "$DROPIN")" 2>/dev/null || true ;;
esac

# --- start: migrations run at start-up, before the server listens ----------------------------------
if [ "$SYSTEMCTL" = 1 ]; then
  systemctl daemon-reload
  systemctl enable "$SERVICE" >/dev/null
  say "starting $SERVICE (database migrations run at start)"
  if ! systemctl restart "$SERVICE"; then
    journalctl -u "$SERVICE" -n 30 --no-pager || true
    die "$SERVICE did not start; see the log above (journalctl -u $SERVICE)"
  fi
  [ "$WAS_ACTIVE" = 1 ] && echo "    restarted after the upgrade"
else
  echo "    (not starting the service: --no-systemctl or --root)"
fi

# --- where to go next ------------------------------------------------------------------------------
set -- $PORTS
HOST="$(hostname -I 2>/dev/null | awk '{print $1}')"
[ -n "$HOST" ] || HOST="$(hostname)"
cat <<EOF

ocpp-edge $VERSION is installed.
  Admin page:     $1://$HOST:$2/
  Chargers:       $3://$HOST:$2/ocpp/<chargePointId>
  Configuration:  $CONF_DIR/config.json   (check: ocpp-edge config check; apply: sudo systemctl restart $SERVICE)
  Database:       $STATE_DIR/ocpp-edge.db  (backup: sudo ocpp-edge backup /path/to/file.db)
  Logs:           journalctl -u $SERVICE -f
First admin: on its first start with no admin user, ocpp-edge logs a one-time setup link;
  find it with: journalctl -u $SERVICE | grep 'first run'
  or create one from the shell: sudo ocpp-edge admin create --username <name>
EOF
