#!/usr/bin/env bash
# Prepare this machine to run or test the addon: system packages, PostgreSQL,
# Odoo 19.0 source, and a virtualenv. Every step is skipped when already done.
# Prints the shell variables the other tools/ scripts need.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-$HOME/.cache/odoo/19.0}"
ODOO_REPO="${ODOO_REPO:-https://github.com/odoo/odoo.git}"
CACHE="${CFN_CACHE:-$HOME/.cache/crm_facilitator_network}"
VENV="${VENV:-$CACHE/venv}"
PYTHON="${PYTHON:-python3}"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- 1. Odoo source -----------------------------------------------------------
if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
    say "No Odoo source in $ODOO_SRC: cloning the official 19.0 branch"
    mkdir -p "$(dirname "$ODOO_SRC")"
    if ! git clone --depth 1 --branch 19.0 "$ODOO_REPO" "$ODOO_SRC" >&2; then
        rm -rf "$ODOO_SRC"
        die "Odoo 19.0 source is missing. Set ODOO_SRC to an Odoo 19.0 tree (one holding odoo-bin), or let this machine reach $ODOO_REPO."
    fi
fi
grep -q "^version_info = (19, 0" "$ODOO_SRC/odoo/release.py" \
    || die "$ODOO_SRC is not Odoo 19.0 (see $ODOO_SRC/odoo/release.py)."

# --- 2. System packages -------------------------------------------------------
packages=(postgresql postgresql-client chromium wkhtmltopdf libpq-dev libldap2-dev
          libsasl2-dev libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev build-essential
          python3-dev python3-venv fonts-dejavu-core poppler-utils)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    say "Installing system packages: ${missing[*]}"
    sudo_ apt-get update -qq >&2
    sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

# --- 3. PostgreSQL, with a role named after this user (Odoo refuses 'postgres') -
if ! pg_isready -q 2>/dev/null; then
    say "Starting PostgreSQL"
    read -r pg_version pg_cluster _ < <(pg_lsclusters --no-header | head -n 1)
    sudo_ pg_ctlcluster "$pg_version" "$pg_cluster" start >&2
    for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
    pg_isready -q || die "PostgreSQL did not start (pg_lsclusters tells why)."
fi
DB_USER="$(id -un)"
[ "$DB_USER" != postgres ] || die "Run as another user than 'postgres': Odoo refuses that role."
if ! psql -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
    say "Creating PostgreSQL role $DB_USER"
    if [ "$(id -u)" = 0 ]; then
        su postgres -c "createuser --superuser '$DB_USER'" >&2
    else
        sudo -u postgres createuser --superuser "$DB_USER" >&2
    fi
fi

# --- 4. Virtualenv with Odoo's requirements and the addon's -------------------
stamp="$VENV/.cfn-requirements"
wanted="$(cat "$ODOO_SRC/requirements.txt" "$here/tools/requirements-dev.txt" | sha1sum | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    say "Preparing the virtualenv $VENV (about 2 minutes the first time)"
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV" >&2
    "$VENV/bin/pip" install -q --upgrade pip wheel "setuptools<81" >&2
    "$VENV/bin/pip" install -q -r "$ODOO_SRC/requirements.txt" >&2
    "$VENV/bin/pip" install -q -r "$here/tools/requirements-dev.txt" >&2
    echo "$wanted" > "$stamp"
fi
# Odoo is imported from its source tree, never copied into the venv.
site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$ODOO_SRC" > "$site/odoo-src.pth"
"$VENV/bin/python" -c "import websocket" 2>/dev/null \
    || die "websocket-client is missing from $VENV: Odoo would silently skip every tour."

# --- 5. An addons folder where this checkout is named crm_facilitator_network --
links="$CACHE/addons/$(printf '%s' "$here" | sha1sum | cut -c1-12)"
mkdir -p "$links"
ln -sfn "$here" "$links/crm_facilitator_network"

cat <<VARS
ODOO_SRC='$ODOO_SRC'
VENV='$VENV'
ADDONS_PATH='$ODOO_SRC/addons,$links'
DB_USER='$DB_USER'
CACHE_DIR='$CACHE'
VARS
