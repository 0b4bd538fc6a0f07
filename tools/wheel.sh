#!/usr/bin/env bash
# `make wheel`: build the OCA-style wheel (odoo-addon-crm_facilitator_network)
# with whool into dist/. whool names the wheel after the folder it builds, so
# the committed tree is exported into a folder named crm_facilitator_network.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(mktemp -d -t cfn-wheel.XXXXXX)"
trap 'rm -rf "$build"' EXIT
mkdir "$build/crm_facilitator_network"
git -C "$here" archive HEAD | tar -x -C "$build/crm_facilitator_network"
# whool reads the version and the history from git: give the export its own.
git -C "$build/crm_facilitator_network" init -q
git -C "$build/crm_facilitator_network" add -A
git -C "$build/crm_facilitator_network" -c user.name=build -c user.email=build@localhost \
    commit -qm "crm_facilitator_network $(git -C "$here" rev-parse --short HEAD)"
python3 -m pip wheel -q --no-deps -w "$here/dist" "$build/crm_facilitator_network"
ls "$here"/dist/odoo_addon_crm_facilitator_network-*.whl
