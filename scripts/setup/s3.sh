#!/usr/bin/env bash
# The S3-compatible server the tests use: moto (moto_server, from PyPI) on 127.0.0.1:4566.
# Usage: scripts/setup/s3.sh [start|stop|status]   (default: start). Idempotent, fails loudly.
#
# Why moto: with the AWS SDK's default checksums (CRC32 trailers, aws-chunked streaming uploads) it
# stores exactly the bytes sent, pages ListObjectsV2 correctly, aborts multipart uploads and lists them;
# s3rver corrupts aws-chunked bodies and MinIO is AGPL. moto keeps objects in memory (fine for tests).
# Install `moto[s3]` + flask + flask-cors, not `moto[server]`, which pulls every AWS service's
# dependencies (minutes and 300 MB instead of ~25 s and 140 MB).
#
# The venv is cached under $AIRDOCK_CI_STATE/venvs/moto-<version>; its pid and log live in
# $AIRDOCK_CI_STATE/s3. Settings for the tests go to $AIRDOCK_CI_STATE/services.d/s3.env, which
# scripts/ci-setup.sh folds into services.env.
# Env: AIRDOCK_CI_STATE (/var/lib/airdock-ci), S3_PORT (4566), S3_HOST (127.0.0.1), MOTO_VERSION.
set -euo pipefail

: "${AIRDOCK_CI_STATE:=/var/lib/airdock-ci}"
STATE=$AIRDOCK_CI_STATE
MOTO_V=${MOTO_VERSION:-5.2.5}
FLASK_V=3.1.3
FLASK_CORS_V=6.0.5
PORT=${S3_PORT:-4566}
HOST=${S3_HOST:-127.0.0.1}
VENV=$STATE/venvs/moto-$MOTO_V
RUN=$STATE/s3
PIDFILE=$RUN/moto.pid
LOG=$RUN/moto.log
ENV_FILE=$STATE/services.d/s3.env

log() { echo "[setup-s3] $*" >&2; }
fail() { echo "[setup-s3] FAILED: $*" >&2; exit 1; }

install() {
  local want="moto[s3]==$MOTO_V flask==$FLASK_V flask-cors==$FLASK_CORS_V $(/usr/bin/python3 --version 2>&1)"
  if [[ -x $VENV/bin/moto_server && -f $VENV/.airdock-installed && $(cat "$VENV/.airdock-installed") == "$want" ]]; then return 0; fi
  log "installing moto $MOTO_V into $VENV"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")" "$RUN"
  /usr/bin/python3 -m venv "$VENV" || fail "python3 -m venv (apt package python3-venv)"
  PIP_CACHE_DIR=$STATE/pip-cache "$VENV/bin/pip" install -q --disable-pip-version-check \
    "moto[s3]==$MOTO_V" "flask==$FLASK_V" "flask-cors==$FLASK_CORS_V" >"$RUN/pip.log" 2>&1 \
    || { tail -20 "$RUN/pip.log" >&2; fail "pip install moto[s3]==$MOTO_V"; }
  echo "$want" >"$VENV/.airdock-installed"
}

running() { [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
answers() { [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/" 2>/dev/null)" != 000 ]]; }

write_env() {
  mkdir -p "$(dirname "$ENV_FILE")"
  cat >"$ENV_FILE.tmp" <<EOF
# written by scripts/setup/s3.sh (moto $MOTO_V)
export AIRDOCK_TEST_S3_ENDPOINT=http://127.0.0.1:$PORT AIRDOCK_TEST_S3_KEY=test AIRDOCK_TEST_S3_SECRET=test AIRDOCK_TEST_S3_REGION=us-east-1
EOF
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

start() {
  install
  mkdir -p "$RUN"
  if running && answers; then log "moto already running (pid $(cat "$PIDFILE"))"; write_env; return 0; fi
  if answers; then fail "port $PORT answers but not our moto (pid file $PIDFILE); stop that process or set S3_PORT"; fi
  rm -f "$PIDFILE"
  # its own session: the CI step's shell ending must not take the server down
  setsid -f bash -c 'echo $$ > "$0"; exec "$@"' "$PIDFILE" "$VENV/bin/moto_server" -H "$HOST" -p "$PORT" >"$LOG" 2>&1 </dev/null
  for _ in $(seq 600); do
    if answers; then log "moto ready on $HOST:$PORT (pid $(cat "$PIDFILE"))"; write_env; return 0; fi
    [[ -f $PIDFILE ]] && ! running && { tail -20 "$LOG" >&2; fail "moto_server exited (log $LOG)"; }
    sleep 0.05
  done
  tail -20 "$LOG" >&2; fail "moto_server did not answer on $PORT within 30 s (log $LOG)"
}

stop() {
  if running; then
    local pid; pid=$(cat "$PIDFILE"); kill "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "stopped pid $pid"
  fi
  rm -f "$PIDFILE" "$ENV_FILE"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) if running && answers; then echo "running pid $(cat "$PIDFILE") on $PORT"; else echo stopped; exit 1; fi ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac
