#!/usr/bin/env bash
# `make lint`: ruff, pylint-odoo (OCA configuration) and manifestoo.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odoo.sh"
lint_venv="$CACHE_DIR/lint-venv"
if [ ! -x "$lint_venv/bin/pylint" ] || [ "$here/tools/requirements-lint.txt" -nt "$lint_venv/bin/pylint" ]; then
    python3 -m venv "$lint_venv"
    "$lint_venv/bin/pip" install -q -r "$here/tools/requirements-lint.txt"
    touch "$lint_venv/bin/pylint"
fi
cd "$here"
echo "==> ruff" >&2
"$lint_venv/bin/ruff" check .
"$lint_venv/bin/ruff" format --check .
echo "==> pylint-odoo" >&2
addon_dir="${ADDONS_PATH##*,}/crm_facilitator_network"
( cd "${ADDONS_PATH##*,}" && "$lint_venv/bin/pylint" --rcfile="$here/.pylintrc" crm_facilitator_network )
echo "==> manifestoo" >&2
"$lint_venv/bin/manifestoo" --odoo-series 19.0 --addons-path "$ADDONS_PATH" --select crm_facilitator_network check-licenses
"$lint_venv/bin/manifestoo" --odoo-series 19.0 --addons-path "$ADDONS_PATH" --select crm_facilitator_network check-dev-status
echo "lint: clean ($addon_dir)" >&2
