#!/usr/bin/env bash
# `npm test`: set up what the tests need (idempotent; root), build, run every vitest project.
# Any failing step fails the run: tests that need a service fail rather than skip.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s%N)
elapsed() { local d=$(( ($(date +%s%N) - start) / 1000000 )); printf '%d.%ds' $(( d / 1000 )) $(( d % 1000 / 100 )); }
trap 'rc=$?; echo "[test] total $(elapsed) (exit $rc)"' EXIT

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
npx vitest run "$@"
