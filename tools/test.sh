#!/usr/bin/env bash
# `make test`: install the addon with its demo data on a fresh database, then
# run the whole suite with pytest-odoo (tours included). Extra arguments go
# to pytest, e.g. `make test ARGS="-k routing"`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odoo.sh"
DB="${TEST_DB:-cfn_test}"
export UNINSTALL_DB="${UNINSTALL_DB:-${DB}_uninstall}"
PORT="${TEST_HTTP_PORT:-8169}"
log="$(mktemp -t cfn-install.XXXXXX.log)"

echo "==> Installing crm_facilitator_network on a fresh database '$DB'" >&2
dropdb --if-exists "$DB"
if ! odoo -d "$DB" -i crm_facilitator_network --with-demo --stop-after-init \
        --no-http --log-level=warn >"$log" 2>&1 \
        || grep -qE " (ERROR|CRITICAL) " "$log"; then
    cat "$log" >&2
    echo "ERROR: installing the addon failed (log above)." >&2
    exit 1
fi

# Uninstalling and reinstalling on a database that holds data (a database of
# its own), before the suite so that pytest's summary line ends the output.
bash "$here/tools/uninstall_reinstall.sh"

echo "==> Running the tests" >&2
cfg="$(mktemp -t cfn-odoo.XXXXXX.conf)"
printf '[options]\naddons_path = %s\nhttp_port = %s\nlog_level = warn\n' "$ADDONS_PATH" "$PORT" >"$cfg"
out="$(mktemp -t cfn-pytest.XXXXXX.log)"
set +e
# The addon is reached through its link so that pytest-odoo names it
# odoo.addons.crm_facilitator_network, whatever this checkout is called.
( cd "$(dirname "$ADDONS_PATH" | cut -d, -f2)" >/dev/null 2>&1 || true
  pytest -p no:cacheprovider --odoo-database="$DB" --odoo-config="$cfg" --odoo-http \
      -o python_files='test_*.py' -rs "${ADDONS_PATH##*,}/crm_facilitator_network/tests" "$@" ) 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
set -e
if grep -qE "^=+ .*[0-9]+ skipped" "$out"; then
    echo "ERROR: some tests were skipped (a skipped tour never counts as passed); see 'SKIPPED' above." >&2
    exit 1
fi
exit "$status"
