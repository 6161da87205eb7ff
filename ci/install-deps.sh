#!/usr/bin/env bash
# Installs the Debian 12 packages redproof builds and runs with. Idempotent: packages already
# present are left alone, and apt-get update runs only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost1.81-dev          # not libboost-dev: 1.74 lacks the awaitable operators coroutines need
  libhiredis-dev            # RESP reader and command formatter only; sockets are ours (Asio)
  libssl-dev                # TLS to --target servers (Boost.Asio's ssl::stream over OpenSSL)
  nlohmann-json3-dev libsimdjson-dev
  libsqlite3-dev            # the cache workloads' backing database
  libgtest-dev libgmock-dev libcli11-dev libfmt-dev
  redis-server redis-tools redis-sentinel
  iptables iproute2 procps
  ninja-build               # the sanitizer and fuzzing builds (ci/sanitizers.sh, ci/fuzz.sh)
  clang-14 libclang-rt-14-dev  # libFuzzer and the ASan+UBSan build (fuzz/, build-asan)
)

# Optional: a headless browser for the report test (tests/integration/results), which renders
# report.html and suite.html and fails on console errors. Where it cannot be installed, the rest
# still works and that test skips, saying why.
optional=(chromium)

is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for p in "${packages[@]}"; do is_installed "$p" || missing+=("$p"); done
missing_optional=()
for p in "${optional[@]}"; do is_installed "$p" || missing_optional+=("$p"); done

if [ ${#missing[@]} -eq 0 ] && [ ${#missing_optional[@]} -eq 0 ]; then
  echo "install-deps: all $(( ${#packages[@]} + ${#optional[@]} )) packages already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
  elif [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: optional ${missing_optional[*]} missing and not root (the browser test will skip); run as root to add it: sudo $0" >&2
    exit 0
  else
    echo "install-deps: missing packages (${missing[*]}) and not root; run as root: sudo $0" >&2
    exit 2
  fi
else
  SUDO=""
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ${#missing_optional[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing_optional[*]} (optional: the headless browser test)"
  if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing_optional[@]}" >/dev/null; then
    echo "install-deps: could not install ${missing_optional[*]}; the browser test will skip" >&2
  fi
fi
# The Debian package starts a system redis-server on 6379; redproof starts its own on free ports
# and must not depend on (or collide with) that one.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  $SUDO systemctl stop redis-server || true
fi
echo "install-deps: done"
