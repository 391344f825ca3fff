# SPDX-License-Identifier: BSD-2-Clause
#
# micctl(8) against a fake sysfs class of plain files in the work directory
# (MIC_SYSFS_ROOT).  In such a tree a command written to state just replaces
# its text; fakekernel plays the driver's state machine where a test needs
# one.  Messages are matched by prefix, never by strerror text.

# An empty class directory, and the micctl to test.
setup()
{
	MICCTL=$(atf_get_srcdir)/../../../usr.sbin/micctl/micctl
	[ -x "$MICCTL" ] || atf_fail "micctl is not built"
	mkdir sys || atf_fail "cannot create the fake sysfs tree"
	MIC_SYSFS_ROOT=$(pwd)/sys
	export MIC_SYSFS_ROOT
}

# mkcard name family stepping state shutdown_status
mkcard()
{
	d=sys/$1
	mkdir -p "$d"
	echo "$2" >"$d/family"
	echo "$3" >"$d/stepping"
	echo "$4" >"$d/state"
	echo "$5" >"$d/shutdown_status"
	echo linux >"$d/bootmode"
	echo >"$d/cmdline"
	echo mic/uos.img >"$d/firmware"
	echo "mic/$1.image" >"$d/ramdisk"
	echo "172.31.$((${1#mic} + 1)).1/24" >"$d/ipaddr"
}

# Three cards, created out of order, and entries that are not cards.
mkcards()
{
	setup
	mkcard mic10 x100 B1 online nop
	mkcard mic2 vmic ?? ready nop
	mkcard mic0 x100 C0 shutting_down crashed
	mkdir sys/foo sys/mic sys/micro
}

# later file text value: a helper that, once file holds text, writes value
# to it a little later.  It gives up after about 10 s.
later()
{
	(
		i=0
		while [ "$(cat "$1" 2>/dev/null)" != "$2" ]; do
			i=$((i + 1))
			[ $i -gt 200 ] && exit 1
			sleep 0.05
		done
		sleep 0.2
		echo "$3" >"$1"
	) &
}

# fakekernel card: play mic_host for card: act on boot, shutdown and reset
# written to its state, a little later, until the file "stop" exists (or
# about 20 s).  FAKE_SHUTDOWN is the shutdown_status the card reports
# (poweroff), FAKE_RESET the state a reset ends in (ready).
fakekernel()
{
	(
		d=sys/$1
		i=0
		while [ $i -lt 400 ] && [ ! -e stop ]; do
			case "$(cat "$d/state")" in
			boot)
				sleep 0.1
				echo booting >"$d/state"
				sleep 0.2
				echo online >"$d/state"
				;;
			shutdown)
				echo shutting_down >"$d/state"
				sleep 0.2
				echo "${FAKE_SHUTDOWN:-poweroff}" \
				    >"$d/shutdown_status"
				;;
			reset)
				echo resetting >"$d/state"
				sleep 0.2
				echo nop >"$d/shutdown_status"
				echo "${FAKE_RESET:-ready}" >"$d/state"
				;;
			esac
			sleep 0.05
			i=$((i + 1))
		done
	) &
}

# End the helpers.
finish()
{
	touch stop
	wait
}

atf_test_case usage
usage_head()
{
	atf_set descr "no command, an unknown command or a global option is" \
	    "a usage error listing every command"
}
usage_body()
{
	setup
	atf_check -s exit:2 -e match:'^usage: micctl command \[arg \.\.\.\]$' \
	    -e match:'^       micctl boot \[-w\] \[-t sec\] mic \.\.\.$' \
	    -e match:'^       micctl wait \[-s state\] \[-t sec\] \[mic' \
	    "$MICCTL"
	atf_check -s exit:2 -e match:'^micctl: unknown command "frob"$' \
	    -e match:'^usage: micctl command' "$MICCTL" frob
	atf_check -s exit:2 -e match:'^micctl: unknown option "-x"$' \
	    -e match:'^usage: micctl command' "$MICCTL" -x status
}

