#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# The main job: a virtual host with a virtual X100 card under micemu(8).
set -eu
cd "$(dirname "$0")/.."

if [ ! -x usr.sbin/micemu/micemu ]; then
	cat <<'MSG'
demo: the tree is built: micctl(8) and libmic, the uapi headers, the
demo: mic_host and mic_card module skeletons and the test suite.
demo: The virtual X100 (micemu) is not in the tree yet: once it is, this
demo: command boots a virtual host with a virtual card, shows the card
demo: online, and reaches its console, network and disk.
MSG
	exit 0
fi
exec usr.sbin/micemu/micemu "$@"
