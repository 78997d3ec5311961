#!/usr/bin/env bash
# The checks .ci/run makes before the tests: ruff (the rule set in
# pyproject.toml), mypy (the modules and strictness in pyproject.toml's
# [tool.mypy]) and the import-linter contracts (only kmodgui.gui imports
# Qt; the workbench imports no feature; features are independent).
# mypy is pinned: another release finds other errors in the same code.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
"$PY" -m pip install -q ruff import-linter mypy==2.4.1 types-greenlet >/dev/null
echo "lint: ruff"
"$PY" -m ruff check kmodgui tests benchmarks tools
echo "lint: mypy"
"$PY" -m mypy
echo "lint: import contracts"
PYTHONPATH="$PWD" "$(dirname "$PY")/lint-imports"