atf_test_case usage_command
usage_command_head()
{
	atf_set descr "a bad option or missing cards is a usage error with" \
	    "the command's usage, and nothing is done"
}
usage_command_body()
{
	setup
	mkcard mic0 x100 B1 ready nop
	for c in boot shutdown reset reboot; do
		atf_check -s exit:2 \
		    -e inline:"usage: micctl $c [-w] [-t sec] mic ...\n" \
		    "$MICCTL" $c
		atf_check -s exit:2 \
		    -e match:"^micctl: $c: unknown option \"-x\"" \
		    -e match:"^usage: micctl $c " "$MICCTL" $c -x mic0
		atf_check -s exit:2 \
		    -e match:"^micctl: $c: option \"-t\" needs an argument" \
		    "$MICCTL" $c -t
	done
	atf_check -s exit:2 -e match:'^micctl: status: unknown option "-w"' \
	    -e match:'^usage: micctl status \[-j\] \[mic \.\.\.\]$' \
	    "$MICCTL" status -w
	atf_check -s exit:2 -e match:'^micctl: wait: unknown option "-w"' \
	    "$MICCTL" wait -w mic0
	atf_check -o inline:"ready\n" cat sys/mic0/state
}

atf_test_case usage_card_name
usage_card_name_head()
{
	atf_set descr "a bad card name is a usage error, found before any" \
	    "card is acted on"
}
usage_card_name_body()
{
	setup
	mkcard mic0 x100 B1 ready nop
	atf_check -s exit:2 -e match:'^micctl: boot: invalid card name "foo"$' \
	    -e match:'^usage: micctl boot ' "$MICCTL" boot mic0 foo
	atf_check -o inline:"ready\n" cat sys/mic0/state
	for n in mic mic-1 mic0a ../mic0 mic1234567890 ""; do
		atf_check -s exit:2 \
		    -e match:"^micctl: status: invalid card name" \
		    "$MICCTL" status "$n"
	done
	atf_check -s exit:2 -e match:'^micctl: config: invalid card name' \
	    "$MICCTL" config eth0
}

atf_test_case usage_timeout
usage_timeout_head()
{
	atf_set descr "-t takes a whole number of seconds from 0 to 86400"
}
usage_timeout_body()
{
	setup
	mkcard mic0 x100 B1 online nop
	for t in abc -1 +1 1.5 86401 "" " 1" 99999999999999999999; do
		atf_check -s exit:2 \
		    -e match:'^micctl: wait: invalid timeout "' \
		    "$MICCTL" wait -t "$t" mic0
	done
	atf_check "$MICCTL" wait -t 86400 mic0
	atf_check "$MICCTL" wait -t 0 mic0
}

atf_test_case usage_state
usage_state_head()
{
	atf_set descr "wait -s takes only a state name"
}
usage_state_body()
{
	setup
	mkcard mic0 x100 B1 online nop
	for s in bogus ONLINE unknown boot ""; do
		atf_check -s exit:2 \
		    -e match:"^micctl: wait: invalid state \"$s\"\$" \
		    -e match:'^usage: micctl wait ' "$MICCTL" wait -s "$s" mic0
	done
}

atf_test_case status
status_head()
{
	atf_set descr "status prints an aligned table of every card in" \
	    "numeric order, with a header"
}
status_body()
{
	mkcards
	cat >expout <<'EOF'
NAME  FAMILY STEPPING STATE         SHUTDOWN_STATUS
mic0  x100   C0       shutting_down crashed
mic2  vmic   ??       ready         nop
mic10 x100   B1       online        nop
EOF
	atf_check -o file:expout "$MICCTL" status
	cat >expout <<'EOF'
NAME FAMILY STEPPING STATE SHUTDOWN_STATUS
mic2 vmic   ??       ready nop
EOF
	atf_check -o file:expout "$MICCTL" status mic2
}

atf_test_case status_named
status_named_head()
{
	atf_set descr "status with cards shows those, in the order given;" \
	    "an unknown card is an error that does not stop the others"
}
status_named_body()
{
	mkcards
	cat >expout <<'EOF'
NAME  FAMILY STEPPING STATE  SHUTDOWN_STATUS
mic10 x100   B1       online nop
mic2  vmic   ??       ready  nop
EOF
	atf_check -s exit:1 -o file:expout \
	    -e inline:"micctl: mic7: no such card\n" \
	    "$MICCTL" status mic10 mic7 mic2
}

atf_test_case status_json
status_json_head()
{
	atf_set descr "status -j prints one JSON object per card and line"
}
status_json_body()
{
	mkcards
	cat >expout <<'EOF'
{"name":"mic0","family":"x100","stepping":"C0","state":"shutting_down","shutdown_status":"crashed"}
{"name":"mic2","family":"vmic","stepping":"??","state":"ready","shutdown_status":"nop"}
{"name":"mic10","family":"x100","stepping":"B1","state":"online","shutdown_status":"nop"}
EOF
	atf_check -o file:expout "$MICCTL" status -j
	cat >expout <<'EOF'
{"name":"mic2","family":"vmic","stepping":"??","state":"ready","shutdown_status":"nop"}
EOF
	atf_check -s exit:1 -e inline:"micctl: mic3: no such card\n" \
	    -o file:expout "$MICCTL" status -j mic3 mic2
}

