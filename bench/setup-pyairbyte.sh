#!/usr/bin/env bash
# The peer of bench/native-connectors.bench.ts: PyAirbyte and the reference source-faker, each in its own
# virtualenv under bench/.data (ignored by git), at the versions bench/RESULTS.md was measured with.
# Idempotent: a venv that already imports the pinned version is kept. Needs python3 >= 3.10 with venv
# (Debian: apt-get install python3-venv) and the package index reachable; about 400 MB on disk.
# Usage: bash bench/setup-pyairbyte.sh        then: node --import tsx bench/native-connectors.bench.ts
set -euo pipefail
cd "$(dirname "$0")"
DATA=.data
AIRBYTE_VERSION=${AIRBYTE_VERSION:-0.71.3}
FAKER_VERSION=${FAKER_VERSION:-7.2.1}
PY=${PYTHON:-python3}
log() { echo "[setup-pyairbyte] $*" >&2; }
fail() { echo "[setup-pyairbyte] FAILED: $*" >&2; exit 1; }

command -v "$PY" >/dev/null || fail "no $PY on PATH (set PYTHON=/path/to/python3.11)"
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' || fail "$PY is older than 3.10; PyAirbyte needs 3.10+"
"$PY" -c 'import venv, ensurepip' 2>/dev/null || fail "$PY has no venv/ensurepip (Debian: apt-get install python3-venv)"

# venv DIR PACKAGE VERSION: DIR holds PACKAGE==VERSION when this returns.
venv() {
  local dir=$DATA/$1 pkg=$2 version=$3
  if [[ -x $dir/bin/python ]] && [[ $("$dir/bin/python" -m pip show "$pkg" 2>/dev/null | sed -n 's/^Version: //p') == "$version" ]]; then
    log "$pkg $version already in $dir"
    return 0
  fi
  log "installing $pkg==$version into $dir (a few minutes) ..."
  rm -rf "$dir"
  "$PY" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$pkg==$version" \
    || fail "pip install $pkg==$version (is the package index reachable?)"
  log "$pkg $version ready"
}

mkdir -p "$DATA"
venv pyairbyte-venv airbyte "$AIRBYTE_VERSION"
venv source-faker-venv airbyte-source-faker "$FAKER_VERSION"
[[ -x $DATA/source-faker-venv/bin/source-faker ]] || fail "source-faker-venv has no source-faker entry point"
log "done: bench/native-connectors.bench.ts will run PyAirbyte as the peer"
