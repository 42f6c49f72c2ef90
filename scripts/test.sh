#!/usr/bin/env bash
# `npm test`: set up what the tests need (idempotent; root), build, run every vitest project.
# Any failing step fails the run: tests that need a service fail rather than skip.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s%N)
elapsed() { local d=$(( ($(date +%s%N) - start) / 1000000 )); printf '%d.%ds' $(( d / 1000 )) $(( d % 1000 / 100 )); }
# Every temp dir the tests, the CLI and the connectors they start make goes under one directory of
# this run, removed when the run ends, pass or fail (AIRDOCK_KEEP_TEST_TMP=1 keeps it to debug): dozens
# of test files make their own temp dirs, and a run used to leave 1-1.5 GB of them behind.
RUN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/airdock-test-run-XXXXXX")
cleanup() {
  rc=$?
  if [[ -n ${AIRDOCK_KEEP_TEST_TMP:-} ]]; then echo "[test] temp dir kept: $RUN_TMP"; else rm -rf "$RUN_TMP"; fi
  echo "[test] total $(elapsed) (exit $rc)"
}
trap cleanup EXIT

: "${AIRDOCK_CI_STATE:=/var/lib/airdock-ci}"
bash scripts/ci-setup.sh
# shellcheck disable=SC1091
source "$AIRDOCK_CI_STATE/services.env"
echo "[test] setup done at $(elapsed)"

npm run build
echo "[test] build done at $(elapsed)"
# the native connectors' images (content-hash cache: unchanged images are kept), which the tests run
node bin/airdock images build --all
echo "[test] native images ready at $(elapsed)"
TMPDIR=$RUN_TMP npx vitest run "$@"
