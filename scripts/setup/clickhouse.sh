#!/usr/bin/env bash
# ClickHouse for the tests: the real engine (chDB, npm `chdb`) behind our HTTP front
# (scripts/setup/chdb-http-server.cjs) on 127.0.0.1:8123. No recent clickhouse-server is installable from the
# package registries we reach (Debian has 18.16), so this is the engine the tests and benchmarks use.
#
# Usage: clickhouse.sh [start|stop|status|install]   (default start)
# Idempotent: `start` reuses a running server started from the same front script, restarts one started from
# an older copy, and fails loudly when another process holds the port. chDB (about 550 MB) is installed once
# under the CI state dir, not in the package's dependencies. A fresh start wipes the data directory.
# Writes CLICKHOUSE_URL / CLICKHOUSE_USER / CLICKHOUSE_PASSWORD to $AIRDOCK_CI_STATE/services.d/clickhouse.env.
#
# Env: AIRDOCK_CI_STATE (/var/lib/airdock-ci), CHDB_VERSION (3.4.0), CH_PORT (8123), CH_HOST (127.0.0.1),
#      CH_PASSWORD (airdock; every request must authenticate as `default` with it).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${AIRDOCK_CI_STATE:-/var/lib/airdock-ci}
V=${CHDB_VERSION:-3.4.0}
PKG=$STATE/chdb-$V
PORT=${CH_PORT:-8123}
HOST=${CH_HOST:-127.0.0.1}
PASSWORD=${CH_PASSWORD:-airdock}
RUN=$STATE/clickhouse
DATA=$RUN/data
PIDFILE=$RUN/server.pid
STAMP=$RUN/server.stamp
LOG=$STATE/logs/clickhouse.log
SHIM=$HERE/chdb-http-server.cjs

say() { echo "[clickhouse] $*"; }
fail() { echo "[clickhouse] FAILED: $*" >&2; exit 1; }

install() {
  [[ -f $PKG/.complete ]] && return 0
  command -v npm >/dev/null || fail "npm is not on PATH (needed to install chdb@$V)"
  mkdir -p "$PKG" "$STATE/logs"
  echo "{\"private\":true,\"dependencies\":{\"chdb\":\"$V\"}}" >"$PKG/package.json"
  say "installing chdb@$V (about 550 MB) into $PKG"
  (cd "$PKG" && nice -n 10 npm install --no-audit --no-fund --loglevel=error >"$STATE/logs/chdb-install.log" 2>&1) \
    || { tail -20 "$STATE/logs/chdb-install.log" >&2; fail "npm install chdb@$V (log: $STATE/logs/chdb-install.log)"; }
  touch "$PKG/.complete"
}

running() { [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
answers() { curl -fsS -m 2 "http://127.0.0.1:$PORT/ping" >/dev/null 2>&1; }
# What the running server was started from: front script, chDB version, port, password.
stamp() { echo "$(sha256sum "$SHIM" | cut -c1-16) $V $PORT $HOST $(echo -n "$PASSWORD" | sha256sum | cut -c1-16)"; }

write_env() { # scripts/ci-setup.sh folds services.d/*.env into services.env
  mkdir -p "$STATE/services.d"
  echo "export CLICKHOUSE_URL=http://127.0.0.1:$PORT CLICKHOUSE_USER=default CLICKHOUSE_PASSWORD=$PASSWORD" >"$STATE/services.d/clickhouse.env.tmp"
  mv "$STATE/services.d/clickhouse.env.tmp" "$STATE/services.d/clickhouse.env"
}

stop() {
  if running; then
    local pid; pid=$(cat "$PIDFILE")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    say "stopped pid $pid"
  fi
  rm -f "$PIDFILE" "$STAMP"
}

start() {
  install
  if running; then
    if [[ -f $STAMP && $(cat "$STAMP") == "$(stamp)" ]] && answers; then
      say "already running (pid $(cat "$PIDFILE")), reused"; write_env; return 0
    fi
    say "running server is from another version of the front script or settings: restarting"
    stop
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then fail "port $PORT is taken by another process (not ours: no pid file)"; fi
  rm -rf "$DATA"
  mkdir -p "$DATA" "$RUN" "$STATE/logs"
  : >"$LOG"
  NODE_PATH=$PKG/node_modules CH_HOST=$HOST CH_PASSWORD=$PASSWORD \
    setsid -f bash -c 'echo $$ > "$0"; exec "$@"' "$PIDFILE" node "$SHIM" "$PORT" "$DATA" >>"$LOG" 2>&1 </dev/null
  for _ in $(seq 600); do
    if answers; then stamp >"$STAMP"; say "ready: $(head -1 "$LOG")"; write_env; return 0; fi
    if [[ -f $PIDFILE ]] && ! running; then cat "$LOG" >&2; fail "the server exited (log: $LOG)"; fi
    sleep 0.1
  done
  cat "$LOG" >&2; fail "no answer on 127.0.0.1:$PORT after 60 s (log: $LOG)"
}

case ${1:-start} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) if running && answers; then echo "running pid $(cat "$PIDFILE") on $HOST:$PORT"; else echo stopped; exit 1; fi ;;
  *) echo "usage: $0 [start|stop|status|install]" >&2; exit 2 ;;
esac