atf_test_case status_json_escape
status_json_escape_head()
{
	atf_set descr "status -j escapes quotes, backslashes and control" \
	    "characters"
}
status_json_escape_body()
{
	setup
	mkcard mic0 x100 B1 ready nop
	printf 'a"b\\c\td\001\n' >sys/mic0/family
	atf_check -o match:'"family":"a\\"b\\\\c\\td\\u0001",' \
	    "$MICCTL" status -j
}

atf_test_case status_empty
status_empty_head()
{
	atf_set descr "status with no card prints the header alone, -j" \
	    "nothing; a missing class directory is an error"
}
status_empty_body()
{
	setup
	atf_check -o inline:"NAME FAMILY STEPPING STATE SHUTDOWN_STATUS\n" \
	    "$MICCTL" status
	atf_check -o empty "$MICCTL" status -j
	MIC_SYSFS_ROOT=$(pwd)/nonexistent
	atf_check -s exit:1 -e match:'^micctl: status: .*/nonexistent: ' \
	    "$MICCTL" status
	atf_check -s exit:1 -e match:'^micctl: wait: .*/nonexistent: ' \
	    "$MICCTL" wait
}

atf_test_case status_unreadable
status_unreadable_head()
{
	atf_set descr "status shows what cannot be read as - (null with -j)," \
	    "says why, and exits 1"
}
status_unreadable_body()
{
	setup
	mkcard mic0 x100 B1 ready nop
	mkcard mic1 vmic ?? online nop
	rm sys/mic0/family
	rm sys/mic1/state
	mkdir sys/mic1/state
	cat >expout <<'EOF'
NAME FAMILY STEPPING STATE SHUTDOWN_STATUS
mic0 -      B1       ready nop
mic1 vmic   ??       -     nop
EOF
	atf_check -s exit:1 -o file:expout \
	    -e match:'^micctl: mic0: status: family: ' \
	    -e match:'^micctl: mic1: status: state: ' "$MICCTL" status
	cat >expout <<'EOF'
{"name":"mic0","family":null,"stepping":"B1","state":"ready","shutdown_status":"nop"}
{"name":"mic1","family":"vmic","stepping":"??","state":null,"shutdown_status":"nop"}
EOF
	atf_check -s exit:1 -o file:expout -e ignore "$MICCTL" status -j
}

atf_test_case boot
boot_head()
{
	atf_set descr "boot writes boot to the state of each ready card"
}
boot_body()
{
	setup
	mkcard mic0 x100 B1 ready nop
	mkcard mic1 x100 B1 ready nop
	atf_check "$MICCTL" boot mic0
	atf_check -o inline:"boot\n" cat sys/mic0/state
	atf_check -o inline:"ready\n" cat sys/mic1/state
	echo ready >sys/mic0/state
	atf_check "$MICCTL" boot mic1 mic0
	atf_check -o inline:"boot\n" cat sys/mic0/state
	atf_check -o inline:"boot\n" cat sys/mic1/state
}

atf_test_case boot_state
boot_state_head()
{
	atf_set descr "boot refuses a card that is not ready, and still" \
	    "boots the others"
}
boot_state_body()
{
	setup
	mkcard mic0 x100 B1 online nop
	mkcard mic1 x100 B1 ready nop
	mkcard mic2 x100 B1 shutting_down halted
	mkcard mic3 x100 B1 weird nop
	atf_check -s exit:1 \
	    -e inline:"micctl: mic0: boot: card is online, not ready\n" \
	    "$MICCTL" boot mic0 mic1
	atf_check -o inline:"online\n" cat sys/mic0/state
	atf_check -o inline:"boot\n" cat sys/mic1/state
	atf_check -s exit:1 \
	    -e match:'^micctl: mic2: boot: card is shutting_down \(halted\)' \
	    "$MICCTL" boot mic2
	atf_check -s exit:1 \
	    -e match:'^micctl: mic3: boot: card is unknown, not ready$' \
	    "$MICCTL" boot mic3
}

