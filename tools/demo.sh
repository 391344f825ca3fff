#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# The main job: a virtual host with a virtual X100 card under micemu(8).
# The host guest loads mic_host.ko, boots the card (a second guest, with
# mic_card.ko) through the real driver and micctl(8), and shows it online
# with its kernel log.  With a terminal, the host guest's shell is left
# on it afterwards (Ctrl-a x or `poweroff' ends it); without one, micemu
# exits with the demo's status.
set -eu
cd "$(dirname "$0")/.."

micemu=usr.sbin/micemu/micemu
if [ ! -x "$micemu" ]; then
	echo "demo: $micemu is not built: run bmake -f BSDmakefile" >&2
	exit 1
fi
if [ -t 0 ] && [ -t 1 ]; then
	MICEMU_APPEND="${MICEMU_APPEND:-} micemu.demo" exec "$micemu" "$@"
fi
exec "$micemu" -s share/micemu/host.demo "$@"
