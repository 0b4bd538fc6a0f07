#!/usr/bin/env bash
# Shared by the tools/ scripts: prepares the machine, then defines `odoo`,
# which runs Odoo 19 with this checkout on its addons path.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vars="$(bash "$here/tools/setup.sh")" || exit 1
eval "$vars"
export PATH="$VENV/bin:$PATH"
# Odoo's addons also hold third-party ones on some trees: never depend on them.
odoo() {
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" "$@"
}