atf_test_case boot_nocard
boot_nocard_head()
{
	atf_set descr "a card that does not exist is reported; the others" \
	    "are still booted"
}
boot_nocard_body()
{
	setup
	mkcard mic0 x100 B1 ready nop
	atf_check -s exit:1 -e inline:"micctl: mic7: no such card\n" \
	    "$MICCTL" boot mic7 mic0
	atf_check -o inline:"boot\n" cat sys/mic0/state
	touch sys/mic8
	atf_check -s exit:1 -e inline:"micctl: mic8: no such card\n" \
	    "$MICCTL" boot mic8
}

atf_test_case boot_unreadable
boot_unreadable_head()
{
	atf_set descr "a state or shutdown_status that cannot be read is an" \
	    "error naming the attribute, and nothing is written"
}
boot_unreadable_body()
{
	setup
	mkcard mic0 x100 B1 ready nop
	mkcard mic1 x100 B1 ready nop
	rm sys/mic0/state
	ln -s nowhere sys/mic0/state
	rm sys/mic1/shutdown_status
	atf_check -s exit:1 -e match:'^micctl: mic0: boot: state: ' \
	    -e match:'^micctl: mic1: boot: shutdown_status: ' \
	    "$MICCTL" boot mic0 mic1
	atf_check -o inline:"ready\n" cat sys/mic1/state
}

atf_test_case boot_wait
boot_wait_head()
{
	atf_set descr "boot -w waits until the cards are online"
}
boot_wait_body()
{
	setup
	mkcard mic0 x100 B1 ready nop
	mkcard mic1 x100 B1 ready nop
	fakekernel mic0
	later sys/mic1/state boot online
	atf_check "$MICCTL" boot -w -t 20 mic0 mic1
	atf_check -o inline:"online\n" cat sys/mic0/state
	atf_check -o inline:"online\n" cat sys/mic1/state
	finish
}

atf_test_case boot_wait_timeout
boot_wait_timeout_head()
{
	atf_set descr "boot -w fails when the card is not online in time"
}
boot_wait_timeout_body()
{
	setup
	mkcard mic0 x100 B1 ready nop
	atf_check -s exit:1 \
	    -e match:'^micctl: mic0: boot: timed out, card is ' \
	    "$MICCTL" boot -w -t 1 mic0
	echo ready >sys/mic0/state
	atf_check -s exit:1 -e match:'^micctl: mic0: boot: timed out, ' \
	    "$MICCTL" boot -t 0 -w mic0
}

atf_test_case boot_wait_fail
boot_wait_fail_head()
{
	atf_set descr "boot -w fails at once when the card goes elsewhere" \
	    "than online"
}
boot_wait_fail_body()
{
	setup
	mkcard mic0 x100 B1 ready nop
	later sys/mic0/state boot reset_failed
	atf_check -s exit:1 \
	    -e inline:"micctl: mic0: boot: card is reset_failed, not online\n" \
	    "$MICCTL" boot -w -t 20 mic0
	finish
	echo ready >sys/mic0/state
	echo crashed >sys/mic0/shutdown_status
	later sys/mic0/state boot shutting_down
	atf_check -s exit:1 \
	    -e match:'^micctl: mic0: boot: card is shutting_down \(crashed\)' \
	    "$MICCTL" boot -w -t 20 mic0
	finish
}

atf_test_case shutdown
shutdown_head()
{
	atf_set descr "shutdown writes shutdown to the state of an online" \
	    "card, and refuses any other"
}
shutdown_body()
{
	setup
	mkcard mic0 x100 B1 online nop
	mkcard mic1 x100 B1 booting nop
	atf_check -s exit:1 \
	    -e inline:"micctl: mic1: shutdown: card is booting, not online\n" \
	    "$MICCTL" shutdown mic0 mic1
	atf_check -o inline:"shutdown\n" cat sys/mic0/state
	atf_check -o inline:"booting\n" cat sys/mic1/state
	atf_check -s exit:1 -e inline:"micctl: mic9: no such card\n" \
	    "$MICCTL" shutdown mic9
}

atf_test_case shutdown_wait
shutdown_wait_head()
{
	atf_set descr "shutdown -w waits until the card reports how it went" \
	    "down, or has been reset already"
}
shutdown_wait_body()
{
	setup
	mkcard mic0 x100 B1 online nop
	mkcard mic1 x100 B1 online nop
	fakekernel mic0
	later sys/mic1/state shutdown ready
	atf_check "$MICCTL" shutdown -w -t 20 mic0 mic1
	atf_check -o inline:"shutting_down\n" cat sys/mic0/state
	atf_check -o inline:"poweroff\n" cat sys/mic0/shutdown_status
	finish
}

