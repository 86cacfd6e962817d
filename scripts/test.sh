#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run the whole test suite: lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check src tests
.venv/bin/ruff format --check src tests
.venv/bin/mypy
.venv/bin/playbookgen fmt --check playbook   # the reference playbook stays in fmt's layout
.venv/bin/python -m pytest -q "$@"
