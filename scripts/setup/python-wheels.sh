#!/usr/bin/env bash
# Wheelhouses for the python and manifest executor tests, downloaded from PyPI once and reused, so test
# runs install connectors with `pip --no-index --find-links` (offline, a few seconds of unpacking):
#   - airbyte-source-faker (the wheelhouse images/build-images.sh already keeps for the faker image),
#   - airbyte-cdk $CDK_VERSION and its dependencies (the declarative runner of the manifest executor),
#   - airbyte-source-rocket-chat $ROCKET_CHAT_WHEEL_VERSION alone (no dependencies): a real low-code
#     connector whose wheel carries its manifest.yaml; the tests serve that manifest as registry metadata,
#   - uv $UV_VERSION (its binary, taken from its PyPI wheel) and a uv cache: with both, a test install of
#     the faker or the CDK into a fresh venv takes 2-4 s instead of 80 s with pip.
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
UV_WHEELS=$WHEELS/uv-$UV_VERSION
UV_DIR=$STATE/tools/uv-$UV_VERSION
UV_CACHE=$STATE/uv-cache
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

# The uv binary alone in a folder of its own (a venv's bin/ would also put its python3 first on PATH).
install_uv() {
  [[ -x $UV_DIR/uv ]] && return 0
  log "extracting uv $UV_VERSION into $UV_DIR"
  rm -rf "$UV_DIR.tmp"; mkdir -p "$UV_DIR.tmp" "$UV_CACHE"
  /usr/bin/python3 - "$UV_WHEELS" "$UV_VERSION" "$UV_DIR.tmp/uv" <<'PY' || fail "cannot extract uv from its wheel in $UV_WHEELS"
import glob, os, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], "uv-*.whl"))[0]
with open(sys.argv[3], "wb") as out:
    out.write(zipfile.ZipFile(wheel).read(f"uv-{sys.argv[2]}.data/scripts/uv"))
os.chmod(sys.argv[3], 0o755)
PY
  "$UV_DIR.tmp/uv" --version >/dev/null || fail "the extracted uv does not run"
  rm -rf "$UV_DIR"; mv "$UV_DIR.tmp" "$UV_DIR"
}

start() {
  mkdir -p "$WHEELS"
  (
    flock 9
    bash "$REPO_DIR/images/build-images.sh" --wheels-only
    download "$CDK_WHEELS" "airbyte-cdk==$CDK_VERSION"
    download "$RC_WHEELS" --no-deps "airbyte-source-rocket-chat==$ROCKET_CHAT_WHEEL_VERSION"
    download "$UV_WHEELS" --no-deps "uv==$UV_VERSION"
    install_uv
  ) 9>"$STATE/python-wheels.lock"
  [[ -f $FAKER_WHEELS/.complete ]] || fail "the faker wheelhouse $FAKER_WHEELS is incomplete"
  mkdir -p "$(dirname "$ENV_FILE")"
  cat >"$ENV_FILE.tmp" <<EOT
# written by scripts/setup/python-wheels.sh
export AIRDOCK_TEST_WHEELHOUSES=$FAKER_WHEELS:$CDK_WHEELS
export AIRDOCK_TEST_ROCKET_CHAT_WHEEL=$(ls "$RC_WHEELS"/*.whl)
export AIRDOCK_TEST_UV=$UV_DIR/uv AIRDOCK_TEST_UV_CACHE=$UV_CACHE
EOT
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

status() {
  for d in "$FAKER_WHEELS" "$CDK_WHEELS" "$RC_WHEELS" "$UV_WHEELS"; do
    [[ -f $d/.complete ]] && echo "ready: $d" || { echo "missing: $d"; return 1; }
  done
  [[ -x $UV_DIR/uv ]] && echo "ready: $UV_DIR/uv" || { echo "missing: $UV_DIR/uv"; return 1; }
}

case ${1:-start} in
  start) start ;;
  status) status ;;
  *) echo "usage: $0 [start|status]" >&2; exit 2 ;;
esac
