# SPDX-License-Identifier: BSD-2-Clause
#
# micemu(8): arguments, and whole scenarios under QEMU without the MIC
# drivers.  A scenario runs micemu in the background with a script for
# the host guest and a share (./share, the host's /mnt/share) that also
# holds micemu's work directory (./share/w), so that the host script can
# watch the card's serial log and the test can act from outside (freeze
# a card, check the card memory file).  It is judged by the script's
# status and output; on failure the tails of the serial logs are shown.
# vmicpoke (beside this test) drives a card through the PCI resource
# files as the host driver will: ABI.md sections 6.4, 6.5 and 7.

MICEMU_DEADLINE=300	# seconds for one guest event (TCG on 2 shared cores)

# vmic_logscan: the kernel log scan of the whole-system tests.
. "$(atf_get_srcdir)/../../sys/dev/mic/vmic.subr"

micemu_bin()
{
	echo "$(atf_get_srcdir)/../../../usr.sbin/micemu/micemu"
}

# The script the host guest runs, from standard input; helpers first.
host_script()
{
	cat >script <<'EOF'
set -e
P=/mnt/share/vmicpoke
W=/mnt/share/w
# waitfor file pattern: poll until the pattern is in the file.
waitfor() {
	n=0
	until grep -qs "$2" "$1"; do
		n=$((n + 1))
		if [ $n -gt 300 ]; then
			echo "host: timeout waiting for \"$2\" in $1"
			exit 1
		fi
		sleep 1
	done
}
# expect card field=value: a field of vmicpoke info.
expect() {
	if ! $P info "$1" | grep -qx "$2"; then
		echo "host: card $1: want $2, have" \
		    "$($P info "$1" | grep "^${2%%=*}=")"
		exit 1
	fi
}
EOF
	cat >>script
}

# Start micemu in the background on ./script; extra options follow.
micemu_start()
{
	mkdir -p share
	cp "$(atf_get_srcdir)/vmicpoke" share/ ||
	    atf_fail "vmicpoke is not built"
	env MICEMU_APPEND="slub_debug=FZPU page_poison=1 micemu.skip=mic_host" \
	    MICEMU_CARD_APPEND="micemu.skip=mic_card" \
	    "$(micemu_bin)" -w "$PWD/share/w" -S "$PWD/share" -s script "$@" \
	    >out 2>err &
	echo $! >micemu.pid
}

# Wait for micemu; its exit status goes to ./status.
micemu_wait()
{
	local st=0

	wait "$(cat micemu.pid)" || st=$?
	rm -f micemu.pid
	echo $st >status
}

# What went wrong, with the logs: for a failure in CI.
fail_logs()
{
	local f

	{
		for f in out err share/w/host.log share/w/mic*.log; do
			[ -f "$f" ] || continue
			echo "=== tail of $f"
			tail -n 40 "$f"
		done
	} >&2
	atf_fail "$*"
}

# wait_for file pattern: poll until there, or micemu has gone.
wait_for()
{
	local n=0

	until [ -e "$1" ] && { [ -z "$2" ] || grep -qs -- "$2" "$1"; }; do
		n=$((n + 1))
		[ $n -le $MICEMU_DEADLINE ] ||
		    fail_logs "timeout waiting for \"$2\" in $1"
		if [ -f micemu.pid ] && ! kill -0 "$(cat micemu.pid)" 2>/dev/null
		then
			micemu_wait
			fail_logs "micemu exited ($(cat status)) before \"$2\" in $1"
		fi
		sleep 1
	done
}

