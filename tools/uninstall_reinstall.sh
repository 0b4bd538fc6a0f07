#!/usr/bin/env bash
# Uninstall and reinstall the addon on a database that holds its data (issue 6):
#   1. a fresh database with the addon and its demo data (requests,
#      facilitators, applications, teams, sessions, declarations...);
#   2. uninstall it (button_immediate_uninstall, through `odoo shell`);
#   3. install it again.
# Fails when any step fails or logs an ERROR / CRITICAL line.
# Usage: bash tools/uninstall_reinstall.sh   (UNINSTALL_DB=... to name the database)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odoo.sh"
DB="${UNINSTALL_DB:-cfn_uninstall}"
MODULE=crm_facilitator_network
log="$(mktemp -t cfn-uninstall.XXXXXX.log)"

fail() {
    cat "$log" >&2
    echo "ERROR: $1 (log above: $log)" >&2
    exit 1
}
check_log() {
    if grep -qE " (ERROR|CRITICAL) " "$log"; then
        fail "$1 logged errors"
    fi
}

echo "==> Installing $MODULE with its demo data on a fresh database '$DB'" >&2
dropdb --if-exists "$DB"
odoo -d "$DB" -i "$MODULE" --with-demo --stop-after-init --no-http --log-level=warn \
    >"$log" 2>&1 || fail "installing failed"
check_log "installing"

echo "==> Uninstalling it (with its data in the database)" >&2
: >"$log"
odoo shell -d "$DB" --no-http --log-level=warn >>"$log" 2>&1 <<PY || fail "uninstalling failed"
module = env["ir.module.module"].search([("name", "=", "$MODULE")])
leads = env["crm.lead"].with_context(active_test=False).search_count([])
applications = env["facilitator.application"].search_count([])
assert module.state == "installed", module.state
assert applications, "the demo data should hold applications"
print(f"before: {leads} leads, {applications} applications")
module.button_immediate_uninstall()
env.cr.commit()
module = env["ir.module.module"].search([("name", "=", "$MODULE")])
assert module.state == "uninstalled", module.state
assert "facilitator.application" not in env.registry, "its models are gone"
print("uninstalled")
PY
grep -q "^uninstalled" "$log" || fail "the module is still installed"
# Odoo deletes the addon's records one batch at a time and keeps those that
# are still referenced (the bills and invoices of the demo data point to
# facilitators, products, sessions and declarations): PostgreSQL refuses the
# DELETE, Odoo catches it, keeps the record, and its cursor logs the refused
# query as an ERROR. Those are expected (accounting entries are never deleted
# by an uninstall); any other ERROR fails. STRICT_UNINSTALL=1 fails on them too.
kept="$(grep -cE "odoo.sql_db: bad query: b'DELETE FROM" "$log" || true)"
if [ "${STRICT_UNINSTALL:-0}" != 1 ]; then
    others="$(grep -E " (ERROR|CRITICAL) " "$log" | grep -vE "odoo.sql_db: bad query: b'DELETE FROM" || true)"
    if [ -n "$others" ] || grep -E "^(ERROR|DETAIL):" "$log" | grep -vqE "violates foreign key constraint|is still referenced from table"; then
        fail "uninstalling logged errors"
    fi
    [ "$kept" = 0 ] || echo "    ($kept DELETE refused by a foreign key: records still referenced by accounting entries were kept)" >&2
else
    check_log "uninstalling"
fi

echo "==> Installing it again" >&2
: >"$log"
odoo -d "$DB" -i "$MODULE" --with-demo --stop-after-init --no-http --log-level=warn \
    >"$log" 2>&1 || fail "reinstalling failed"
check_log "reinstalling"
odoo shell -d "$DB" --no-http --log-level=warn >>"$log" 2>&1 <<PY || fail "checking failed"
module = env["ir.module.module"].search([("name", "=", "$MODULE")])
assert module.state == "installed", module.state
print("reinstalled:", env["facilitator.application"].search_count([]), "applications")
PY
grep -q "^reinstalled" "$log" || fail "the module is not installed again"
check_log "checking"
dropdb --if-exists "$DB"
echo "==> Uninstall and reinstall: no error" >&2
