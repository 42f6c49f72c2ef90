#!/usr/bin/env bash
# Install and start what the tests need, as root, idempotently (a second run takes seconds):
#   Docker engine (Debian docker.io; dockerd started in the background unless `docker info` works),
#   PostgreSQL 15 + wal2json (logical decoding, password auth, reachable from containers),
#   the real Airbyte faker in a host venv (run as a local process by tests),
#   the locally built images (images/build-images.sh),
#   a local OCI registry (Debian docker-registry) on 127.0.0.1:5000 holding the faker image.
# Writes the connection settings to $AIRDOCK_CI_STATE/services.env (sourced by scripts/test.sh).
# Any failure stops the run with a "[ci-setup] FAILED ..." line: tests never skip for lack of a service.
#
# Env: AIRDOCK_CI_STATE (default /var/lib/airdock-ci), DOCKERD_ARGS (extra dockerd flags), PG_PASSWORD (default postgres).
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC1091
source "$REPO_DIR/images/versions.env"
: "${AIRDOCK_CI_STATE:=/var/lib/airdock-ci}"
: "${DOCKERD_ARGS:=}"
: "${PG_PASSWORD:=postgres}"
export AIRDOCK_CI_STATE DEBIAN_FRONTEND=noninteractive
STATE=$AIRDOCK_CI_STATE
LOG=$STATE/logs
FAKER_VENV=$STATE/venvs/source-faker
REGISTRY_DIR=$STATE/registry
[[ $(id -u) == 0 ]] || { echo "[ci-setup] FAILED: must run as root (installs packages, starts dockerd and PostgreSQL)" >&2; exit 1; }
mkdir -p "$STATE" "$LOG"
# One setup at a time (two `npm test` runs at once would race on apt, dockerd and builds). flock -o
# keeps the lock out of the daemons started below, so it is released when this script ends.
if [[ -z ${AIRDOCK_CI_SETUP_LOCKED:-} ]]; then
  export AIRDOCK_CI_SETUP_LOCKED=1
  exec flock -o "$STATE/setup.lock" bash "${BASH_SOURCE[0]}" "$@"
fi

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
secs_since() { local d=$(( $(now_ms) - $1 )); printf '%d.%d' $(( d / 1000 )) $(( d % 1000 / 100 )); }
T_START=$(now_ms)
log() { echo "[ci-setup] $*"; }
fail() { echo "[ci-setup] FAILED: $*" >&2; exit 1; }
CURRENT_STEP=start
IMAGES_PID=
trap 'rc=$?; [[ -z $IMAGES_PID ]] || kill "$IMAGES_PID" 2>/dev/null || true; (( rc == 0 )) || echo "[ci-setup] FAILED (exit $rc) in step \"$CURRENT_STEP\" after $(secs_since "$T_START")s; logs in $LOG" >&2' EXIT
step() { # step <label> <function>: run one step, print its time
  local label=$1 t0; shift; t0=$(now_ms); CURRENT_STEP=$label
  log "$label ..."
  "$@"
  printf '[ci-setup] %-34s %6ss\n' "$label done" "$(secs_since "$t0")"
}
wait_for() { # wait_for <seconds> <command...>
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    (( $(date +%s) < deadline )) || return 1
    sleep 0.1
  done
}
start_bg() { # start_bg <name> <command...>: own session, so the CI step's shell ending does not kill it
  local name=$1; shift
  setsid -f bash -c 'echo $$ > "$0"; exec "$@"' "$STATE/$name.pid" "$@" >>"$LOG/$name.log" 2>&1 </dev/null
}


