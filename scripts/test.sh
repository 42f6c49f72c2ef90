#!/usr/bin/env bash
# `npm test`: set up what the tests need (idempotent), build, run every vitest project.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
if [[ -x scripts/ci-setup.sh ]]; then
  bash scripts/ci-setup.sh
  # shellcheck disable=SC1091
  [[ -f /var/lib/airdock-ci/services.env ]] && source /var/lib/airdock-ci/services.env
fi
npm run build
npx vitest run "$@"
echo "[test] total $(( $(date +%s) - start ))s"