atf_test_case shutdown_wait_fail
shutdown_wait_fail_head()
{
	atf_set descr "shutdown -w fails for a card that crashed, and on a" \
	    "timeout"
}
shutdown_wait_fail_body()
{
	setup
	mkcard mic0 x100 B1 online nop
	FAKE_SHUTDOWN=crashed fakekernel mic0
	atf_check -s exit:1 \
	    -e match:'^micctl: mic0: shutdown: card is shutting_down .crashed' \
	    "$MICCTL" shutdown -w -t 20 mic0
	finish
	echo online >sys/mic0/state
	echo nop >sys/mic0/shutdown_status
	atf_check -s exit:1 \
	    -e match:'^micctl: mic0: shutdown: timed out, card is ' \
	    "$MICCTL" shutdown -w -t 1 mic0
}

atf_test_case reset
reset_head()
{
	atf_set descr "reset writes reset to the state of a card that is" \
	    "neither ready nor resetting"
}
reset_body()
{
	setup
	mkcard mic0 x100 B1 online nop
	mkcard mic1 x100 B1 reset_failed nop
	mkcard mic2 x100 B1 ready nop
	mkcard mic3 x100 B1 resetting nop
	atf_check "$MICCTL" reset mic0 mic1
	atf_check -o inline:"reset\n" cat sys/mic0/state
	atf_check -o inline:"reset\n" cat sys/mic1/state
	atf_check -s exit:1 \
	    -e inline:"micctl: mic2: reset: card is already ready\n" \
	    "$MICCTL" reset mic2
	atf_check -s exit:1 \
	    -e inline:"micctl: mic3: reset: card is already resetting\n" \
	    "$MICCTL" reset mic3
}

atf_test_case reset_refused
reset_refused_head()
{
	atf_set descr "the error of a write the kernel refuses is reported"
}
reset_refused_body()
{
	setup
	mkcard mic0 x100 B1 online nop
	rm sys/mic0/state
	# Readable (as an unknown state), and every write fails.
	ln -s /proc/version sys/mic0/state
	atf_check -s exit:1 -e match:'^micctl: mic0: reset: ' \
	    "$MICCTL" reset mic0
}

atf_test_case reset_wait
reset_wait_head()
{
	atf_set descr "reset -w waits until the card is ready; reset_failed" \
	    "fails"
}
reset_wait_body()
{
	setup
	mkcard mic0 x100 B1 shutting_down halted
	mkcard mic1 x100 B1 online nop
	fakekernel mic0
	atf_check "$MICCTL" reset -w -t 20 mic0
	atf_check -o inline:"ready\n" cat sys/mic0/state
	atf_check -o inline:"nop\n" cat sys/mic0/shutdown_status
	finish
	later sys/mic1/state reset reset_failed
	atf_check -s exit:1 \
	    -e inline:"micctl: mic1: reset: card is reset_failed, not ready\n" \
	    "$MICCTL" reset -w mic1
	finish
}

atf_test_case reboot
reboot_head()
{
	atf_set descr "reboot shuts down, resets and boots an online card;" \
	    "with -w it waits until the card is online again"
}
reboot_body()
{
	setup
	mkcard mic0 x100 B1 online nop
	fakekernel mic0
	atf_check "$MICCTL" reboot -t 20 mic0
	atf_check -o match:'^(boot|booting|online)$' cat sys/mic0/state
	atf_check "$MICCTL" wait -t 20 mic0
	atf_check "$MICCTL" reboot -w -t 20 mic0
	atf_check -o inline:"online\n" cat sys/mic0/state
	atf_check -o inline:"nop\n" cat sys/mic0/shutdown_status
	finish
}

atf_test_case reboot_states
reboot_states_head()
{
	atf_set descr "reboot starts where the card's state calls for, and" \
	    "refuses a booting card"
}
reboot_states_body()
{
	setup
	mkcard mic0 x100 B1 ready nop
	mkcard mic1 x100 B1 booting nop
	mkcard mic2 x100 B1 reset_failed nop
	mkcard mic3 x100 B1 shutting_down crashed
	atf_check "$MICCTL" reboot mic0
	atf_check -o inline:"boot\n" cat sys/mic0/state
	atf_check -s exit:1 \
	    -e inline:"micctl: mic1: reboot: card is booting, not online\n" \
	    "$MICCTL" reboot mic1
	fakekernel mic2
	atf_check "$MICCTL" reboot -w -t 20 mic2
	atf_check -o inline:"online\n" cat sys/mic2/state
	finish
	rm stop
	fakekernel mic3
	atf_check "$MICCTL" reboot -w -t 20 mic3
	atf_check -o inline:"online\n" cat sys/mic3/state
	finish
	atf_check -s exit:1 -e inline:"micctl: mic4: no such card\n" \
	    "$MICCTL" reboot mic4
}

