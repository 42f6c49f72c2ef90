#!/usr/bin/env bash
# ClickHouse for the tests: the real engine (chDB, npm `chdb`) behind our HTTP front
# (scripts/setup/chdb-http-server.cjs) on 127.0.0.1:8123. No recent clickhouse-server is installable from the
# package registries we reach (Debian has 18.16), so this is the engine the tests and benchmarks use.
#
# Also Debian's clickhouse-server 18.16 (old, but real server code) on 127.0.0.1:18123, for the tests that
# prove the HTTP path (streaming gzip inserts, compressed results, error formats) against a real server.
#
# Usage: clickhouse.sh [start|stop|status|install]   (default start)
# Idempotent: `start` reuses a running server started from the same front script, restarts one started from
# an older copy, and fails loudly when another process holds the port. chDB (about 550 MB) is installed once
# under the CI state dir, not in the package's dependencies. A fresh start wipes the data directory.
# Writes CLICKHOUSE_URL / CLICKHOUSE_USER / CLICKHOUSE_PASSWORD and CLICKHOUSE18_URL to
# $AIRDOCK_CI_STATE/services.d/clickhouse.env.
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
PORT18=${CH18_PORT:-18123}
RUN18=$STATE/clickhouse18
PID18=$RUN18/server.pid

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
  echo "export CLICKHOUSE_URL=http://127.0.0.1:$PORT CLICKHOUSE_USER=default CLICKHOUSE_PASSWORD=$PASSWORD CLICKHOUSE18_URL=http://127.0.0.1:$PORT18" >"$STATE/services.d/clickhouse.env.tmp"
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

# ---------------------------------------------------------------- Debian clickhouse-server 18.16
install18() {
  command -v clickhouse-server >/dev/null && return 0
  say "installing Debian clickhouse-server (18.16)"
  local own_policy=0
  # the package's postinst must not start a server on 8123: we start ours on $PORT18
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; fi
  local rc=0
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clickhouse-server \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clickhouse-server; }; } \
    >"$STATE/logs/clickhouse18-install.log" 2>&1 || rc=$?
  (( own_policy )) && rm -f /usr/sbin/policy-rc.d
  (( rc == 0 )) || { tail -20 "$STATE/logs/clickhouse18-install.log" >&2; fail "apt-get install clickhouse-server"; }
}
running18() { [[ -f $PID18 ]] && kill -0 "$(cat "$PID18")" 2>/dev/null; }
answers18() { curl -fsS -m 2 "http://127.0.0.1:$PORT18/ping" >/dev/null 2>&1; }
start18() {
  install18
  if running18 && answers18; then say "clickhouse-server 18.16 already running (pid $(cat "$PID18")), reused"; return 0; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT18") 2>/dev/null; then fail "port $PORT18 is taken by another process (not ours: no pid file)"; fi
  rm -rf "$RUN18"; mkdir -p "$RUN18/data" "$RUN18/log"
  # The package's config with our ports, paths and password; IPv4 loopback only.
  sed -e "s#<http_port>8123</http_port>#<http_port>$PORT18</http_port>#" -e "s#<tcp_port>9000</tcp_port>#<tcp_port>$(( PORT18 + 877 ))</tcp_port>#" \
      -e "s#<interserver_http_port>9009</interserver_http_port>#<interserver_http_port>$(( PORT18 + 886 ))</interserver_http_port>#" \
      -e "s#/var/lib/clickhouse/#$RUN18/data/#g" -e "s#/var/log/clickhouse-server/#$RUN18/log/#g" -e "s#<listen_host>::1</listen_host>##" \
      -e "s#<users_config>users.xml</users_config>#<users_config>$RUN18/users.xml</users_config>#" /etc/clickhouse-server/config.xml >"$RUN18/config.xml"
  sed -e "s#<password></password>#<password>$PASSWORD</password>#" /etc/clickhouse-server/users.xml >"$RUN18/users.xml"
  setsid -f bash -c 'echo $$ > "$0"; exec "$@"' "$PID18" clickhouse-server --config-file="$RUN18/config.xml" >>"$STATE/logs/clickhouse18.log" 2>&1 </dev/null
  for _ in $(seq 300); do
    if answers18; then say "ready: clickhouse-server $(curl -fsS -u "default:$PASSWORD" "http://127.0.0.1:$PORT18/?query=SELECT%20version()") on 127.0.0.1:$PORT18"; return 0; fi
    if [[ -f $PID18 ]] && ! running18; then tail -20 "$RUN18/log/clickhouse-server.err.log" >&2; fail "clickhouse-server 18.16 exited (log: $RUN18/log)"; fi
    sleep 0.1
  done
  fail "clickhouse-server 18.16: no answer on 127.0.0.1:$PORT18 after 30 s (log: $RUN18/log)"
}
stop18() {
  if running18; then
    local pid; pid=$(cat "$PID18"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    say "stopped clickhouse-server 18.16 (pid $pid)"
  fi
  rm -f "$PID18"
}

case ${1:-start} in
  install) install; install18 ;;
  start) start18; start ;;
  stop) stop; stop18 ;;
  status) if running && answers && running18 && answers18; then echo "running: chDB pid $(cat "$PIDFILE") on $HOST:$PORT, clickhouse-server 18.16 pid $(cat "$PID18") on 127.0.0.1:$PORT18"; else echo stopped; exit 1; fi ;;
  *) echo "usage: $0 [start|stop|status|install]" >&2; exit 2 ;;
esac
