# SPDX-License-Identifier: BSD-2-Clause
#
# mic_host.ko as a whole, on micemu's virtual X100 with mic_card.ko on the
# card: the state machine of ABI.md section 1, boot, shutdown, the card's
# reports, reset (also of a frozen card), two cards, unloading the driver
# with a card online, the card's log, debugfs, and the bad input the
# driver must refuse.  Each case is one micemu run (vmic.subr); the host
# script prints what it saw, and the case checks it.

VMIC_TOOLS=micpoll
. "$(atf_get_srcdir)/../vmic.subr"

vmic_case boot "boot: ready, booting, online, each seen by a poller;" \
    "the log shows mic_card finding the device page; debugfs"
boot_body()
{
	vmic_script <<'EOF'
expect mic0 family vmic
expect mic0 state ready
expect mic0 shutdown_status nop
expect mic0 log_buf_addr ""
poller $S/mic0/state online /tmp/states
micctl boot mic0 || fail "boot"
micctl wait -s booting -t 0 mic0 || micctl wait -s online -t 0 mic0 ||
    fail "not booting after boot: $(cat $S/mic0/state)"
waitstate mic0 online
wait $poller || fail "the poller missed a state: $(cat /tmp/states)"
echo "states: $(echo $(cat /tmp/states))"
[ -n "$(cat $S/mic0/log_buf_addr)" ] || fail "no log_buf_addr"
echo "log_buf_len $(cat $S/mic0/log_buf_len)"
micctl log mic0 >/tmp/log || fail "micctl log"
grep "mic_card.*device page" /tmp/log || fail "no device page in the log"
grep -q "^magic 0xc0ffee00$" $D/mic0/dp || fail "dp: no magic"
grep "^card_state" $D/mic0/dp
grep -E "^ +0 0x[0-9a-f]+ .* +1$" $D/mic0/smpt || fail "smpt: entry 0 unused"
cat $D/mic0/post_code || fail "post_code"
micctl status
echo 1 >$D/mic0/reset || fail "forced reset"
waitstate mic0 ready
expect mic0 shutdown_status nop
grep "^card_state 0$" $D/mic0/dp || fail "dp not reset"
echo 1 >$D/mic0/reset || fail "forced reset when ready"
waitstate mic0 ready
micctl log mic0 | grep -q "device page" || fail "log gone after a reset"
bootwait mic0
echo "online again"
EOF
	vmic_run
	vmic_check "^states: ready booting online$" "mic_card.*device page" \
	    "^card_state 1$" "^online again$"
}

vmic_case shutdown "shutdown from the host: status poweroff, reset to" \
    "ready, and boot again"
shutdown_body()
{
	vmic_script <<'EOF'
bootwait mic0
poller $S/mic0/shutdown_status poweroff /tmp/status
micctl shutdown -w -t 300 mic0 || fail "shutdown"
expect mic0 state shutting_down
expect mic0 shutdown_status poweroff
wait $poller || fail "the poller missed the status"
echo "status: $(echo $(cat /tmp/status))"
refuse EINVAL mic0 state shutdown
refuse EBUSY mic0 state boot
resetwait mic0
expect mic0 shutdown_status nop
bootwait mic0
echo "online again"
micctl shutdown -w -t 300 mic0 || fail "second shutdown"
expect mic0 shutdown_status poweroff
resetwait mic0
EOF
	vmic_run
	vmic_check "^status: nop poweroff$" "^online again$"
}

vmic_case -t 1800 card_reports "reboot, poweroff and halt inside the card: the" \
    "status is restart, poweroff, halted"
