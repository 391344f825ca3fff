# SPDX-License-Identifier: BSD-2-Clause
#
# Virtio over the virtual X100, end to end: micd(8) serves the card's
# console, micconsole(8) attaches to it, Linux's own virtio_console (and
# virtio_blk, for a device viotest adds) binds to mic_card.ko's transport
# on the card.  Each case is one micemu run (vmic.subr): the host script
# drives the card through its console and prints what it saw; the case
# checks the lines and that no kernel log has a WARNING, BUG or Oops.

VMIC_TOOLS="viotest ../card/card-hostile.img"
. "$(atf_get_srcdir)/../vmic.subr"
. "$(atf_get_srcdir)/virtio.subr"

vmic_case console "micd serves the console: through micconsole, log in" \
    "on the card, run a command, read its output; the console log has it"
console_body()
{
	virtio_script <<'EOF'
micd_up mic0
micd_log "mic0: console: device added"
con_run 'echo con-$((6 * 7))' "con-42"
echo "console: command ran"
grep -q "con-42" /var/log/micd/mic0.console ||
    fail "console log: no con-42: $(tail -c 300 /var/log/micd/mic0.console)"
echo "console log: has it"
micd_stop
echo "micd: exited"
EOF
	vmic_run
	vmic_check "^console: command ran$" "^console log: has it$" \
	    "^micd: exited$"
}

vmic_case -t 1800 reboot "the card reboots itself: micd resets and boots it," \
    "the console comes back to the micconsole still attached"
reboot_body()
{
	virtio_script <<'EOF'
micd_up mic0
con_run 'echo before-$((6 * 7))' "before-42"
con_send "reboot"
micd_log "mic0: reset after restart, will boot"
echo "card: restart"
micd_log "mic0: state online" 300 2
kill -0 $con || fail "micconsole is gone: $(cat /tmp/mic0.err)"
con_login
con_run 'echo after-$((6 * 7))' "after-42"
kill -0 $con || fail "micconsole is gone: $(cat /tmp/mic0.err)"
echo "console: back after the reboot"
micd_stop
EOF
	vmic_run
	vmic_check "^card: restart$" "^console: back after the reboot$"
}

vmic_case -t 1800 hung "a card that hangs (its guest frozen) is lost after" \
    "heartbeat_timeout: micd resets it and, with reboot on crash, boots it" \
    "again; the console answers"
hung_body()
{
	virtio_script <<'EOF'
echo 5 >$S/mic0/heartbeat_timeout || fail "heartbeat_timeout"
printf "default {\n\tboot on start yes\n\treboot on crash yes\n}\n" \
    >/tmp/hung.conf
micd_start </tmp/hung.conf
waitstate mic0 online
con_open mic0
con_login
con_run 'echo before-$((6 * 7))' "before-42"
handshake freeze
micd_log "mic0: reset after lost, will boot"
echo "micd: reset after lost"
micd_log "mic0: state online" 300 2
con_login
con_run 'echo after-$((6 * 7))' "after-42"
echo "console: back after the hang"
micd_stop
EOF
	vmic_run_frozen mic0
	vmic_check "^micd: reset after lost$" "^console: back after the hang$"
}

vmic_case micd_kill "micd killed with SIGKILL while the card writes to" \
    "its console: the card sees the console go, and come back when micd" \
    "is started again, and keeps running"
micd_kill_body()
{
	virtio_script <<'EOF'
micd_up mic0
con_run 'i=0; while :; do i=$((i + 1)); echo "spam $i"; done' "spam 100"
killall -KILL micd
echo "micd: killed"
kill $con 2>/dev/null
exec 3>&-
wait $micd
# The card sees its console go (micd's /dev/mic0 closed by its death).
removed() {
	micctl log mic0 2>/dev/null | grep -q "virtio: virtio[0-9]*: removing it"
}
waitfor 300 removed || fail "the card did not remove its console"
expect mic0 state online
: >/tmp/micd.log
micd -d -f /etc/micd.conf >>/tmp/micd.log 2>&1 &
micd=$!
micd_log "mic0: console: device added"
con_open mic0
con_login
con_run 'echo alive-$((6 * 7))' "alive-42"
echo "card: alive after micd came back"
micctl log mic0 >/tmp/log || fail "micctl log"
first=$(sed -n "s/.*virtio: \(virtio[0-9]*\): type 3,.*/\1/p" /tmp/log | head -n 1)
echo "card: removed $(grep -c "virtio: $first: removing it" /tmp/log)," \
    "added $(grep -c "virtio: virtio[0-9]*: type 3," /tmp/log)"
expect mic0 state online
micd_stop
EOF
	vmic_run
	vmic_check "^micd: killed$" "^card: alive after micd came back$" \
	    "^card: removed 1, added 2$"
}

vmic_case hotplug "devices added to and removed from a running card:" \
    "a console appears, gets a config change, disappears; a block device" \
    "removed under I/O fails that I/O on the card"