atf_test_case reboot_timeout
reboot_timeout_head()
{
	atf_set descr "reboot fails when a step does not end in time"
}
reboot_timeout_body()
{
	setup
	mkcard mic0 x100 B1 online nop
	atf_check -s exit:1 \
	    -e match:'^micctl: mic0: reboot: timed out, card is ' \
	    "$MICCTL" reboot -t 1 mic0
	atf_check -o inline:"shutdown\n" cat sys/mic0/state
}

atf_test_case wait
wait_head()
{
	atf_set descr "wait returns once every card is in the state, online" \
	    "by default, all cards if none is named"
}
wait_body()
{
	setup
	mkcard mic0 x100 B1 online nop
	mkcard mic1 x100 B1 online nop
	atf_check "$MICCTL" wait
	atf_check "$MICCTL" wait mic1
	atf_check "$MICCTL" wait -s online -t 0 mic0 mic1
	echo ready >sys/mic1/state
	atf_check "$MICCTL" wait -s ready mic1
	atf_check -s exit:1 \
	    -e match:'^micctl: mic1: wait: timed out, card is ready$' \
	    "$MICCTL" wait -t 0
	atf_check -s exit:1 -e inline:"micctl: mic5: no such card\n" \
	    "$MICCTL" wait mic5 mic0
}

atf_test_case wait_change
wait_change_head()
{
	atf_set descr "wait sees a state that changes while it waits"
}
wait_change_body()
{
	setup
	mkcard mic0 x100 B1 booting nop
	mkcard mic1 x100 B1 resetting nop
	later sys/mic0/state booting online
	later sys/mic1/state resetting ready
	atf_check "$MICCTL" wait -t 20 mic0
	atf_check "$MICCTL" wait -s ready -t 20 mic1
	finish
}

atf_test_case wait_timeout
wait_timeout_head()
{
	atf_set descr "wait fails for a card not in the state in time"
}
wait_timeout_body()
{
	setup
	mkcard mic0 x100 B1 booting nop
	mkcard mic1 x100 B1 online nop
	atf_check -s exit:1 \
	    -e inline:"micctl: mic0: wait: timed out, card is booting\n" \
	    "$MICCTL" wait -t 1
}

atf_test_case wait_reset_failed
wait_reset_failed_head()
{
	atf_set descr "wait fails at once for a card in reset_failed, unless" \
	    "that is the state waited for"
}
wait_reset_failed_body()
{
	setup
	mkcard mic0 x100 B1 reset_failed nop
	atf_check -s exit:1 \
	    -e inline:"micctl: mic0: wait: card is reset_failed, not online\n" \
	    "$MICCTL" wait -t 60 mic0
	atf_check "$MICCTL" wait -s reset_failed mic0
}

atf_test_case wait_unreadable
wait_unreadable_head()
{
	atf_set descr "wait fails for a card whose state cannot be read"
}
wait_unreadable_body()
{
	setup
	mkcard mic0 x100 B1 online nop
	rm sys/mic0/shutdown_status
	atf_check -s exit:1 -e match:'^micctl: mic0: wait: ' "$MICCTL" wait mic0
}

atf_test_case wait_none
wait_none_head()
{
	atf_set descr "wait with no card at all has nothing to wait for"
}
wait_none_body()
{
	setup
	atf_check "$MICCTL" wait -t 0
}

atf_test_case config
config_head()
{
	atf_set descr "config prints every boot attribute, or one"
}
config_body()
{
	setup
	mkcard mic1 x100 B1 ready nop
	echo "console=hvc0 quiet" >sys/mic1/cmdline
	cat >expout <<'EOF'
bootmode=linux
cmdline=console=hvc0 quiet
firmware=mic/uos.img
ipaddr=172.31.2.1/24
ramdisk=mic/mic1.image
EOF
	atf_check -o file:expout "$MICCTL" config mic1
	atf_check -o inline:"172.31.2.1/24\n" "$MICCTL" config mic1 ipaddr
	atf_check -o inline:"console=hvc0 quiet\n" "$MICCTL" config mic1 cmdline
}