# The run's end: status, lines printed, clean logs, nothing left over.
check_run()
{
	local want=$1 line f
	shift

	[ "$(cat status)" = "$want" ] ||
	    fail_logs "micemu exited $(cat status), not $want"
	for line in "$@"; do
		grep -q -- "$line" out || fail_logs "no \"$line\" in the output"
	done
	vmic_logscan share/w/host.log share/w/mic*.log >&2 ||
	    fail_logs "a warning, BUG, Oops, lockup, stall or hung task in a" \
		"serial log"
	for f in share/w/*; do
		[ -e "$f" ] || continue
		case $f in
		*.log) ;;
		*) fail_logs "$f left in the work directory" ;;
		esac
	done
}

# Kill what a failed case left running.
micemu_kill()
{
	local p n

	if [ -f micemu.pid ]; then
		kill -TERM "$(cat micemu.pid)" 2>/dev/null
		for n in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$(cat micemu.pid)" 2>/dev/null || break
			sleep 1
		done
		kill -KILL "$(cat micemu.pid)" 2>/dev/null
	fi
	for p in share/w/*.pid; do
		[ -f "$p" ] && kill -KILL "$(cat "$p")" 2>/dev/null
	done
	return 0
}

atf_test_case bad_args
bad_args_head()
{
	atf_set descr "Bad arguments: exit 2 with a clear message"
	atf_set timeout 60
}
bad_args_body()
{
	local m

	m=$(micemu_bin)
	atf_check -s exit:2 -e match:'^micemu: -m: "600M": not a power of two$' \
	    "$m" -m 600M
	atf_check -s exit:2 -e match:'^micemu: -m: "3G": not a power of two$' \
	    "$m" -m 3G
	atf_check -s exit:2 -e match:'^micemu: -m: "4G": not from 4M to 2G$' \
	    "$m" -m 4G
	atf_check -s exit:2 -e match:'^micemu: -m: "2M": not from 4M to 2G$' \
	    "$m" -m 2M
	atf_check -s exit:2 -e match:'^micemu: -m: "0": not a size$' "$m" -m 0
	atf_check -s exit:2 -e match:'^micemu: -m: "12X": not a size$' \
	    "$m" -m 12X
	atf_check -s exit:2 -e match:'^micemu: -m: "-8M": not a size$' \
	    "$m" -m -8M
	atf_check -s exit:2 -e match:'^micemu: -M: "128M": not from 256M to 2G$' \
	    "$m" -M 128M
	atf_check -s exit:2 -e match:'^micemu: -M: "4G": not from 256M to 2G$' \
	    "$m" -M 4G
	atf_check -s exit:2 -e match:'^micemu: -M: "768M": not a power of two$' \
	    "$m" -M 768M
	atf_check -s exit:2 -e match:'^micemu: -M: "1X": not a size$' \
	    "$m" -M 1X
	atf_check -s exit:2 -e match:'^micemu: -c: "0": not a number from 1 to 8$' \
	    "$m" -c 0
	atf_check -s exit:2 -e match:'^micemu: -c: "9": ' "$m" -c 9
	atf_check -s exit:2 -e match:'^micemu: -c: "two": ' "$m" -c two
	atf_check -s exit:2 -e match:'^micemu: -S: "/nonexistent": ' \
	    "$m" -S /nonexistent
	atf_check -s exit:2 -e match:'^micemu: -S: "/dev/null": not a directory$' \
	    "$m" -S /dev/null
	atf_check -s exit:2 -e match:'^micemu: -s: "/nonexistent": ' \
	    "$m" -s /nonexistent
	atf_check -s exit:2 -e match:'^usage: micemu ' "$m" -x
	atf_check -s exit:2 -e match:'^usage: micemu ' "$m" extra
	[ -z "$(ls -d "${TMPDIR:-/tmp}"/micemu.* 2>/dev/null)" ] ||
	    atf_fail "a work directory was made for bad arguments"
}

atf_test_case script_status cleanup
script_status_head()
{
	atf_set descr "The -s script's output and exit status come back"
	atf_set timeout 600
}
script_status_body()
{
	host_script <<'EOF'
echo "script: running as $(id -u) on $(hostname)"
echo "script: path $PATH"
exit 3
EOF
	micemu_start
	micemu_wait
	check_run 3 "script: running as 0 on host" "script: path /usr/sbin:"
}
script_status_cleanup()
{
	micemu_kill
}

atf_test_case share_devices cleanup
share_devices_head()
{
	atf_set descr "The -S share, the aperture, the register file and " \
	    "the host page in the host guest; -M 1G sets its memory"
	atf_set timeout 600
}
share_devices_body()
{
	local mem

	mkdir -p share
	echo "outside to guest" >share/hello
	host_script <<'EOF'
echo "share: $(cat /mnt/share/hello)"
# -M 1G: the host guest's memory, and the card's host window.
[ $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) -gt 900000 ] &&
    echo "host memory: 1G"
echo "guest to outside" >/mnt/share/fromguest
$P info 0 | sed 's/^/info: /'
cat /sys/bus/pci/devices/0000:00:10.0/vendor
test -e /sys/bus/pci/devices/0000:00:10.0/msi_bus
$P aperwrite 0 0x100000 "pattern-from-the-host-guest"
touch /mnt/share/written
waitfor /mnt/share/go go
echo "aperture: $($P aperread 0 0x200000 20)"
EOF
	micemu_start -m 256M -M 1G
	wait_for share/written ''
	mem=share/w/mic0.mem
	[ "$(dd if=$mem bs=1 skip=$((0x100000)) count=27 2>/dev/null)" = \
	    "pattern-from-the-host-guest" ] ||
	    fail_logs "the host's aperture write is not in the card memory"
	printf 'pattern-from-outside' | dd of=$mem bs=1 seek=$((0x200000)) \
	    conv=notrunc 2>/dev/null
	echo go >share/go
	micemu_wait
	check_run 0 "share: outside to guest" "host memory: 1G" \
	    "info: magic=0x43494d56" \
	    "info: version=0x2" "info: card=0" "info: host_peer=0x1" \
	    "info: card_peer=0xffffffff" "info: emu_state=0x1" \
	    "info: aper_size=0x10000000" "info: hwin_size=0x40000000" \
	    "info: aper_devfn=0x81" "info: spad2=0x4000001" \
	    "info: aperture=0x10000000" "info: host_magic=0x50484d56" \
	    "info: host_emu_state=0x1" "info: host_resets=0x1" \
	    "aperture: pattern-from-outside"
	[ "$(cat share/fromguest)" = "guest to outside" ] ||
	    fail_logs "the guest's file is not in the share"
}
share_devices_cleanup()
{
	micemu_kill
}

atf_test_case dma cleanup
dma_head()
{
	atf_set descr "The DMA engine driven from the host guest: a copy " \
	    "in card memory and an interrupting STATUS on channel 0, then " \
	    "a misaligned copy that halts the channel and writes nothing"
	atf_set timeout 600
}
dma_body()
{
	host_script <<'EOF'
$P aperwrite 0 0x100000 "dma-pattern-from-the-host"
$P dma 0 0x100000 0x200040 64
echo "copied: $($P aperread 0 0x200040 25)"
$P aperwrite 0 0x180000 "must-not-arrive"
$P dma 0 0x180020 0x280000 64
echo "untouched: [$($P aperread 0 0x280000 15 | tr -d '\000')]"
EOF
	micemu_start -m 256M
	micemu_wait
	check_run 0 \
	    "dma: dtpr=2 dstat=0x2 dcherr=0 sicr0=0x100 status=0x600d" \
	    "copied: dma-pattern-from-the-host" \
	    "dma: dtpr=0 dstat=0 dcherr=0x1 sicr0=0x100 status=0$" \
	    "untouched: \\[\\]"
}
dma_cleanup()
{
	micemu_kill
}

atf_test_case boot_freeze_reset cleanup
boot_freeze_reset_head()
{
	atf_set descr "Bootstrap without the driver, a card frozen from " \
	    "outside, reset through RGCR, boot again"
	atf_set timeout 1200
}
boot_freeze_reset_body()
{
	local pid memdir

	host_script <<'EOF'
F=/lib/firmware/mic
expect 0 emu_state=0x1
$P boot 0 $F/uos.img "micemu.test=boot1 mem=512M" $F/mic0.image
$P wait 0 running
waitfor $W/mic0.log "micemu-card: init running.*micemu.test=boot1"
expect 0 card_peer=0x2
expect 0 spad2=0
echo "card: booted"
touch /mnt/share/booted
waitfor /mnt/share/frozen frozen
$P reset 0
expect 0 emu_state=0x1
expect 0 card_peer=0xffffffff
expect 0 resets=0x2
echo "card: reset"
$P boot 0 $F/uos.img "micemu.test=boot2" $F/mic0.image
waitfor $W/mic0.log "micemu-card: init running.*micemu.test=boot2"
expect 0 boots=0x2
expect 0 card_peer=0x3
echo "card: booted again"
EOF
	micemu_start
	wait_for share/booted ''
	memdir=$(dirname "$(readlink share/w/mic0.mem)")
	pid=$(cat share/w/mic0.pid)
	kill -STOP "$pid"
	# SIGSTOP takes effect asynchronously: wait for the stopped state.
	n=0
	until [ "$(awk '{ print $3 }' /proc/"$pid"/stat)" = T ]; do
		n=$((n + 1))
		[ $n -le 3000 ] || fail_logs "the card guest is not stopped"
		sleep 0.1
	done
	echo frozen >share/frozen
	micemu_wait
	check_run 0 "card: booted" "card: reset" "card: booted again"
	! kill -0 "$pid" 2>/dev/null || fail_logs "the frozen guest is alive"
	[ "$memdir" = . ] || [ ! -e "$memdir" ] ||
	    fail_logs "$memdir left behind"
	[ "$(grep -c 'micemu-card: init running' share/w/mic0.log)" = 2 ] ||
	    fail_logs "the card log does not show two boots"
}
boot_freeze_reset_cleanup()
{
	micemu_kill
}

atf_test_case cmdline_limit cleanup
cmdline_limit_head()
{
	atf_set descr "A command line too long for the card kernel with " \
	    "micemu's own words is refused (emu_state failed); one that just " \
	    "fits boots whole"
	atf_set timeout 1200
}
cmdline_limit_body()
{
	local line x w="micemu: mic0: bootstrap: command line too long:"

	# micemu puts "console=ttyS0 no_timer_check micemu.skip=mic_card "
	# (50 bytes) before the host's line: 1997 bytes and the NUL fit the
	# card's 2048, that is "micemu.test=fits micemu.pad=" (28 bytes) and
	# 1969 x.
	host_script <<'EOF'
F=/lib/firmware/mic
pad=$(head -c 1970 /dev/zero | tr '\0' x)
$P boot 0 $F/uos.img "micemu.test=long micemu.pad=$pad" $F/mic0.image
$P wait 0 failed
expect 0 card_peer=0xffffffff
expect 0 boots=0
echo "card: 2049 bytes refused"
$P reset 0
$P boot 0 $F/uos.img "micemu.test=fits micemu.pad=${pad%x}" $F/mic0.image
$P wait 0 running
waitfor $W/mic0.log "micemu-card: init running.*micemu.test=fits"
expect 0 boots=0x1
echo "card: 2048 bytes booted"
EOF
	micemu_start
	micemu_wait
	check_run 0 "card: 2049 bytes refused" "card: 2048 bytes booted"
	grep -qx "$w 2049 bytes with micemu's own" err ||
	    fail_logs "no warning about the command line"
	! grep -q "micemu.test=long" share/w/mic0.log ||
	    fail_logs "the refused command line reached a card guest"
	# The card kernel has the whole line, the last x included.  Kernel
	# messages on the same serial port may cut the init's line: drop
	# them and join what is left, then the line must be followed by
	# something other than an x.
	line=$(sed -n '/^micemu-card: init running: /,$p' share/w/mic0.log |
	    grep -v '^\[ *[0-9]*\.[0-9]*\] ' | tr -d '\r\n' |
	    sed 's/^micemu-card: init running: //')
	x=$(head -c 1969 /dev/zero | tr '\0' x)
	want="console=ttyS0 no_timer_check micemu.skip=mic_card"
	want="$want micemu.test=fits micemu.pad=$x"
	case "$line" in
	"$want"x*) fail_logs "the card's command line is longer than booted" ;;
	"$want"*) ;;
	*) fail_logs "the card's command line is not the 2047 bytes booted" ;;
	esac
}
cmdline_limit_cleanup()
{
	micemu_kill
}

atf_test_case two_cards cleanup
two_cards_head()
{
	atf_set descr "Two cards booted, one reset, the other still runs; " \
	    "a card that powers off"
	atf_set timeout 1200
}
two_cards_body()
{
	host_script <<'EOF'
F=/lib/firmware/mic
expect 1 card=0x1
expect 1 aper_devfn=0x89
$P boot 0 $F/uos.img "micemu.test=card0" $F/mic0.image
$P boot 1 $F/uos.img "micemu.test=card1" $F/mic1.image
waitfor $W/mic0.log "micemu-card: init running.*micemu.test=card0"
waitfor $W/mic1.log "micemu-card: init running.*micemu.test=card1"
echo "cards: both booted"
$P reset 1
expect 1 emu_state=0x1
expect 0 emu_state=0x2
expect 0 card_peer=0x2
echo "cards: card 1 reset, card 0 running"
$P boot 1 $F/uos.img "micemu.test=card1again micemu.action=poweroff" \
    $F/mic1.image
$P wait 1 off
expect 1 card_peer=0xffffffff
expect 0 emu_state=0x2
echo "cards: card 1 powered off"
EOF
	micemu_start -c 2 -m 256M
	micemu_wait
	check_run 0 "cards: both booted" "cards: card 1 reset, card 0 running" \
	    "cards: card 1 powered off"
	grep -q "micemu-card: action poweroff" share/w/mic1.log ||
	    fail_logs "card 1 did not power off by itself"
}
two_cards_cleanup()
{
	micemu_kill
}

atf_test_case sigterm cleanup
sigterm_head()
{
	atf_set descr "SIGTERM: micemu stops its guests and removes its files"
	atf_set timeout 600
}
sigterm_body()
{
	local hostpid

	host_script <<'EOF'
echo "script: waiting"
sleep 600
EOF
	micemu_start
	wait_for out "script: waiting"
	hostpid=$(cat share/w/host.pid)
	kill -TERM "$(cat micemu.pid)"
	micemu_wait
	check_run 1
	grep -q '^micemu: SIGTERM: stopping$' err ||
	    fail_logs "no message about the signal"
	! kill -0 "$hostpid" 2>/dev/null || fail_logs "the host guest is alive"
}
sigterm_cleanup()
{
	micemu_kill
}

atf_init_test_cases()
{
	atf_add_test_case bad_args
	atf_add_test_case script_status
	atf_add_test_case share_devices
	atf_add_test_case dma
	atf_add_test_case boot_freeze_reset
	atf_add_test_case cmdline_limit
	atf_add_test_case two_cards
	atf_add_test_case sigterm
}
