#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Install what the tree needs to build and test.  Idempotent: when every
# package is present it does nothing (no apt-get update, no network).
set -eu

PKGS="bmake musl-tools linux-headers-amd64 linux-image-amd64 linux-source-6.1
qemu-system-x86 busybox-static kyua atf-sh libatf-dev mandoc sparse clang
libclang-rt-14-dev gcc make file xz-utils cpio kmod dropbear-bin e2fsprogs"

missing=""
for p in $PKGS; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$s" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
if [ -z "$missing" ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root)" >&2
	exit 1
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
