#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run the whole test suite: lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check src tests
.venv/bin/ruff format --check src tests
.venv/bin/mypy
# The reference playbook and the two example businesses stay in fmt's layout.
for playbook in playbook tests/examples/site-small tests/examples/vi-small; do
  .venv/bin/playbookgen fmt --check "$playbook"
done
.venv/bin/python -m pytest -q "$@"
