#!/usr/bin/env bash
# install-deps.sh: install the Debian packages hvsim needs, only those missing.
# clang and libclang-rt-14-dev (libclang_rt.fuzzer) serve `make fuzz` only;
# python3-jsonschema and python3-yaml serve tests/schema-check.py and tests/ci-recipes.py.
# Uses sudo when not root. Runs 'apt-get update' once, and only when something is missing.
set -euo pipefail

PACKAGES=(
  build-essential pkg-config
  libunicorn-dev libcjson-dev libcunit1-dev libcapstone-dev libpcre2-dev libelf-dev
  gcc-aarch64-linux-gnu gdb-multiarch libxml2-utils
  gcovr python3 man-db groff-base
  python3-jsonschema python3-yaml
  clang libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "deps: missing packages: ${missing[*]}" >&2
    echo "deps: not root and no sudo; install them by hand: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "deps: apt-get not found; this script supports Debian and derivatives." >&2
  echo "deps: install by hand: ${missing[*]}" >&2
  exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -q; then
  echo "deps: 'apt-get update' failed (no network to the Debian mirror?)" >&2
  exit 1
fi
if ! $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  echo "deps: 'apt-get install ${missing[*]}' failed" >&2
  exit 1
fi
echo "deps: done"
