#!/usr/bin/env bash
# Installs the Debian 12 packages redproof builds and runs with. Idempotent: packages already
# present are left alone, and apt-get update runs only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost1.81-dev          # not libboost-dev: 1.74 lacks the awaitable operators coroutines need
  libhiredis-dev            # RESP reader and command formatter only; sockets are ours (Asio)
  nlohmann-json3-dev libsimdjson-dev
  libsqlite3-dev            # the cache workloads' backing database
  libgtest-dev libgmock-dev libcli11-dev libfmt-dev
  redis-server redis-tools redis-sentinel
  iptables iproute2 procps
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
  else
    echo "install-deps: missing packages (${missing[*]}) and not root; run as root: sudo $0" >&2
    exit 2
  fi
else
  SUDO=""
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The Debian package starts a system redis-server on 6379; redproof starts its own on free ports
# and must not depend on (or collide with) that one.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  $SUDO systemctl stop redis-server || true
fi
echo "install-deps: done"