card_reports_body()
{
	vmic_script <<'EOF'
for a in reboot:restart poweroff:poweroff halt:halted; do
	echo "micemu.action=${a%:*}" >$S/mic0/cmdline
	micctl boot mic0 || fail "boot for ${a%:*}"
	waitstatus mic0 ${a#*:}
	expect mic0 state shutting_down
	echo "${a%:*}: ${a#*:}"
	resetwait mic0
done
EOF
	vmic_run
	vmic_check "^reboot: restart$" "^poweroff: poweroff$" "^halt: halted$"
}

vmic_case crash "a crash inside the card: status crashed, and micctl log" \
    "shows the panic, also after a reset"
crash_body()
{
	vmic_script <<'EOF'
echo "micemu.action=crash" >$S/mic0/cmdline
micctl boot mic0 || fail "boot"
waitstatus mic0 crashed
expect mic0 state shutting_down
echo "crash: crashed"
micctl log mic0 >/tmp/log || fail "micctl log"
grep "Kernel panic" /tmp/log || fail "no panic in the log"
resetwait mic0
micctl log mic0 | grep -q "Kernel panic" || fail "the panic is gone"
echo "panic kept over the reset"
echo >$S/mic0/cmdline
bootwait mic0
micctl log mic0 | grep -q "Kernel panic" && fail "old log after a boot"
echo "online again"
EOF
	vmic_run
	vmic_check -c "^crash: crashed$" "Kernel panic" \
	    "^panic kept over the reset$" "^online again$"
}

vmic_case lost "a card whose heartbeat stops (its guest frozen) is lost:" \
    "status lost, state shutting_down, one kernel line; reset, and it" \
    "boots again; heartbeat_timeout takes 0 to 3600"
lost_body()
{
	vmic_script <<'EOF'
expect mic0 heartbeat_timeout 30
(echo 3601 >$S/mic0/heartbeat_timeout) 2>/dev/null && fail "3601 taken"
(echo x >$S/mic0/heartbeat_timeout) 2>/dev/null && fail "x taken"
expect mic0 heartbeat_timeout 30
echo 5 >$S/mic0/heartbeat_timeout || fail "heartbeat_timeout 5"
bootwait mic0
# beat: the card's heartbeat count as the host reads it.
beat() { sed -n "s/^heartbeat //p" $D/mic0/dp; }
b=$(beat)
n=0
until [ "$(beat)" -gt $((b + 1)) ]; do
	n=$((n + 1))
	[ $n -le 3000 ] || fail "the heartbeat does not move: $(beat)"
	usleep 100000
done
expect mic0 state online
echo "heartbeat moves"
handshake freeze
waitstatus mic0 lost 300
expect mic0 state shutting_down
dmesg | grep "mic0: lost: no heartbeat for 5 s" || fail "no kernel line"
resetwait mic0
expect mic0 shutdown_status nop
bootwait mic0
echo "online again"
EOF
	vmic_run_frozen mic0
	vmic_check "^heartbeat moves$" "mic0: lost: no heartbeat for 5 s" \
	    "^online again$"
}

vmic_case log_wrap "micctl log of a ring that wrapped around, after a" \
    "crash: whole lines, the newest ones, the panic last"
log_wrap_body()
{
	vmic_script <<'EOF'
# Some hundred kilobytes of boot messages for a 64 KiB ring.
echo "initcall_debug ignore_loglevel micemu.action=crash" >$S/mic0/cmdline
micctl boot mic0 || fail "boot"
waitstatus mic0 crashed
micctl log mic0 >/tmp/log || fail "micctl log"
size=$(wc -c </tmp/log)
len=$(($(cat $S/mic0/log_buf_len)))
echo "log: $size bytes of a ring of $len"
[ $size -gt $((len / 2)) ] && [ $size -lt $len ] || fail "log size $size"
grep -c "initcall" /tmp/log >/dev/null || fail "no initcall lines"
head -n 1 /tmp/log | grep -q '^\[ *[0-9]*\.[0-9]*\] ' ||
    fail "first line cut: $(head -n 1 /tmp/log)"
grep -n "Kernel panic" /tmp/log | tail -n 1
tail -n 5 /tmp/log | grep -q "Kernel panic" || fail "the panic is not last"
if grep -q "$(printf '\r')" /tmp/log || tr -d '\n\t -~' </tmp/log | grep -q .; then
	fail "control characters in the log"
fi
echo "log ok"
resetwait mic0
EOF
	vmic_run
	vmic_check -c "^log: .* bytes of a ring of 65536$" "Kernel panic" \
	    "^log ok$"
}

vmic_case -t 1800 reset "reset of an online card, and of a frozen one: both" \
    "complete, and the card boots again"
reset_body()
{
	vmic_script <<'EOF'
bootwait mic0
poller $S/mic0/state ready /tmp/states
micctl reset -w -t 300 mic0 || fail "reset of an online card"
wait $poller || fail "the poller missed a state: $(cat /tmp/states)"
# resetting may be too short to be seen
echo "states: $(echo $(cat /tmp/states) | sed 's/ resetting//')"
refuse EINVAL mic0 state reset
bootwait mic0
handshake freeze
echo "card frozen"
micctl reset -w -t 300 mic0 || fail "reset of a frozen card"
echo "frozen card reset"
bootwait mic0
echo "online again"
EOF
	vmic_run_frozen mic0
	vmic_check "^states: online ready$" "^card frozen$" \
	    "^frozen card reset$" "^online again$"
}

vmic_case -t 1800 two_cards "two cards, booted and reset independently"
two_cards_body()
{
	vmic_script <<'EOF'
expect mic0 ipaddr 172.31.1.1/24
expect mic1 ipaddr 172.31.2.1/24
expect mic1 ramdisk mic/mic1.image
micctl boot mic0 mic1 || fail "boot"
waitstate mic0 online
waitstate mic1 online
echo "both online"
resetwait mic1
expect mic0 state online
bootwait mic1
micctl shutdown -w -t 300 mic0 || fail "shutdown mic0"
expect mic1 state online
expect mic1 shutdown_status nop
resetwait mic0
expect mic1 state online
micctl log mic1 | grep -q "device page" || fail "mic1: log"
resetwait mic1
micctl status
EOF
	vmic_run -c 2
	vmic_check "^both online$" "^mic0 .* ready " "^mic1 .* ready "
}

vmic_case rmmod "rmmod mic_host with a card online resets it; insmod" \
    "again finds it ready, and it boots"
rmmod_body()
{
	vmic_script <<'EOF'
bootwait mic0
rmmod mic_host || fail "rmmod"
[ ! -e $S/mic0 ] || fail "mic0 still there"
echo "removed"
handshake removed
insmod /lib/modules/mic_host.ko || fail "insmod"
expect mic0 state ready
echo "ready after insmod"
bootwait mic0
rmmod mic_host || fail "rmmod of a ready card"
insmod /lib/modules/mic_host.ko || fail "insmod again"
expect mic0 state ready
EOF
	vmic_start
	vmic_await removed
	[ -f share/w/mic0.pid ] && vmic_fail "the card guest still runs"
	vmic_answer removed
	vmic_wait
	vmic_check "^removed$" "^ready after insmod$"
}

vmic_case bad_input "bad input: each a clear error, and no change of" \
    "state or attribute"
bad_input_body()
{
	local n w="micemu: mic0: bootstrap: command line too long:"

	vmic_script <<'EOF'
refuse EINVAL mic0 state frob
refuse EINVAL mic0 state ""
refuse EINVAL mic0 state "boot now"
refuse EINVAL mic0 state reset
refuse EINVAL mic0 state shutdown
refuse EINVAL mic0 bootmode elf
for a in 1.2.3/24 1.2.3.4 1.2.3.4/33 256.1.1.1/8 1.2.3.4/ a.b.c.d/8 \
    "1.2.3.4/24 x" " 1.2.3.4/24" 1.2.3.4/-1; do
	refuse EINVAL mic0 ipaddr "$a"
done
echo 10.0.0.1/8 >$S/mic0/ipaddr || fail "a good ipaddr"
expect mic0 ipaddr 10.0.0.1/8
echo >$S/mic0/ipaddr || fail "an empty ipaddr"
expect mic0 ipaddr ""
echo 172.31.1.1/24 >$S/mic0/ipaddr
refuse ENAMETOOLONG mic0 firmware "$(head -c 300 /dev/zero | tr '\0' x)"
echo mic/none.img >$S/mic0/firmware
refuse ENOENT mic0 state boot
echo mic/uos.img >$S/mic0/firmware
echo mic/none.image >$S/mic0/ramdisk
refuse ENOENT mic0 state boot
echo mic/mic0.image >$S/mic0/ramdisk
echo mic/mic0.image >$S/mic0/firmware
refuse ENOEXEC mic0 state boot
echo mic/uos.img >$S/mic0/firmware
# " mem=512M mic.ip=172.31.1.1/24 " is 31 bytes: 2016 more and the NUL
# make 2048, which the host takes.  With the "console=ttyS0 no_timer_check "
# that micemu puts before it, it is too long for the card kernel (whose
# limit is 2048 too): micemu refuses the bootstrap (the test checks that),
# and the card stays booting until it is reset.
head -c 2017 /dev/zero | tr '\0' x >$S/mic0/cmdline
refuse E2BIG mic0 state boot
head -c 2016 /dev/zero | tr '\0' x >$S/mic0/cmdline
[ $(cat $S/mic0/cmdline | wc -c) = 2017 ] || fail "cmdline not kept"
micctl boot mic0 || fail "boot with a command line of 2048 bytes"
handshake refused
expect mic0 state booting
refuse EBUSY mic0 state shutdown
refuse EBUSY mic0 state boot
resetwait mic0
echo >$S/mic0/cmdline
bootwait mic0
refuse EBUSY mic0 state boot
refuse EINVAL mic0 state frob
resetwait mic0
echo "all refused"
EOF
	vmic_start
	vmic_await refused
	# No card guest: micemu refused the 2077 bytes of the card's line.
	n=0
	until grep -qx "$w 2077 bytes with micemu's own" err; do
		n=$((n + 1))
		[ $n -le "$VMIC_DEADLINE" ] ||
		    vmic_fail "micemu did not refuse the command line"
		if ! kill -0 "$(cat micemu.pid)" 2>/dev/null; then
			vmic_wait
			vmic_fail "micemu exited ($(cat status)) while booting"
		fi
		sleep 1
	done
	[ -f share/w/mic0.pid ] && vmic_fail "a card guest was started"
	vmic_answer refused
	vmic_wait
	vmic_check "^mic0: state \"frob\": EINVAL$" \
	    "^mic0: ipaddr \"1.2.3/24\": EINVAL$" \
	    "^mic0: state \"boot\": ENOEXEC$" "^mic0: state \"boot\": E2BIG$" \
	    "^mic0: state \"shutdown\": EBUSY$" "^all refused$"
}

vmic_case too_big "an image or a ramdisk larger than its room in card" \
    "memory (a 64 MiB card) is refused with EFBIG before anything is loaded"
too_big_body()
{
	vmic_script <<'EOF'
# 64 MiB: the image goes to 16 MiB, the ramdisk to 32 MiB.
head -c 41943040 /dev/zero >/lib/firmware/mic/big.image
echo mic/big.image >$S/mic0/ramdisk
refuse EFBIG mic0 state boot
echo "ramdisk too big"
echo mic/mic0.image >$S/mic0/ramdisk
cp /lib/firmware/mic/uos.img /lib/firmware/mic/big.img
head -c 12582912 /dev/zero >>/lib/firmware/mic/big.img
echo mic/big.img >$S/mic0/firmware
refuse EFBIG mic0 state boot
echo "image too big"
head -c 67108864 /dev/zero >>/lib/firmware/mic/big.img
refuse EFBIG mic0 state boot
echo "image larger than the card refused"
EOF
	vmic_run -m 64M
	vmic_check "^ramdisk too big$" "^image too big$" \
	    "^image larger than the card refused$"
}

atf_init_test_cases()
{
	atf_add_test_case boot
	atf_add_test_case shutdown
	atf_add_test_case card_reports
	atf_add_test_case crash
	atf_add_test_case lost
	atf_add_test_case log_wrap
	atf_add_test_case reset
	atf_add_test_case two_cards
	atf_add_test_case rmmod
	atf_add_test_case bad_input
	atf_add_test_case too_big
}
