#!/bin/sh
# Install the Debian packages flowc needs, when they are missing.
# Runs apt-get only if something is absent; as root, or through sudo.
set -e
PKGS="gcc make pkg-config libyaml-dev libjansson-dev libcmocka-dev
libclang-14-dev clang-14 libclang-rt-14-dev mandoc graphviz parallel valgrind strace python3
libseccomp-dev libsqlite3-dev libarchive-dev liblzma-dev libbz2-dev zlib1g-dev git
python3-dask python3-distributed python3-jsonschema
verilator iverilog yosys nextpnr-ice40 fpga-icestorm"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y --no-install-recommends $missing; then
	$SUDO apt-get update
	$SUDO apt-get install -y --no-install-recommends $missing
fi
