#!/usr/bin/env bash
# `make run`: create (or reuse) the demo database and serve it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odoo.sh"
DB="${RUN_DB:-cfn_demo}"
PORT="${HTTP_PORT:-8069}"
if ! psql -lqt | cut -d'|' -f1 | grep -qw "$DB"; then
    echo "==> Creating the demo database '$DB' (about 3 minutes)" >&2
    odoo -d "$DB" -i crm_facilitator_network --with-demo --stop-after-init --no-http --log-level=warn
else
    echo "==> Updating the addon in the demo database '$DB'" >&2
    odoo -d "$DB" -u crm_facilitator_network --stop-after-init --no-http --log-level=warn
fi
cat <<LOGINS

  crm_facilitator_network is served on http://localhost:$PORT  (database: $DB)

  Logins (password = login):
    admin           OP manager and accountant (backend)
    demo            internal user
    facilitator1    facilitator, green belt (portal): applies, declares fees
    facilitator2    facilitator, blue belt (portal): a selected coordinator
    facilitator3    facilitator, yellow belt (portal): below the required level
    portal          portal user who is not a facilitator
    intake-api      Incoming Request API user (XML-RPC / JSON-RPC)
  Public request form: http://localhost:$PORT/workshop-request
  Facilitator space:   http://localhost:$PORT/my

LOGINS
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" -d "$DB" \
    --db-filter="^$DB\$" --http-port="$PORT"
