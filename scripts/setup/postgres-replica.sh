#!/usr/bin/env bash
# A streaming read replica of the CI PostgreSQL (15/main on 5432): a second cluster made with
# `pg_basebackup -R` (standby.signal + primary_conninfo), kept in sync through a physical replication
# slot, listening on 127.0.0.1:5433. Tests read from it with source-postgres's `read_replica`.
# Usage: scripts/setup/postgres-replica.sh [start|stop|status]   (default: start). Idempotent, fails loudly.
#
# Needs the primary up with password logins for replication from 127.0.0.1 (scripts/ci-setup.sh does
# that first). Debian keeps postgresql.conf and pg_hba.conf outside the data directory, so the base
# backup has none: this script writes the replica's own (port, hot_standby_feedback so long snapshot
# reads on the standby are not cancelled, connection limits not below the primary's).
# A replica whose start fails or that does not stream within 60 s is rebuilt once from a new backup.
# Settings for the tests go to $AIRDOCK_CI_STATE/services.d/postgres-replica.env.
# Env: AIRDOCK_CI_STATE (/var/lib/airdock-ci), PG_PASSWORD (postgres), PG_REPLICA_PORT (5433).
set -euo pipefail

: "${AIRDOCK_CI_STATE:=/var/lib/airdock-ci}"
: "${PG_PASSWORD:=postgres}"
PORT=${PG_REPLICA_PORT:-5433}
BIN=/usr/lib/postgresql/15/bin
RUN=$AIRDOCK_CI_STATE/pg-replica
DATA=$RUN/data
LOG=$RUN/replica.log
SLOT=airdock_ci_replica
ENV_FILE=$AIRDOCK_CI_STATE/services.d/postgres-replica.env

log() { echo "[setup-pg-replica] $*" >&2; }
fail() { echo "[setup-pg-replica] FAILED: $*" >&2; exit 1; }
as_pg() { runuser -u postgres -- "$@"; }
primary() { PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc "$1"; }
replica() { PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atqc "$1"; }
running() { as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }
streaming() { [[ $(replica "SELECT pg_is_in_recovery() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming')" 2>/dev/null) == t ]]; }

write_env() {
  mkdir -p "$(dirname "$ENV_FILE")"
  printf '# written by scripts/setup/postgres-replica.sh\nexport AIRDOCK_TEST_PG_REPLICA_HOST=127.0.0.1 AIRDOCK_TEST_PG_REPLICA_PORT=%s\n' "$PORT" >"$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

backup() {
  log "base backup of the primary into $DATA"
  running && as_pg "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
  mkdir -p "$RUN"
  chown postgres:postgres "$RUN"
  [[ -n $(primary "SELECT 1 FROM pg_replication_slots WHERE slot_name = '$SLOT'") ]] \
    || primary "SELECT pg_create_physical_replication_slot('$SLOT')" >/dev/null || fail "creating the physical slot $SLOT on the primary"
  as_pg "$BIN/pg_basebackup" -d "host=127.0.0.1 port=5432 user=postgres password=$PG_PASSWORD application_name=airdock_ci_replica sslmode=disable" \
    -D "$DATA" -R -X stream -S "$SLOT" -c fast >"$RUN/basebackup.log" 2>&1 \
    || { tail -20 "$RUN/basebackup.log" >&2; fail "pg_basebackup (log $RUN/basebackup.log)"; }
  cp /etc/postgresql/15/main/pg_hba.conf /etc/postgresql/15/main/pg_ident.conf "$DATA/"
  cat >"$DATA/postgresql.conf" <<CONF
# airdock CI read replica (scripts/setup/postgres-replica.sh)
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/var/run/postgresql'
hot_standby = on
hot_standby_feedback = on
max_standby_streaming_delay = -1
max_connections = 200
max_wal_senders = 20
max_replication_slots = 20
max_slot_wal_keep_size = 4GB
wal_level = logical
fsync = off
CONF
  chown postgres:postgres "$DATA"/*.conf
}

start_server() {
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null 2>&1 || return 1
  for _ in $(seq 600); do streaming && return 0; sleep 0.1; done
  return 1
}

# Replication over loopback needs no TLS: with the default sslmode=prefer the walsender encrypts every
# WAL byte (libcrypto was ~2 % of the machine's CPU during a 5M-row PostgreSQL benchmark). Replicas made
# before this setting get it here, once.
plain_replication() {
  [[ -f $DATA/postgresql.auto.conf ]] || return 0
  grep -q "sslmode=disable" "$DATA/postgresql.auto.conf" && return 0
  sed -i 's/sslmode=prefer/sslmode=disable/' "$DATA/postgresql.auto.conf"
  grep -q "sslmode=disable" "$DATA/postgresql.auto.conf" || fail "could not set sslmode=disable in $DATA/postgresql.auto.conf"
  if running; then log "restarting the replica without TLS on its replication connection"; as_pg "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null; fi
}

start() {
  pg_isready -q -h 127.0.0.1 -p 5432 || fail "the primary does not answer on 127.0.0.1:5432 (run scripts/ci-setup.sh)"
  plain_replication
  if running && streaming; then log "replica already streaming on $PORT"; write_env; return 0; fi
  if [[ -f $DATA/standby.signal ]] && { running || start_server; } && streaming; then log "replica streaming on $PORT"; write_env; return 0; fi
  backup
  start_server || { tail -30 "$LOG" >&2; fail "the replica did not start streaming on $PORT (log $LOG)"; }
  log "replica streaming on $PORT"
  write_env
}

stop() {
  if running; then as_pg "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null; log "stopped"; fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) if running && streaming; then echo "streaming on $PORT"; else echo "not running"; exit 1; fi ;;
  *) fail "usage: $0 [start|stop|status]" ;;
esac
