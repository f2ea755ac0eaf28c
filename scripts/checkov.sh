#!/usr/bin/env bash
# Run checkov's CloudFormation checks on fargo templates, offline, from checkov's own venv.
#
# Usage: scripts/checkov.sh [TEMPLATE_FILE...] [-- CHECKOV_OPTION...]
#   With no file, the default template (`fargo synth`, eu-west-1, a placeholder certificate)
#   is synthesized into a temporary file. Options after `--` go to checkov, e.g. `-- -o json`.
#   To check your own settings: fargo synth -o template.json && scripts/checkov.sh template.json
#
# checkov pins many dependencies, so it never goes into the project's virtual environment: it
# lives in ${FARGO_CHECKOV_VENV:-$HOME/.cache/fargo/checkov-venv}, built on first use (about a
# minute, from the package registry). After that it runs without any network access:
# BC_SKIP_MAPPING and --skip-download keep it from fetching Prisma Cloud's check mappings,
# CKV_SKIP_PACKAGE_UPDATE_CHECK from asking PyPI for a newer checkov, and no Prisma Cloud API
# key or URL is passed on to it.
#
# Exit code: checkov's (0 when no check failed, 1 when one did); 2 for a usage error.
set -euo pipefail

CHECKOV_VERSION=3.3.30
DEFAULT_REGION=eu-west-1
DEFAULT_CERTIFICATE=arn:aws:acm:eu-west-1:123456789012:certificate/ID

venv=${FARGO_CHECKOV_VENV:-$HOME/.cache/fargo/checkov-venv}
ready_marker=$venv/.fargo-checkov-$CHECKOV_VERSION

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
}

fail_usage() {
    echo "error: $1" >&2
    echo "usage: scripts/checkov.sh [TEMPLATE_FILE...] [-- CHECKOV_OPTION...]" >&2
    exit 2
}

templates=()
checkov_options=()
while (($#)); do
    case $1 in
        --) shift; checkov_options=("$@"); break ;;
        -h | --help) usage; exit 0 ;;
        -*) fail_usage "unknown option $1: put checkov's options after --" ;;
        *)
            [[ -f $1 ]] || fail_usage "template file $1 does not exist"
            templates+=("$1")
            shift
            ;;
    esac
done

# Build (or finish building) checkov's venv; the marker is written only after a full install,
# and a lock keeps two concurrent first runs from installing into the same venv at once.
ensure_checkov() {
    [[ -f $ready_marker && -x $venv/bin/checkov ]] && return
    mkdir -p "$(dirname "$venv")"
    if command -v flock >/dev/null; then
        exec 9>"$venv.lock"
        flock 9
        [[ -f $ready_marker && -x $venv/bin/checkov ]] && return
    fi
    echo "building checkov $CHECKOV_VERSION in $venv (first run only, about a minute)" >&2
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -qq --disable-pip-version-check \
        "checkov==$CHECKOV_VERSION" >&2
    touch "$ready_marker"
}

# The default template: no fargo.toml (an empty working directory) and no FARGO_* variables,
# so it is the defaults and nothing else.
synthesize_default() {
    command -v fargo >/dev/null ||
        fail_usage "fargo is not on PATH: activate the project's virtual environment, or pass a template file"
    workdir=$(mktemp -d)
    trap 'rm -rf "$workdir"' EXIT
    (
        cd "$workdir"
        while read -r name; do unset "$name"; done < <(compgen -e | grep '^FARGO_' || true)
        fargo synth --region "$DEFAULT_REGION" --certificate-arn "$DEFAULT_CERTIFICATE" \
            -o "$workdir/template.json"
    )
    templates=("$workdir/template.json")
}

ensure_checkov
((${#templates[@]})) || synthesize_default

unset BC_API_KEY BC_API_URL PRISMA_API_URL BC_REPO_ID
export BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE

"$venv/bin/checkov" -f "${templates[@]}" --framework cloudformation --quiet --compact \
    --skip-download "${checkov_options[@]}"
