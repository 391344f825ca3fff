# SPDX-License-Identifier: BSD-2-Clause
#
# micd's card processes in their sandbox, under micemu: each runs as the
# user of micd.conf, chrooted to /run/micd/empty, with no_new_privs and a
# seccomp filter, and still serves the card's console (and its log), its
# network and its disks, a disk added by SIGHUP too (the parent opens it
# and passes it over).  With micd -x, SIGUSR1 makes a card process issue
# a system call its filter forbids: the process dies, micd logs the call's
# number and starts it again, and the card sees its devices go and come
# back, the console and the disk working again.

VMIC_TOOLS=
. "$(atf_get_srcdir)/../vmic.subr"
. "$(atf_get_srcdir)/virtio.subr"

# The host script's helpers: cardprocs prints the pids of micd's card
# processes; sandboxed pid uid checks one; card_helpers defines the card
# shell's (waitdev path: until the device file is there); sandbox_up
# [option ...] starts micd (as _micd, mic0 with the disk /tmp/d0.img) and
# logs in on mic0.
SANDBOX_PRELUDE='
cardprocs() {
	for s in /proc/[0-9]*/status; do
		grep -q "^PPid:[[:space:]]*$micd\$" "$s" 2>/dev/null || continue
		p=${s#/proc/}
		echo "${p%/status}"
	done
}
sandboxed() {
	t=$(printf "\t")
	st=$(cat /proc/$1/status) || fail "card process $1 is gone"
	echo "$st" | grep -qx "Uid:$t$2$t$2$t$2$t$2" ||
	    fail "card process $1 does not run as $2: $(echo "$st" | grep Uid)"
	echo "$st" | grep -qx "Seccomp:${t}2" ||
	    fail "card process $1: no seccomp filter: $(echo "$st" | grep Seccomp)"
	echo "$st" | grep -qx "NoNewPrivs:${t}1" ||
	    fail "card process $1: no no_new_privs"
	r=$(readlink /proc/$1/root)
	[ "$r" = /run/micd/empty ] || fail "card process $1: root is $r"
	[ -z "$(ls -A /run/micd/empty)" ] || fail "/run/micd/empty is not empty"
}
card_helpers() {
	con_do "waitdev() { n=0; while [ ! -e \$1 ] && [ \$n -lt 120 ]; do sleep 1; n=\$((n + 1)); done; [ -e \$1 ]; }"
}
sandbox_up() {
	dd if=/dev/zero of=/tmp/d0.img bs=1M count=16 2>/dev/null
	printf "user _micd\ndefault {\n\tboot on start yes\n}\ncard mic0 {\n\tdisk \"/tmp/d0.img\"\n}\n" >/tmp/sandbox.conf
	micd_start "$@" </tmp/sandbox.conf
	waitstate mic0 online
	con_open mic0
	con_login
	card_helpers
	uid=$(id -u _micd) || fail "no user _micd in the host image"
}
'

sandbox_script()
{
	{
		echo "$SANDBOX_PRELUDE"
		cat
	} | virtio_script
}

vmic_case sandbox "each card process runs as _micd, chrooted to an" \
    "empty directory, with seccomp and no_new_privs; the console, its log," \
    "the network and the disk work, and a disk added by SIGHUP too"
sandbox_body()
{
	sandbox_script <<'EOF2'
sandbox_up
kids=$(cardprocs)
[ -n "$kids" ] || fail "no card process"
for k in $kids; do
	sandboxed $k $uid
done
echo "sandbox: $(echo $kids | wc -w) card process(es) as _micd in /run/micd/empty, seccomp 2, no_new_privs 1"
con_run 'echo con-$((6 * 7))' "con-42"
waitfor 60 grep -q con-42 /var/log/micd/mic0.console ||
    fail "console log: no con-42"
echo "sandbox: the console and its log work"
waitfor 300 ping -c 1 -W 1 172.31.1.1 >/dev/null ||
    fail "no answer from the card: $(ip addr show mic0)"
echo "sandbox: the network works"
con_do 'waitdev /sys/block/vda && echo disk-zero-marker | dd of=/dev/vda bs=512 count=1 conv=sync,fsync 2>/dev/null && dd if=/dev/vda bs=512 count=1 iflag=direct 2>/dev/null | head -c 16; echo' 300
con_new "^disk-zero-marker" || fail "vda: $(tail -c 300 /tmp/mic0.out)"
[ "$(head -c 16 /tmp/d0.img)" = disk-zero-marker ] ||
    fail "the image does not have what the card wrote"
echo "sandbox: the disk works"
dd if=/dev/zero of=/tmp/d1.img bs=1M count=8 2>/dev/null
printf "disk-one-marker" | dd of=/tmp/d1.img conv=notrunc 2>/dev/null
printf "user _micd\ndefault {\n\tboot on start yes\n}\ncard mic0 {\n\tdisk \"/tmp/d0.img\"\n\tdisk \"/tmp/d1.img\" readonly\n}\n" >/etc/micd.conf
kill -HUP $micd
micd_log 'mic0: disk1: "/tmp/d1.img"'
con_do 'waitdev /sys/block/vdb && dd if=/dev/vdb bs=512 count=1 iflag=direct 2>/dev/null | head -c 15; echo' 300
con_new "^disk-one-marker" || fail "vdb: $(tail -c 300 /tmp/mic0.out)"
echo "sandbox: a disk added by SIGHUP works"
[ "$(cardprocs)" = "$kids" ] || fail "the card processes changed"
for k in $kids; do
	sandboxed $k $uid
done
grep "killed\|exited" /tmp/micd.log && fail "a card process ended"
micd_stop
echo "sandbox: micd exited"
EOF2
	vmic_run
	vmic_check "^sandbox: 1 card process(es) as _micd" \
	    "^sandbox: the console and its log work$" \
	    "^sandbox: the network works$" "^sandbox: the disk works$" \
	    "^sandbox: a disk added by SIGHUP works$" "^sandbox: micd exited$"
}

vmic_case seccomp "micd -x: SIGUSR1 makes the card process call socket(2);" \
    "seccomp kills it, micd logs the call's number and starts it again;" \
    "the card sees its devices go and come back, console and disk working"
seccomp_body()
{
	sandbox_script <<'EOF2'
sandbox_up -x
con_do 'waitdev /sys/block/vda && echo before-the-kill | dd of=/dev/vda bs=512 count=1 conv=sync,fsync 2>/dev/null; echo written' 300
old=$(cardprocs)
[ -n "$old" ] || fail "no card process"
sandboxed $old $uid
kill -USR1 $old
micd_log "mic0: card process killed by seccomp: system call 41"
echo "seccomp: $(grep -o "mic0: card process killed by seccomp: .*" /tmp/micd.log)"
micd_log "mic0: card process starts again"
newproc() {
	new=$(cardprocs)
	[ -n "$new" ] && [ "$new" != "$old" ]
}
waitfor 300 newproc || fail "no new card process"
micd_log "mic0: console: device added" 300 2
micd_log 'mic0: disk0: "/tmp/d0.img"' 300 2
sandboxed $new $uid
echo "seccomp: a new card process, sandboxed"
con_login
card_helpers
con_run 'echo back-$((6 * 7))' "back-42"
echo "seccomp: the console is back"
con_do 'waitdev /sys/block/vda && dd if=/dev/vda bs=512 count=1 iflag=direct 2>/dev/null | head -c 15; echo' 300
con_new "^before-the-kill" || fail "vda: $(tail -c 300 /tmp/mic0.out)"
echo "seccomp: the disk is back"
micctl log mic0 >/tmp/log || fail "micctl log"
echo "card: $(grep -c "virtio: virtio[0-9]*: removing it" /tmp/log) removed," \
    "$(grep -c "virtio: virtio[0-9]*: type 2," /tmp/log) disks added," \
    "$(grep -c "virtio: virtio[0-9]*: type 3," /tmp/log) consoles added"
expect mic0 state online
micd_stop
EOF2
	vmic_run
	vmic_check \
	    "^seccomp: mic0: card process killed by seccomp: system call 41$" \
	    "^seccomp: a new card process, sandboxed$" \
	    "^seccomp: the console is back$" "^seccomp: the disk is back$" \
	    "^card: [3-9] removed, 2 disks added, 2 consoles added$"
}

atf_init_test_cases()
{
	atf_add_test_case sandbox
	atf_add_test_case seccomp
}
