#!/usr/bin/env bash
# Sets up and starts 依申请公开办理台 with the embedded default: a local encrypted database.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/yishen "$@"
