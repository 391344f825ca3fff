# SPDX-License-Identifier: BSD-2-Clause
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
# busybox init sets HOME=/; ssh(1) wants root's, /root.
export HOME=/root
export PS1='micemu-host# '
# micemu.demo on the kernel command line: run the demo once, at login.
if grep -qw micemu.demo /proc/cmdline && [ ! -e /run/micemu.demo ]; then
	: >/run/micemu.demo
	/etc/micemu/demo
fi
