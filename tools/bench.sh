#!/usr/bin/env bash
# `make bench`: build a fresh database with the addon, run benchmarks/ and
# print one line per figure; the figures also go to bench.json.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odoo.sh"
DB="${BENCH_DB:-cfn_bench}"
PORT="${BENCH_HTTP_PORT:-8179}"
export BENCH_JSON="${BENCH_JSON:-$here/bench.json}"
echo "==> Installing crm_facilitator_network on a fresh database '$DB'" >&2
dropdb --if-exists "$DB"
odoo -d "$DB" -i crm_facilitator_network --stop-after-init --no-http --log-level=warn >/dev/null
cfg="$(mktemp -t cfn-bench.XXXXXX.conf)"
printf '[options]\naddons_path = %s\nhttp_port = %s\nlog_level = warn\n' "$ADDONS_PATH" "$PORT" >"$cfg"
cd "${ADDONS_PATH##*,}"
pytest -p no:cacheprovider -s -q --odoo-database="$DB" --odoo-config="$cfg" --odoo-http \
    -o python_files='bench_*.py' crm_facilitator_network/benchmarks
echo "==> Figures written to $BENCH_JSON" >&2
