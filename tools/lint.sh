#!/usr/bin/env bash
# The checks .ci/run makes before the tests: ruff (the rule set in
# pyproject.toml) and the import-linter contracts (only kmodgui.gui imports
# Qt; the workbench imports no feature; features are independent).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
"$PY" -m pip install -q ruff import-linter >/dev/null
echo "lint: ruff"
"$PY" -m ruff check kmodgui tests benchmarks tools
echo "lint: import contracts"
PYTHONPATH="$PWD" "$(dirname "$PY")/lint-imports"
