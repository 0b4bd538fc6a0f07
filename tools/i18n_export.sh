#!/usr/bin/env bash
# Regenerate the translation template and bring the French catalogue up to date:
#   1. install the addon (no demo data) on a throwaway database;
#   2. export its terms, the way Odoo does, into i18n/crm_facilitator_network.pot
#      (`odoo-bin i18n export`, Odoo 19's replacement for --i18n-export);
#   3. merge the template into i18n/fr.po with msgmerge, keeping every existing
#      translation; new terms come in untranslated (never fuzzy-matched).
# Then translate the new terms (`msgattrib --untranslated i18n/fr.po` lists
# them) and run `make test ARGS="-k i18n"`, which fails on any missing one.
# Usage: bash tools/i18n_export.sh   (I18N_DB=... to name the database)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odoo.sh"
DB="${I18N_DB:-cfn_i18n}"
MODULE=crm_facilitator_network
i18n="$here/i18n"
pot="$i18n/$MODULE.pot"
po="$i18n/fr.po"
log="$(mktemp -t cfn-i18n.XXXXXX.log)"

fail() {
    cat "$log" >&2
    echo "ERROR: $1 (log above: $log)" >&2
    exit 1
}
for tool in msgmerge msgfmt msgattrib; do
    command -v "$tool" >/dev/null || { echo "ERROR: $tool is missing: apt-get install gettext" >&2; exit 1; }
done

echo "==> Installing $MODULE on a throwaway database '$DB'" >&2
dropdb --if-exists "$DB"
odoo -d "$DB" -i "$MODULE" --stop-after-init --no-http --log-level=warn \
    >"$log" 2>&1 || fail "installing failed"
if grep -qE " (ERROR|CRITICAL) " "$log"; then
    fail "installing logged errors"
fi

echo "==> Exporting the terms into ${pot#"$here"/}" >&2
mkdir -p "$i18n"
odoo i18n export -d "$DB" -l pot -o "$pot" "$MODULE" >"$log" 2>&1 \
    || fail "exporting failed"
[ -s "$pot" ] || fail "the export wrote no template"

echo "==> Merging it into ${po#"$here"/}" >&2
if [ -f "$po" ]; then
    msgmerge --quiet --no-fuzzy-matching --update --backup=none "$po" "$pot"
    # Terms that left the addon are dropped, not kept as obsolete (#~) entries.
    msgattrib --no-obsolete --output-file="$po" "$po"
else
    msginit --no-translator --locale=fr --input="$pot" --output-file="$po"
fi
msgfmt --check --output-file=/dev/null "$po"

dropdb --if-exists "$DB"
# e.g. "380 translated messages, 12 untranslated messages."
echo "==> ${po#"$here"/}: $(LC_ALL=C msgfmt --statistics --output-file=/dev/null "$po" 2>&1)" >&2
