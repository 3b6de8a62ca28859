#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine (run as root, or with sudo available)
# and runs every test of the workspace. `.ci/run` calls this same script.
set -euo pipefail
cd "$(dirname "$0")/.."

# Toolchain components used by the checks.
for c in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
done

# System packages: linuxptp (Debian's ptp4l, the interop peer) and iproute2 (`ip netns`, veth
# pairs) for the interop tests (crates/ptp-tools/tests/interop.rs, run as root), and util-linux
# (`unshare`, private mount namespaces) for crates/ptp-tools/tests/system.rs. Kept as the one
# place to install them.
APT_PACKAGES=(linuxptp iproute2 util-linux)
if [ "${#APT_PACKAGES[@]}" -gt 0 ]; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
  fi
fi

# The golden tests read ../shared (captures, reference tables, configs).
if [ -z "${PTP_RS_SHARED:-}" ] && [ ! -d ../shared/pcaps ]; then
  echo "scripts/test.sh: ../shared/pcaps not found beside the checkout; set PTP_RS_SHARED" >&2
  exit 1
fi

# Every unit, property, golden and doc test; benchmarks are compiled (not timed).
cargo test --workspace --all-targets
cargo test --workspace --doc
