#!/bin/sh
# Starts one autocirc process: AUTOCIRC_SERVICE (identity, filing, catalog, transactions,
# reports, media-sync, portal or gateway) chooses `uvicorn --factory autocirc_<service>.main:create_app`
# (media-sync -> autocirc_media_sync). With arguments, runs them instead (one-off commands such as
# `python -m autocirc_media_sync.redrive`).
set -eu

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

service="${AUTOCIRC_SERVICE:-gateway}"
case "$service" in
    identity|filing|catalog|transactions|reports|media-sync|portal|gateway) ;;
    *)
        echo "autocirc: unknown AUTOCIRC_SERVICE '$service'" >&2
        exit 64
        ;;
esac

target="autocirc_$(printf '%s' "$service" | tr '-' '_').main:create_app"
exec python -m uvicorn --factory "$target" \
    --host 0.0.0.0 --port "${PORT:-8000}" \
    --no-access-log --timeout-graceful-shutdown 10