# ---------------------------------------------------------------- packages (apt-get update at most once)
PACKAGES=(docker.io cgroupfs-mount xz-utils ca-certificates debootstrap docker-registry postgresql-15 postgresql-15-wal2json python3 python3-venv python3-pip python3-prometheus-client curl)
apt_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  (( ${#missing[@]} )) || { log "packages already installed"; return 0; }
  log "installing ${missing[*]}"
  apt-get update -qq >"$LOG/apt-update.log" 2>&1 || { cat "$LOG/apt-update.log" >&2; fail "apt-get update"; }
  # postinst scripts must not start services: we start them ourselves below
  local own_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; fi
  local rc=0
  apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >"$LOG/apt-install.log" 2>&1 || rc=$?
  (( own_policy )) && rm -f /usr/sbin/policy-rc.d
  (( rc == 0 )) || { tail -30 "$LOG/apt-install.log" >&2; fail "apt-get install ${missing[*]}"; }
}

# ---------------------------------------------------------------- docker
setup_docker() {
  if docker info >/dev/null 2>&1; then log "dockerd already running (reused)"; return 0; fi
  if [[ -S /var/run/docker.sock ]] && pgrep -x dockerd >/dev/null; then
    # a daemon exists but does not answer yet: wait for it rather than start a second one
    wait_for 30 docker info && return 0
    fail "a dockerd process exists but does not answer 'docker info'"
  fi
  mountpoint -q /sys/fs/cgroup || cgroupfs-mount
  # iptables left at its default (on): dockerd adds NAT so bridge containers have egress
  # shellcheck disable=SC2086
  start_bg dockerd dockerd $DOCKERD_ARGS
  wait_for 60 docker info || { tail -30 "$LOG/dockerd.log" >&2; fail "dockerd did not come up (log: $LOG/dockerd.log)"; }
}

# ---------------------------------------------------------------- postgres
setup_postgres() {
  local v=15 conf=/etc/postgresql/15/main
  pg_lsclusters -h | grep -q "^$v main " || pg_createcluster $v main >/dev/null
  local want; want=$(cat <<'EOF'
# airdock CI: logical decoding (pgoutput built in, wal2json from Debian), reachable from containers.
listen_addresses = '*'
wal_level = logical
max_replication_slots = 20
# A slot nobody reads (a test or a user that stopped half way) keeps every WAL segment: one held 47 GB
# and filled the disk. Past this size PostgreSQL invalidates the slot instead.
max_slot_wal_keep_size = 4GB
max_wal_senders = 20
max_connections = 200
# speed over durability in throw-away CI. Not synchronous_commit=off: logical decoding only returns
# flushed WAL, so async commit makes CDC reads lag.
fsync = off
full_page_writes = off
EOF
)
  local changed=0
  if [[ ! -f $conf/conf.d/airdock-ci.conf || $(cat "$conf/conf.d/airdock-ci.conf") != "$want" ]]; then
    printf '%s\n' "$want" >"$conf/conf.d/airdock-ci.conf"; changed=1
  fi
  if ! grep -q '# airdock-ci' "$conf/pg_hba.conf"; then
    changed=1
    cat >>"$conf/pg_hba.conf" <<'EOF'
# airdock-ci: password logins (incl. replication) from localhost and docker networks
host    all             all             172.16.0.0/12           scram-sha-256
host    replication     all             127.0.0.1/32            scram-sha-256
host    replication     all             172.16.0.0/12           scram-sha-256
EOF
  fi
  if pg_lsclusters -h | grep -q "^$v main .* online"; then
    if [[ $(runuser -u postgres -- psql -Atqc 'show wal_level') != logical ]]; then pg_ctlcluster $v main restart
    elif (( changed )); then pg_ctlcluster $v main reload; fi
  else
    pg_ctlcluster $v main start || fail "pg_ctlcluster 15 main start (see /var/log/postgresql/)"
  fi
  wait_for 30 pg_isready -q -h 127.0.0.1 -p 5432 || fail "PostgreSQL does not accept connections on 127.0.0.1:5432"
  runuser -u postgres -- psql -qc "ALTER USER postgres PASSWORD '$PG_PASSWORD'" >/dev/null
  PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -U postgres -Atqc 'select 1' >/dev/null || fail "password login to PostgreSQL"
}

# ---------------------------------------------------------------- faker as a local program
setup_faker_venv() {
  local marker=$FAKER_VENV/.airdock-installed want="airbyte-source-faker==$FAKER_VERSION $(/usr/bin/python3 --version 2>&1)"
  if [[ -x $FAKER_VENV/bin/source-faker && -f $marker && $(cat "$marker") == "$want" ]]; then log "faker venv up to date"; return 0; fi
  rm -rf "$FAKER_VENV"
  # the wheelhouse the image uses too (downloaded once; waits if the image build is fetching it)
  bash "$REPO_DIR/images/build-images.sh" --wheels-only
  # Debian's python3, not whatever interpreter is first on PATH: a fixed, known 3.11
  /usr/bin/python3 -m venv "$FAKER_VENV"
  "$FAKER_VENV/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$STATE/wheels/source-faker-$FAKER_VERSION" \
    "airbyte-source-faker==$FAKER_VERSION" >"$LOG/faker-venv.log" 2>&1 \
    || { tail -30 "$LOG/faker-venv.log" >&2; fail "pip install airbyte-source-faker==$FAKER_VERSION"; }
  "$FAKER_VENV/bin/source-faker" spec | grep -q '"type": *"SPEC"' || fail "the host faker does not answer spec"
  echo "$want" >"$marker"
}

# ---------------------------------------------------------------- images
build_images() { bash "$REPO_DIR/images/build-images.sh"; }

# ---------------------------------------------------------------- local registry (Debian docker-registry)
registry_up() { curl -sf "http://$REGISTRY_ADDR/v2/" >/dev/null; }
setup_registry() {
  mkdir -p "$REGISTRY_DIR/data"
  cat >"$REGISTRY_DIR/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_DIR/data
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
EOF
  if registry_up; then log "registry already answers on $REGISTRY_ADDR (reused)"
  else
    start_bg registry docker-registry serve "$REGISTRY_DIR/config.yml"
    wait_for 30 registry_up || { tail -20 "$LOG/registry.log" >&2; fail "docker-registry did not answer on $REGISTRY_ADDR"; }
  fi
  # push the faker image for pull tests, again only when the local image changed
  local src=$FAKER_IMAGE_REPO:$FAKER_VERSION dst=$REGISTRY_ADDR/$FAKER_IMAGE_REPO:$FAKER_VERSION id
  id=$(docker image inspect -f '{{.Id}}' "$src")
  if [[ -f $REGISTRY_DIR/pushed-faker.id && $(cat "$REGISTRY_DIR/pushed-faker.id") == "$id" ]] \
     && curl -sfI -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
          "http://$REGISTRY_ADDR/v2/$FAKER_IMAGE_REPO/manifests/$FAKER_VERSION" >/dev/null; then
    log "registry already holds $dst"
    return 0
  fi
  docker tag "$src" "$dst"
  docker push "$dst" >"$LOG/registry-push.log" 2>&1 || { cat "$LOG/registry-push.log" >&2; fail "docker push $dst"; }
  # keep no local copy under the registry name: pull tests must fetch it
  docker rmi "$dst" >/dev/null
  echo "$id" >"$REGISTRY_DIR/pushed-faker.id"
}

# ---------------------------------------------------------------- main
step "apt packages" apt_packages
step "docker" setup_docker
# the cluster's binaries compile for minutes on a cold cache: alongside the steps below (the start step waits for it)
bash "$REPO_DIR/scripts/setup/kubernetes.sh" build >"$LOG/kubernetes-build.log" 2>&1 &
# Images (debootstrap, docker builds) take longest: run them alongside PostgreSQL and the host venv.
log "images ... (background; log $LOG/images.log)"; CURRENT_STEP="postgres/faker venv/images"
T_IMG=$(now_ms)
build_images >"$LOG/images.log" 2>&1 & IMAGES_PID=$!
step "postgres 15" setup_postgres
step "postgres read replica (5433)" bash "$REPO_DIR/scripts/setup/postgres-replica.sh" start
step "faker venv ($FAKER_VERSION)" setup_faker_venv
CURRENT_STEP=images
if ! wait "$IMAGES_PID"; then IMAGES_PID=; cat "$LOG/images.log" >&2; fail "building images (log: $LOG/images.log)"; fi
IMAGES_PID=
sed 's/^/  /' "$LOG/images.log"
printf '[ci-setup] %-34s %6ss\n' "images done" "$(secs_since "$T_IMG")"
step "registry ($REGISTRY_ADDR)" setup_registry
step "s3 (moto)" bash "$REPO_DIR/scripts/setup/s3.sh" start
step "kafka (127.0.0.1:9092)" bash "$REPO_DIR/scripts/setup/kafka.sh" start
step "clickhouse (chDB, 127.0.0.1:8123)" bash "$REPO_DIR/scripts/setup/clickhouse.sh" start
step "python wheelhouses" bash "$REPO_DIR/scripts/setup/python-wheels.sh" start
step "kubernetes (127.0.0.1:16443)" bash "$REPO_DIR/scripts/setup/kubernetes.sh" start

CURRENT_STEP="env file"
DOCKER_HOST_IP=$(docker network inspect bridge -f '{{range .IPAM.Config}}{{.Gateway}}{{end}}' 2>/dev/null | head -1 || true)
[[ $DOCKER_HOST_IP =~ ^[0-9.]+$ ]] || DOCKER_HOST_IP=172.17.0.1
cat >"$STATE/services.env.tmp" <<EOF
# written by scripts/ci-setup.sh
export DOCKER_HOST_GATEWAY=$DOCKER_HOST_IP
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGPASSWORD=$PG_PASSWORD PGDATABASE=postgres
export AIRDOCK_TEST_FAKER_BIN=$FAKER_VENV/bin/source-faker
export AIRDOCK_TEST_FAKER_VERSION=$FAKER_VERSION
export AIRDOCK_TEST_FAKER_IMAGE=$FAKER_IMAGE_REPO:$FAKER_VERSION
export AIRDOCK_TEST_MISBEHAVE_IMAGE=$MISBEHAVE_IMAGE
export AIRDOCK_TEST_REGISTRY=$REGISTRY_ADDR
export AIRDOCK_TEST_REGISTRY_FAKER_IMAGE=$REGISTRY_ADDR/$FAKER_IMAGE_REPO:$FAKER_VERSION
EOF
# each scripts/setup/<service>.sh writes its own settings to services.d/<service>.env
cat "$STATE"/services.d/*.env >>"$STATE/services.env.tmp" 2>/dev/null || true
mv "$STATE/services.env.tmp" "$STATE/services.env"
printf '[ci-setup] %-34s %6ss  (env: %s)\n' "total" "$(secs_since "$T_START")" "$STATE/services.env"