atf_test_case config_set
config_set_head()
{
	atf_set descr "config with a value writes it, an empty one too"
}
config_set_body()
{
	setup
	mkcard mic0 x100 B1 ready nop
	atf_check "$MICCTL" config mic0 cmdline "a b  c"
	atf_check -o inline:"a b  c\n" cat sys/mic0/cmdline
	atf_check -o inline:"a b  c\n" "$MICCTL" config mic0 cmdline
	atf_check "$MICCTL" config mic0 ipaddr ""
	atf_check -o inline:"\n" cat sys/mic0/ipaddr
	atf_check -o inline:"ipaddr=\n" \
	    -x "\"$MICCTL\" config mic0 | grep ipaddr"
	atf_check "$MICCTL" config -- mic0 firmware mic/other.img
	atf_check -o inline:"mic/other.img\n" "$MICCTL" config mic0 firmware
	atf_check "$MICCTL" config mic0 cmdline -v
	atf_check -o inline:"-v\n" cat sys/mic0/cmdline
}

atf_test_case config_errors
config_errors_head()
{
	atf_set descr "config: bad arguments are usage errors; a missing" \
	    "card or attribute is a failure"
}
config_errors_body()
{
	setup
	mkcard mic0 x100 B1 ready nop
	atf_check -s exit:2 \
	    -e inline:"usage: micctl config mic [name [value]]\n" \
	    "$MICCTL" config
	atf_check -s exit:2 -e match:'^usage: micctl config ' \
	    "$MICCTL" config mic0 cmdline a b
	atf_check -s exit:2 \
	    -e match:'^micctl: config: unknown attribute "state"$' \
	    "$MICCTL" config mic0 state boot
	atf_check -o inline:"ready\n" cat sys/mic0/state
	atf_check -s exit:1 -e inline:"micctl: mic3: no such card\n" \
	    "$MICCTL" config mic3
	rm sys/mic0/ipaddr
	atf_check -s exit:1 -e match:'^micctl: mic0: config: ipaddr: ' \
	    -o match:'^bootmode=linux$' -o not-match:'^ipaddr' \
	    "$MICCTL" config mic0
	atf_check -s exit:1 -e match:'^micctl: mic0: config: ipaddr: ' \
	    "$MICCTL" config mic0 ipaddr
	atf_check -s exit:1 -e match:'^micctl: mic0: config: ipaddr: ' \
	    "$MICCTL" config mic0 ipaddr 1.2.3.4/24
	atf_check test ! -e sys/mic0/ipaddr
}

atf_test_case log
log_head()
{
	atf_set descr "log -r prints the card's log file from debugfs" \
	    "(MIC_DEBUGFS_ROOT) as it is; text comes out the same without -r"
}
log_body()
{
	setup
	mkcard mic0 vmic ?? online nop
	mkcard mic3 vmic ?? shutting_down crashed
	mkdir -p debug/mic_host/mic0 debug/mic_host/mic3
	MIC_DEBUGFS_ROOT=$(pwd)/debug
	export MIC_DEBUGFS_ROOT
	printf 'mic_card: device page at 0x1000\nline two\n' \
	    >debug/mic_host/mic0/log
	printf 'Kernel panic - not syncing: sysrq triggered crash' \
	    >debug/mic_host/mic3/log
	atf_check -o file:debug/mic_host/mic0/log "$MICCTL" log mic0
	atf_check -o file:debug/mic_host/mic3/log "$MICCTL" log mic3
	atf_check -o file:debug/mic_host/mic0/log "$MICCTL" log -r mic0
	dd if=/dev/urandom of=debug/mic_host/mic0/log bs=1024 count=200 \
	    2>/dev/null
	atf_check -o file:debug/mic_host/mic0/log "$MICCTL" log -r mic0
	: >debug/mic_host/mic0/log
	atf_check -o empty "$MICCTL" log mic0
	atf_check -o empty "$MICCTL" log -r mic0
}

