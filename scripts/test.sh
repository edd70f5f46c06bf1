#!/usr/bin/env bash
# Sets up and runs the whole test suite: lint, format check, type check, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --dev
export QT_QPA_PLATFORM=offscreen
echo "== ruff";  .venv/bin/ruff check app ui tests benchmarks
.venv/bin/ruff format --check app ui tests benchmarks
echo "== mypy";  .venv/bin/mypy
echo "== pytest"; .venv/bin/python -m pytest -p no:cacheprovider -n 2 "$@"
