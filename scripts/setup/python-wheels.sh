#!/usr/bin/env bash
# Wheelhouses for the python and manifest executor tests, downloaded from PyPI once and reused, so test
# runs install connectors with `pip --no-index --find-links` (offline, a few seconds of unpacking):
#   - airbyte-source-faker (the wheelhouse images/build-images.sh already keeps for the faker image),
#   - airbyte-cdk $CDK_VERSION and its dependencies (the declarative runner of the manifest executor),
#   - airbyte-source-rocket-chat $ROCKET_CHAT_WHEEL_VERSION alone (no dependencies): a real low-code
#     connector whose wheel carries its manifest.yaml; the tests serve that manifest as registry metadata.
# Usage: scripts/setup/python-wheels.sh [start|status]   (default start). Idempotent, fails loudly.
# Settings go to $AIRDOCK_CI_STATE/services.d/python-wheels.env (folded into services.env by ci-setup.sh).
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck disable=SC1091
source "$REPO_DIR/images/versions.env"
: "${AIRDOCK_CI_STATE:=/var/lib/airdock-ci}"
STATE=$AIRDOCK_CI_STATE
WHEELS=$STATE/wheels
FAKER_WHEELS=$WHEELS/source-faker-$FAKER_VERSION
CDK_WHEELS=$WHEELS/airbyte-cdk-$CDK_VERSION
RC_WHEELS=$WHEELS/source-rocket-chat-$ROCKET_CHAT_WHEEL_VERSION
ENV_FILE=$STATE/services.d/python-wheels.env
LOG=$STATE/logs
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

log() { echo "[setup-python-wheels] $*" >&2; }
fail() { echo "[setup-python-wheels] FAILED: $*" >&2; exit 1; }

# download <dir> <pip download args...>: into <dir>, marked complete only when pip succeeded
download() {
  local dir=$1; shift
  [[ -f $dir/.complete ]] && return 0
  log "downloading $* into $dir"
  rm -rf "$dir"; mkdir -p "$dir" "$LOG"
  [[ -n ${PIP_CERT:-} || ! -f $CA_BUNDLE ]] || export PIP_CERT=$CA_BUNDLE
  # Debian's python3: the interpreter the CI venvs use, so the wheels' tags fit
  PIP_FIND_LINKS= /usr/bin/python3 -m pip download -q --disable-pip-version-check -d "$dir" "$@" >"$LOG/wheels-$(basename "$dir").log" 2>&1 \
    || { tail -20 "$LOG/wheels-$(basename "$dir").log" >&2; fail "pip download $*"; }
  touch "$dir/.complete"
}

start() {
  mkdir -p "$WHEELS"
  (
    flock 9
    bash "$REPO_DIR/images/build-images.sh" --wheels-only
    download "$CDK_WHEELS" "airbyte-cdk==$CDK_VERSION"
    download "$RC_WHEELS" --no-deps "airbyte-source-rocket-chat==$ROCKET_CHAT_WHEEL_VERSION"
  ) 9>"$STATE/python-wheels.lock"
  [[ -f $FAKER_WHEELS/.complete ]] || fail "the faker wheelhouse $FAKER_WHEELS is incomplete"
  mkdir -p "$(dirname "$ENV_FILE")"
  cat >"$ENV_FILE.tmp" <<EOT
# written by scripts/setup/python-wheels.sh
export AIRDOCK_TEST_WHEELHOUSES=$FAKER_WHEELS:$CDK_WHEELS
export AIRDOCK_TEST_ROCKET_CHAT_WHEEL=$(ls "$RC_WHEELS"/*.whl)
EOT
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

status() {
  for d in "$FAKER_WHEELS" "$CDK_WHEELS" "$RC_WHEELS"; do
    [[ -f $d/.complete ]] && echo "ready: $d" || { echo "missing: $d"; return 1; }
  done
}

case ${1:-start} in
  start) start ;;
  status) status ;;
  *) echo "usage: $0 [start|status]" >&2; exit 2 ;;
esac
