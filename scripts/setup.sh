#!/usr/bin/env bash
# Installs the Debian 12 packages pgconflint needs and builds it into build/.
# Usage: bash scripts/setup.sh [--deps-only]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config python3
  tao-pegtl-dev libssl-dev openssl libfmt-dev libcli11-dev nlohmann-json3-dev
  libtomlplusplus-dev libexpected-dev libldap-dev libgtest-dev libgmock-dev libbenchmark-dev
  postgresql-15 pre-commit python3-jsonschema python3-cryptography git npm zsh man-db
  clang libclang-rt-14-dev clang-format clang-tidy
)

missing=()
for p in "${packages[@]}"; do
  # An npm that came with another Node.js build (e.g. a nodejs package that bundles it) serves
  # as well; Debian's npm package conflicts with those.
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then
    continue
  fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# Git does not keep file modes: the sample private keys must be private, as the server
# requires (PostgreSQL's own test suite does the same).
chmod 600 samples/*/*.key samples/*/*/*.key 2>/dev/null || true

# One server build per major 12-18 for the differential tests (cached, checksums pinned).
bash scripts/test-servers.sh >/dev/null

[ "${1:-}" = "--deps-only" ] && exit 0

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target pgconflint -j"$(nproc)"