hotplug_body()
{
	virtio_script <<'EOF'
micd_up mic0
mkfifo /tmp/vt.in
viotest mic0 </tmp/vt.in >/tmp/vt.out 2>&1 &
vt=$!
exec 4>/tmp/vt.in
vt() {
	m=$(grep -c "^ok\|^error" /tmp/vt.out)
	echo "$1" >&4
	waitfor 300 test "$(grep -c "^ok\|^error" /tmp/vt.out)" -gt "$m" ||
	    fail "viotest: no answer to $1"
	r=$(grep "^ok\|^error" /tmp/vt.out | tail -n 1)
	case $r in
	ok*) ;;
	*) fail "viotest: $1: $r" ;;
	esac
}
# consoles: how many virtio consoles the card has.
con_do 'consoles() { grep -l 0x0003 /sys/bus/virtio/devices/*/device | wc -l; }; waitcount() { n=0; while [ "$(consoles)" != $1 ] && [ $n -lt 300 ]; do sleep 1; n=$((n + 1)); done; echo "consoles: $(consoles)"; }; waitdev() { n=0; while [ ! -e $1 ] && [ $n -lt 300 ]; do sleep 1; n=$((n + 1)); done; }; waitcount 1'
con_new "^consoles: 1" || fail "not one console on the card before the add"
vt "add console"
con_do 'waitcount 2; sleep 600 </dev/hvc1 & sleep 0'
con_new "^consoles: 2" || fail "no second console on the card"
echo "hotplug: console added"
# virtio_console sizes an open console from its config at a change.
vt "config 100 40"
con_do 'n=0; until [ "$(stty -F /dev/hvc1 size)" = "40 100" ] || [ $n -ge 300 ]; do sleep 1; n=$((n + 1)); done; stty -F /dev/hvc1 size'
con_new "^40 100" ||
    fail "hvc1: not 40 rows 100 columns: $(tail -c 300 /tmp/mic0.out)"
echo "hotplug: config change seen"
vt "close"
con_do 'waitcount 1'
con_new "^consoles: 1" || fail "the second console is still there"
echo "hotplug: console removed"
vt "add block 8192"
con_do 'waitdev /sys/block/vda; dd if=/dev/vda bs=4096 count=4 2>/dev/null | od -A d -t x1 | tail -n 2'
con_new "^0016384" ||
    fail "vda: no 16 KiB read: $(tail -c 300 /tmp/mic0.out)"
echo "hotplug: block device read"
vt "stop"
# A read and a write in flight: both must fail, neither be reported done.
con_do '(dd if=/dev/vda of=/dev/null bs=4096 count=1 skip=500 iflag=direct; echo "dd-status $?") & (dd if=/dev/zero of=/dev/vda bs=4096 count=1 seek=600 oflag=direct; echo "ddw-status $?") & sleep 0'
dd_at=$con_at
# Until the card has both requests in flight (read, write).
con_do 'n=0; until (set -- $(cat /sys/block/vda/inflight); [ "$1" -ge 1 ] && [ "$2" -ge 1 ]) || [ $n -ge 300 ]; do sleep 1; n=$((n + 1)); done; echo "inflight: $(echo $(cat /sys/block/vda/inflight))"'
con_new "^inflight: [1-9][0-9]* [1-9]" ||
    fail "vda: not a read and a write in flight: $(tail -c 300 /tmp/mic0.out)"
con_at=$dd_at
con_new "dd-status [0-9]\|ddw-status [0-9]" && fail "a request completed while nobody served it"
vt "close"
con_expect "dd-status [1-9]"
con_expect "ddw-status [1-9]"
echo "hotplug: I/O failed on removal"
con_do 'n=0; while [ -e /sys/block/vda ] && [ $n -lt 300 ]; do sleep 1; n=$((n + 1)); done; ls -1 /sys/block'
con_new "^vda[[:space:]]*$" && fail "vda still there: $(tail -c 300 /tmp/mic0.out)"
echo "hotplug: block device removed"
echo quit >&4
micd_stop
EOF
	vmic_run
	vmic_check "^hotplug: console added$" "^hotplug: config change seen$" \
	    "^hotplug: console removed$" "^hotplug: block device read$" \
	    "^hotplug: I/O failed on removal$" \
	    "^hotplug: block device removed$"
}

HOSTILE_CASES="addr_beyond,len_overflow,loop,next_range,avail_jump,indirect,order"

vmic_case -t 1800 hostile "two cards under micd, mic0 hostile: it breaks each ring" \
    "rule in turn on its console; each time micd logs one line and adds" \
    "the device again, and mic1's console keeps working"
hostile_body()
{
	virtio_script <<EOF
cp \$SHARE/card-hostile.img /lib/firmware/mic/hostile.image ||
    fail "no card-hostile.img"
micd_start <<'CONF'
default {
	boot on start yes
}
card mic0 {
	ramdisk "mic/hostile.image"
	cmdline "micemu.skip=virtio_console mic_hostile.cases=$HOSTILE_CASES"
}
CONF
waitstate mic1 online
con_open mic1
con_login
con_run 'echo one-\$((6 * 7))' "one-42"
micd_log "mic0: console: the card broke the ring rules, adding the device again" 300 7
waitfor 300 grep -q "good chain 8" /var/log/micd/mic0.console ||
    fail "mic0: no good chain after the last case: \$(tail -c 300 /var/log/micd/mic0.console)"
echo "mic0: good chain 8 after the 7 cases"
echo "micd: \$(grep -c "mic0: console: the card broke the ring rules" /tmp/micd.log) re-adds"
grep "mic0" /tmp/micd.log | grep -v "state\|console: device" | sed "s/^/micd.log: /"
echo "host: \$(dmesg | grep -c "mic0: .*broken") broken rings"
grep -q "mic1: .*broken" /tmp/micd.log && fail "mic1 touched"
con_run 'echo two-\$((6 * 7))' "two-42"
echo "mic1: console still works"
expect mic0 state online
expect mic1 state online
micd_stop
EOF
	vmic_run -c 2
	vmic_check "^mic0: good chain 8 after the 7 cases$" "^micd: 7 re-adds$" \
	    "^host: 7 broken rings$" "^mic1: console still works$"
}

atf_init_test_cases()
{
	atf_add_test_case console
	atf_add_test_case reboot
	atf_add_test_case hung
	atf_add_test_case micd_kill
	atf_add_test_case hotplug
	atf_add_test_case hostile
}