atf_test_case log_vis
log_vis_head()
{
	atf_set descr "log encodes every byte but printable ASCII, newline" \
	    "and tab as a backslash and three octal digits (a backslash as" \
	    "two), so that the card's escape sequences never reach the" \
	    "terminal; -r leaves them as they are"
}
log_vis_body()
{
	setup
	mkcard mic0 vmic ?? online nop
	mkdir -p debug/mic_host/mic0
	MIC_DEBUGFS_ROOT=$(pwd)/debug
	export MIC_DEBUGFS_ROOT
	# ESC [2J (clear the screen), BEL, 0xff, CR, DEL, NUL, 0x80, a
	# backslash, a tab and newlines.
	printf 'ok\033[2Jclear\007bell\377ff\r\177\000\200 a\\b\tc\nend\n' \
	    >debug/mic_host/mic0/log
	printf '%s\n' 'ok\033[2Jclear\007bell\377ff\015\177\000\200 a\\b	c' \
	    'end' >expected
	atf_check -o file:expected "$MICCTL" log mic0
	atf_check -o file:debug/mic_host/mic0/log "$MICCTL" log -r mic0
	# Nothing but printable ASCII, newlines and tabs, whatever the ring
	# holds.
	dd if=/dev/urandom of=debug/mic_host/mic0/log bs=1024 count=200 \
	    2>/dev/null
	"$MICCTL" log mic0 >out || atf_fail "log failed"
	atf_check -s exit:1 env LC_ALL=C grep -q "$(printf '[^\t -~]')" out
	atf_check test "$(wc -c <out)" -gt 204800
}

atf_test_case log_errors
log_errors_head()
{
	atf_set descr "log: bad arguments are usage errors; a missing card" \
	    "or log file is a failure with a clear message"
}
log_errors_body()
{
	setup
	mkcard mic0 vmic ?? online nop
	mkcard mic1 vmic ?? ready nop
	mkdir -p debug/mic_host/mic0
	echo hello >debug/mic_host/mic0/log
	MIC_DEBUGFS_ROOT=$(pwd)/debug
	export MIC_DEBUGFS_ROOT
	atf_check -s exit:2 -e inline:"usage: micctl log [-r] mic\n" \
	    "$MICCTL" log
	atf_check -s exit:2 -e inline:"usage: micctl log [-r] mic\n" \
	    "$MICCTL" log mic0 mic1
	atf_check -s exit:2 -e match:'^micctl: log: unknown option "-x"$' \
	    -e match:'^usage: micctl log \[-r\] mic$' "$MICCTL" log -x mic0
	atf_check -s exit:2 -e match:'^micctl: log: invalid card name "foo"$' \
	    "$MICCTL" log foo
	atf_check -s exit:1 -e inline:"micctl: mic7: no such card\n" \
	    "$MICCTL" log mic7
	atf_check -s exit:1 -o empty \
	    -e match:'^micctl: mic1: log: .*/debug/mic_host/mic1/log not found' \
	    "$MICCTL" log mic1
	MIC_DEBUGFS_ROOT=$(pwd)/nodebug
	atf_check -s exit:1 -o empty \
	    -e match:'^micctl: mic0: log: .*/nodebug/mic_host/mic0/log not found' \
	    "$MICCTL" log mic0
	mkdir -p nodebug/mic_host/mic0/log
	atf_check -s exit:1 -o empty -e match:'^micctl: mic0: log: ' \
	    "$MICCTL" log mic0
}

atf_init_test_cases()
{
	atf_add_test_case usage
	atf_add_test_case usage_command
	atf_add_test_case usage_card_name
	atf_add_test_case usage_timeout
	atf_add_test_case usage_state
	atf_add_test_case status
	atf_add_test_case status_named
	atf_add_test_case status_json
	atf_add_test_case status_json_escape
	atf_add_test_case status_empty
	atf_add_test_case status_unreadable
	atf_add_test_case boot
	atf_add_test_case boot_state
	atf_add_test_case boot_nocard
	atf_add_test_case boot_unreadable
	atf_add_test_case boot_wait
	atf_add_test_case boot_wait_timeout
	atf_add_test_case boot_wait_fail
	atf_add_test_case shutdown
	atf_add_test_case shutdown_wait
	atf_add_test_case shutdown_wait_fail
	atf_add_test_case reset
	atf_add_test_case reset_refused
	atf_add_test_case reset_wait
	atf_add_test_case reboot
	atf_add_test_case reboot_states
	atf_add_test_case reboot_timeout
	atf_add_test_case wait
	atf_add_test_case wait_change
	atf_add_test_case wait_timeout
	atf_add_test_case wait_reset_failed
	atf_add_test_case wait_unreadable
	atf_add_test_case wait_none
	atf_add_test_case config
	atf_add_test_case config_set
	atf_add_test_case config_errors
	atf_add_test_case log
	atf_add_test_case log_vis
	atf_add_test_case log_errors
}
