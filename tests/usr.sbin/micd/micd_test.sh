# SPDX-License-Identifier: BSD-2-Clause
#
# micd(8).  micd -n on good and bad configurations against golden files:
# conf/NAME.conf with the expected standard output NAME.out, or standard
# error NAME.err.  Then the card lifecycle against a fake sysfs class of
# plain files (MIC_SYSFS_ROOT), with micd -d -v in the background logging
# to the file log: in such a tree what micd writes to state stays there as
# text until the test, playing the driver, writes a state.  Every wait has
# a deadline; messages are matched by prefix, never by strerror text.

# The micd to test and the golden files.
setup()
{
	MICD=$(atf_get_srcdir)/../../../usr.sbin/micd/micd
	CONF=$(atf_get_srcdir)/conf
	[ -x "$MICD" ] || atf_fail "micd is not built"
}

# mkconf file line ...: a configuration of card mic0 with these settings,
# and, after setup_sys, its card processes run as $TESTUSER (last, so that
# the lines of the settings are 2, 3...).
mkconf()
{
	f=$1
	shift
	{
		echo 'card mic0 {'
		for l in "$@"; do
			printf '\t%s\n' "$l"
		done
		echo '}'
		[ -z "${TESTUSER:-}" ] || echo "user $TESTUSER"
	} >"$f"
}

# repeat n char: char n times.
repeat()
{
	printf "%$1s" "" | tr ' ' "$2"
}

atf_test_case usage
usage_head()
{
	atf_set descr "an unknown option, a missing argument or an operand" \
	    "is a usage error"
}
usage_body()
{
	setup
	u='usage: micd [-dnvx] [-f file] [-p pidfile]\n'
	atf_check -s exit:2 -o empty \
	    -e inline:"micd: unknown option \"-y\"\n$u" "$MICD" -y
	atf_check -s exit:2 -o empty \
	    -e inline:"micd: option \"-f\" needs an argument\n$u" \
	    "$MICD" -n -f
	atf_check -s exit:2 -o empty -e inline:"$u" "$MICD" -n card
}

atf_test_case good
good_head()
{
	atf_set descr "micd -n prints each good configuration with every" \
	    "setting resolved, as in the golden file, and exits 0"
}
good_body()
{
	setup
	for f in "$CONF"/good-*.conf; do
		n=$(basename "$f")
		cp "$f" "$n" || atf_fail "cannot copy $f"
		atf_check -s exit:0 -o file:"${f%.conf}.out" -e empty \
		    "$MICD" -n -f "$n"
	done
}

atf_test_case roundtrip
roundtrip_head()
{
	atf_set descr "what micd -n prints parses again to the same output"
}
roundtrip_body()
{
	setup
	for f in "$CONF"/good-*.conf "$CONF"/good-*.out; do
		n=$(basename "$f")
		"$MICD" -n -f "$f" >"$n.1" || atf_fail "micd -n $f failed"
		atf_check -s exit:0 -o file:"$n.1" -e empty \
		    "$MICD" -n -f "$n.1"
	done
}

atf_test_case bad
bad_head()
{
	atf_set descr "micd -n reports every error of each bad configuration" \
	    "as file:line: message, as in the golden file, and exits 2"
}
bad_body()
{
	setup
	for f in "$CONF"/bad-*.conf; do
		n=$(basename "$f")
		cp "$f" "$n" || atf_fail "cannot copy $f"
		atf_check -s exit:2 -o empty -e file:"${f%.conf}.err" \
		    "$MICD" -n -f "$n"
	done
}

# limits_conf n: card mic0 with every value at its limit, and n disks.
limits_conf()
{
	echo 'card mic0 {'
	printf '\tcmdline "%s"\n' "$(repeat 2000 c)"
	printf '\tfirmware "%s"\n' "$(repeat 255 f)"
	printf '\tconsole log "/%s"\n' "$(repeat 1022 l)"
	printf '\tdisk "/%s"\n' "$(repeat 1022 d)"
	i=2
	while [ $i -le $1 ]; do
		printf '\tdisk "/d%d"\n' $i
		i=$((i + 1))
	done
	echo '}'
}

atf_test_case limits
limits_head()
{
	atf_set descr "values at their limits are accepted, one byte or one" \
	    "disk more is out of range"
}
limits_body()
{
	setup
	limits_conf 16 >ok.conf
	atf_check -s exit:0 -o save:ok.out -e empty "$MICD" -n -f ok.conf
	atf_check -s exit:0 -o file:ok.out -e empty "$MICD" -n -f ok.out
	atf_check -o inline:"16\n" grep -c '^	disk "/' ok.out
	limits_conf 17 >more.conf
	atf_check -s exit:2 -o empty \
	    -e inline:"micd: more.conf:21: too many disks (at most 16)\n" \
	    "$MICD" -n -f more.conf

	mkconf long.conf "cmdline \"$(repeat 2001 c)\"" \
	    "firmware \"$(repeat 256 f)\"" \
	    "console log \"/$(repeat 1023 l)\"" \
	    "disk \"/$(repeat 1023 d)\"" \
	    "ramdisk \"$(repeat 4096 r)\"" \
	    "$(repeat 4096 w)"
	atf_check -s exit:2 -o empty -e inline:"\
micd: long.conf:2: cmdline longer than 2000 bytes
micd: long.conf:3: firmware longer than 255 bytes
micd: long.conf:4: console log longer than 1023 bytes
micd: long.conf:5: disk longer than 1023 bytes
micd: long.conf:6: string longer than 4095 bytes
micd: long.conf:7: word longer than 4095 bytes
" "$MICD" -n -f long.conf

	{
		printf 'card mic0 {\n}\n'
		head -c 1048570 /dev/zero | tr '\000' '#'
	} >big.conf
	atf_check -s exit:2 -o empty \
	    -e inline:"micd: big.conf: larger than 1048576 bytes\n" \
	    "$MICD" -n -f big.conf
}

atf_test_case chars
chars_head()
{
	atf_set descr "control characters, NUL and DEL are errors, in a" \
	    "string or not; in a comment they do not count"
}
chars_body()
{
	setup
	printf 'card mic0 {\n\tcmdline "a"\001\n\tcmdline "\177"\n' >chars.conf
	printf '\tfirmware "aZ"\n\t# a comment: \001Z\n}\nZ\n' | \
	    tr Z '\000' >>chars.conf
	atf_check -s exit:2 -o empty -e inline:"\
micd: chars.conf:2: invalid character 0x01
micd: chars.conf:3: invalid character 0x7f in string
micd: chars.conf:4: invalid character 0x00 in string
micd: chars.conf:7: invalid character 0x00
" "$MICD" -n -f chars.conf
}

atf_test_case unreadable
unreadable_head()
{
	atf_set descr "a configuration file that cannot be read is a failure" \
	    "(exit 1), not a syntax error"
}
unreadable_body()
{
	setup
	atf_check -s exit:1 -o empty -e match:'^micd: missing\.conf: ' \
	    "$MICD" -n -f missing.conf
	mkdir dir.conf
	atf_check -s exit:1 -o empty -e match:'^micd: dir\.conf: ' \
	    "$MICD" -n -f dir.conf
}

# The lifecycle: a fake sysfs class, and micd in the background.

# An empty class directory in sys/, an empty dev/ (no card has a character
# device: adding a device fails), the consoles' links in run/ (and the
# card processes' empty root, run/empty).  The card processes run as
# nobody: micd's default user, _micd, need not exist on a test machine.
setup_sys()
{
	setup
	TESTUSER=nobody
	id "$TESTUSER" >/dev/null 2>&1 || atf_skip "no user $TESTUSER"
	mkdir sys dev run || atf_fail "cannot create the fake trees"
	MIC_SYSFS_ROOT=$(pwd)/sys
	MIC_DEV_ROOT=$(pwd)/dev
	MICD_RUNDIR=$(pwd)/run
	export MIC_SYSFS_ROOT MIC_DEV_ROOT MICD_RUNDIR
	export MICD_HOSTS=$(pwd)/hosts MICD_TUN=$(pwd)/tun	# no tap
}

# mkcard name state [shutdown_status]
mkcard()
{
	mkdir -p "sys/$1"
	echo "$2" >"sys/$1/state"
	echo "${3:-nop}" >"sys/$1/shutdown_status"
	for a in cmdline firmware ramdisk ipaddr; do
		echo >"sys/$1/$a"
	done
}

# setattr name attr value: change an attribute, as the driver would.
setattr()
{
	echo "$3" >"sys/$1/$2"
}

# waitfor what command ...: until command succeeds, for at most 10 s.
waitfor()
{
	what=$1
	shift
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 200 ]; then
			echo "--- the log of micd:" >&2
			cat log >&2
			atf_fail "no $what within 10 s"
		fi
		sleep 0.05
	done
}

attr_is()
{
	[ "$(cat "sys/$1/$2")" = "$3" ]
}

# waitattr name attr value
waitattr()
{
	waitfor "\"$3\" in $1/$2" attr_is "$1" "$2" "$3"
}

loglines()
{
	[ "$(grep -c -- "$1" log)" -ge "$2" ]
}

# waitlog regex [n]: until n (1) lines of the log match regex.
waitlog()
{
	waitfor "\"$1\" in the log" loglines "$1" "${2:-1}"
}

gone()
{
	[ ! -e "/proc/$1" ] || grep -q '^[0-9]* (.*) Z' "/proc/$1/stat"
}

# start [option ...]: micd -d -v on micd.conf in the background (without
# the test's descriptor 3).
start()
{
	"$MICD" -d -v -f micd.conf -p "$(pwd)/micd.pid" "$@" 2>>log 3>&- &
	echo $! >bgpid
	waitlog '^micd: started$'
}

# stop: SIGTERM; micd exits 0 and removes its pid file.
stop()
{
	pid=$(cat bgpid)
	kill -TERM "$pid"
	wait "$pid"
	rv=$?
	[ $rv -eq 0 ] || atf_fail "micd exited with status $rv"
	[ ! -e micd.pid ] || atf_fail "the pid file is still there"
	rm bgpid
}

# down name status: the card goes down with status; micd resets it; the
# reset completes.
down()
{
	setattr "$1" shutdown_status "$2"
	setattr "$1" state shutting_down
	waitattr "$1" state reset
	setattr "$1" state resetting
	setattr "$1" shutdown_status nop
	setattr "$1" state ready
}

# After a failed case: kill what is left (the card processes follow).
kill_micd()
{
	[ -f bgpid ] && kill -KILL "$(cat bgpid)" 2>/dev/null
	[ -f daemonpid ] && kill -KILL "$(cat daemonpid)" 2>/dev/null
	true
}

atf_test_case boot_on_start cleanup
boot_on_start_head()
{
	atf_set descr "at start, micd writes the boot settings of each ready" \
	    "card, configured or not, then boot to its state"
	atf_set timeout 30
}
boot_on_start_body()
{
	setup_sys
	mkcard mic0 ready
	mkcard mic1 ready
	cat >micd.conf <<EOF
card mic0 {
	firmware "mic/test.img"
	ramdisk "mic/test.image"
	cmdline "console=hvc0 quiet"
	address 10.1.0.2/24
}
card mic5 {
}
user $TESTUSER
EOF
	start
	waitlog '^micd: mic5: configured, but there is no such card$'
	waitattr mic0 state boot
	waitattr mic1 state boot
	atf_check -o inline:"10.1.0.2/24\n" cat sys/mic0/ipaddr
	atf_check -o inline:"console=hvc0 quiet\n" cat sys/mic0/cmdline
	atf_check -o inline:"mic/test.img\n" cat sys/mic0/firmware
	atf_check -o inline:"mic/test.image\n" cat sys/mic0/ramdisk
	atf_check -o inline:"172.31.2.1/24\n" cat sys/mic1/ipaddr
	atf_check -o inline:"\n" cat sys/mic1/cmdline
	atf_check -o inline:"mic/uos.img\n" cat sys/mic1/firmware
	atf_check -o inline:"mic/mic1.image\n" cat sys/mic1/ramdisk
	stop
	atf_check -o inline:"ipaddr\ncmdline\nfirmware\nramdisk\nstate\n" \
	    sed -n 's/^micd: mic0: write ".*" to //p' log
	atf_check -o match:'^micd: mic0: boot$' -o match:'^micd: mic1: boot$' \
	    cat log
}
boot_on_start_cleanup()
{
	kill_micd
}

atf_test_case no_boot_on_start cleanup
no_boot_on_start_head()
{
	atf_set descr "a card with boot on start no is left ready; a card" \
	    "found up is left as it is"
	atf_set timeout 30
}
no_boot_on_start_body()
{
	setup_sys
	mkcard mic0 ready
	mkcard mic1 online
	mkcard mic2 ready
	cat >micd.conf <<EOF
default {
	boot on start no
}
card mic2 {
	boot on start yes
}
user $TESTUSER
EOF
	start
	waitattr mic2 state boot
	waitlog '^micd: mic0: state ready$'
	waitlog '^micd: mic1: state online$'
	stop
	atf_check -o inline:"ready\n" cat sys/mic0/state
	atf_check -o inline:"\n" cat sys/mic0/ipaddr
	atf_check -o inline:"online\n" cat sys/mic1/state
	atf_check -s exit:1 -o empty grep -E '^micd: mic[01]: write' log
}
no_boot_on_start_cleanup()
{
	kill_micd
}

atf_test_case restart cleanup
restart_head()
{
	atf_set descr "a card shutting down is reset once its final status" \
	    "is known, and after restart booted again when ready"
	atf_set timeout 30
}
restart_body()
{
	setup_sys
	mkcard mic0 online
	mkconf micd.conf 'cmdline "again"'
	start
	waitlog '^micd: mic0: state online$'
	setattr mic0 state shutting_down
	waitlog '^micd: mic0: state shutting_down$'
	setattr mic0 shutdown_status restart
	waitattr mic0 state reset
	setattr mic0 state resetting
	waitlog '^micd: mic0: state resetting$'
	setattr mic0 shutdown_status nop
	setattr mic0 state ready
	waitattr mic0 state boot
	atf_check -o inline:"again\n" cat sys/mic0/cmdline
	atf_check -o inline:"172.31.1.1/24\n" cat sys/mic0/ipaddr
	stop
	atf_check -o inline:"1\n" grep -c '^micd: mic0: write "reset"' log
	atf_check -o match:'^micd: mic0: shutdown_status restart$' \
	    -o match:'^micd: mic0: reset after restart, will boot$' cat log
}
restart_cleanup()
{
	kill_micd
}

atf_test_case down_no_boot cleanup
down_no_boot_head()
{
	atf_set descr "a card that crashed (reboot on crash off by default)," \
	    "halted or powered off is reset and not booted"
	atf_set timeout 30
}
down_no_boot_body()
{
	setup_sys
	mkcard mic0 online
	mkconf micd.conf
	start
	n=0
	for s in crashed halted poweroff; do
		waitlog '^micd: mic0: state online$' $((n + 1))
		down mic0 $s
		n=$((n + 1))
		waitlog '^micd: mic0: state ready$' $n
		waitlog "^micd: mic0: reset after $s\$"
		setattr mic0 state online
	done
	waitlog '^micd: mic0: state online$' 4
	stop
	atf_check -o inline:"3\n" grep -c '^micd: mic0: write "reset"' log
	atf_check -s exit:1 -o empty grep '^micd: mic0: write "boot"' log
}
down_no_boot_cleanup()
{
	kill_micd
}

atf_test_case crash_reboot cleanup
crash_reboot_head()
{
	atf_set descr "with reboot on crash yes, a crashed card is reset and" \
	    "booted again"
	atf_set timeout 30
}
crash_reboot_body()
{
	setup_sys
	mkcard mic0 online
	mkconf micd.conf 'reboot on crash yes'
	start
	waitlog '^micd: mic0: state online$'
	down mic0 crashed
	waitattr mic0 state boot
	stop
	atf_check -o match:'^micd: mic0: reset after crashed, will boot$' \
	    cat log
}
crash_reboot_cleanup()
{
	kill_micd
}

atf_test_case lost_reboot cleanup
lost_reboot_head()
{
	atf_set descr "with reboot on crash yes, a card the host declared" \
	    "lost (its heartbeat stopped) is reset and booted again"
	atf_set timeout 30
}
lost_reboot_body()
{
	setup_sys
	mkcard mic0 online
	mkconf micd.conf 'reboot on crash yes'
	start
	waitlog '^micd: mic0: state online$'
	down mic0 lost
	waitattr mic0 state boot
	stop
	atf_check -o match:'^micd: mic0: reset after lost, will boot$' \
	    cat log
}
lost_reboot_cleanup()
{
	kill_micd
}

atf_test_case found_down cleanup
found_down_head()
{
	atf_set descr "a card found shut down at start is reset, and booted" \
	    "again after restart"
	atf_set timeout 30
}
found_down_body()
{
	setup_sys
	mkcard mic0 shutting_down restart
	mkconf micd.conf 'boot on start no'
	start
	waitattr mic0 state reset
	setattr mic0 shutdown_status nop
	setattr mic0 state ready
	waitattr mic0 state boot
	stop
}
found_down_cleanup()
{
	kill_micd
}

atf_test_case sigterm cleanup
sigterm_head()
{
	atf_set descr "the pid file holds micd's pid; on SIGTERM micd ends" \
	    "its card processes, removes the pid file and exits 0"
	atf_set timeout 30
}
sigterm_body()
{
	setup_sys
	mkcard mic0 online
	mkcard mic1 online
	mkconf micd.conf
	start
	atf_check -o inline:"$(cat bgpid)\n" cat micd.pid
	waitlog '^micd: mic0: state online$'
	waitlog '^micd: mic1: state online$'
	kids=$(sed -n 's/^micd: mic[01]: card process \([0-9]*\)$/\1/p' log)
	[ $(echo $kids | wc -w) -eq 2 ] || atf_fail "no card processes"
	stop
	for k in $kids; do
		gone $k || atf_fail "card process $k is still running"
	done
	atf_check -o match:'^micd: exiting on signal 15$' cat log
}
sigterm_cleanup()
{
	kill_micd
}

atf_test_case parent_killed cleanup
parent_killed_head()
{
	atf_set descr "when micd is killed its card processes exit, and a" \
	    "new micd starts despite the stale pid file"
	atf_set timeout 30
}
parent_killed_body()
{
	setup_sys
	mkcard mic0 online
	mkconf micd.conf
	start
	waitlog '^micd: mic0: state online$'
	kid=$(sed -n 's/^micd: mic0: card process \([0-9]*\)$/\1/p' log)
	[ -n "$kid" ] || atf_fail "no card process"
	kill -KILL "$(cat bgpid)"
	wait "$(cat bgpid)"
	waitfor "exit of the card process" gone "$kid"
	[ -e micd.pid ] || atf_fail "no stale pid file"
	start
	waitlog '^micd: mic0: state online$' 2
	stop
}
parent_killed_cleanup()
{
	kill_micd
}

atf_test_case sighup cleanup
sighup_head()
{
	atf_set descr "SIGHUP reloads micd.conf: a broken one is reported as" \
	    "file:line and the old one stays; a good one is used from the" \
	    "next boot; new cards get a process"
	atf_set timeout 30
}
sighup_body()
{
	setup_sys
	mkcard mic0 online
	mkconf micd.conf 'cmdline "one"'
	start
	waitlog '^micd: mic0: state online$'
	mkconf micd.conf 'cmdline "two"' 'frob'
	kill -HUP "$(cat bgpid)"
	waitlog '^micd: micd.conf: not reloaded'
	atf_check -o match:'^micd: micd.conf:3: unknown keyword "frob"$' \
	    cat log
	kill -0 "$(cat bgpid)" || atf_fail "micd is gone"
	down mic0 restart
	waitattr mic0 state boot
	atf_check -o inline:"one\n" cat sys/mic0/cmdline

	mkconf micd.conf 'cmdline "two"'
	mkcard mic1 ready
	kill -HUP "$(cat bgpid)"
	waitlog '^micd: mic0: new configuration$'
	waitattr mic1 state boot
	setattr mic0 state online
	down mic0 restart
	waitattr mic0 state boot
	atf_check -o inline:"two\n" cat sys/mic0/cmdline
	stop
}
sighup_cleanup()
{
	kill_micd
}

atf_test_case daemon cleanup
daemon_head()
{
	atf_set descr "without -d micd detaches, writes its pid file, and" \
	    "removes it on SIGTERM"
	atf_set timeout 30
}
daemon_body()
{
	setup_sys
	mkcard mic0 online
	mkconf micd.conf
	atf_check -s exit:0 -o empty -e empty \
	    "$MICD" -f "$(pwd)/micd.conf" -p "$(pwd)/micd.pid"
	waitfor "the pid file" test -s micd.pid
	pid=$(cat micd.pid)
	echo "$pid" >daemonpid
	kill -0 "$pid" || atf_fail "micd is not running"
	kill -TERM "$pid"
	waitfor "the removal of the pid file" test ! -e micd.pid
	waitfor "the exit of micd" gone "$pid"
	rm daemonpid
}
daemon_cleanup()
{
	kill_micd
}

atf_test_case startup_errors cleanup
startup_errors_head()
{
	atf_set descr "micd refuses to start with a bad configuration (exit" \
	    "2) or while another micd holds the pid file (exit 1)"
	atf_set timeout 30
}
startup_errors_body()
{
	setup_sys
	mkcard mic0 online
	mkconf micd.conf 'boot on start maybe'
	atf_check -s exit:2 -o empty -e inline:"\
micd: micd.conf:2: expected \"yes\" or \"no\", got \"maybe\"
" "$MICD" -d -f micd.conf -p "$(pwd)/micd.pid"
	[ ! -e micd.pid ] || atf_fail "a pid file was written"
	mkconf micd.conf
	start
	atf_check -s exit:1 -o empty \
	    -e match:'^micd: /.*/micd\.pid: locked by another micd$' \
	    "$MICD" -d -f micd.conf -p "$(pwd)/micd.pid"
	stop
}
startup_errors_cleanup()
{
	kill_micd
}

# The console's pty, without a kernel: the device cannot be added.

is_tty()
{
	[ -c "$1" ] && [ "$(stat -L -c %a "$1")" = 600 ]
}

# The pid of the card process of card name, from micd -v's log: the last.
cardpid()
{
	sed -n "s/^micd: $1: card process \([0-9]*\)\$/\1/p" log | tail -n 1
}

# sandboxed pid: the process runs as $TESTUSER in run/empty, with seccomp
# filters and no_new_privs.
sandboxed()
{
	uid=$(id -u "$TESTUSER")
	t=$(printf '\t')
	grep -qx "Uid:$t$uid$t$uid$t$uid$t$uid" "/proc/$1/status" ||
	    atf_fail "card process $1 does not run as $TESTUSER"
	grep -qx "Seccomp:${t}2" "/proc/$1/status" ||
	    atf_fail "card process $1 has no seccomp filter"
	grep -qx "NoNewPrivs:${t}1" "/proc/$1/status" ||
	    atf_fail "card process $1 has no no_new_privs"
	[ "$(readlink "/proc/$1/root")" = "$MICD_RUNDIR/empty" ] ||
	    atf_fail "card process $1 is not chrooted to run/empty"
}

atf_test_case sandbox cleanup
sandbox_head()
{
	atf_set descr "card processes run as the configured user, chrooted to" \
	    "an empty MICD_RUNDIR/empty, with no_new_privs and seccomp; with" \
	    "-x, SIGUSR1 makes one call socket(2): it is killed, logged with" \
	    "the call's number, and started again, sandboxed"
	atf_set require.user root
	atf_set timeout 30
}
sandbox_body()
{
	setup_sys
	mkcard mic0 online
	mkconf micd.conf
	start -x
	waitlog '^micd: mic0: state online$'
	kid=$(cardpid mic0)
	[ -n "$kid" ] || atf_fail "no card process"
	sandboxed "$kid"
	atf_check -o empty ls -A run/empty
	atf_check -o match:'^d.* root ' ls -ld run/empty
	atf_check -o inline:"755\n" stat -c %a run/empty
	kill -USR1 "$kid"
	waitlog '^micd: mic0: card process killed by seccomp: system call 41$'
	waitlog '^micd: mic0: card process starts again in 1000 ms$'
	waitlog '^micd: mic0: state online$' 2
	new=$(cardpid mic0)
	[ "$new" != "$kid" ] || atf_fail "no new card process"
	sandboxed "$new"
	stop
}
sandbox_cleanup()
{
	kill_micd
}

atf_test_case no_user cleanup
no_user_head()
{
	atf_set descr "micd does not start if the user of micd.conf does not" \
	    "exist (exit 1), and keeps the configuration in use if a reload" \
	    "names such a user"
	atf_set require.user root
	atf_set timeout 30
}
no_user_body()
{
	setup_sys
	mkcard mic0 online
	u=micd-no-such-user
	id "$u" >/dev/null 2>&1 && atf_skip "there is a user $u"
	printf 'user %s\n' "$u" >micd.conf
	atf_check -s exit:1 -o empty -e inline:"micd: user $u: no such user\n" \
	    "$MICD" -d -f micd.conf -p "$(pwd)/micd.pid"
	mkconf micd.conf
	start
	waitlog '^micd: mic0: state online$'
	printf 'user %s\n' "$u" >micd.conf
	kill -HUP "$(cat bgpid)"
	waitlog '^micd: micd.conf: not reloaded'
	atf_check -o match:"^micd: user $u: no such user\$" cat log
	stop
}
no_user_cleanup()
{
	kill_micd
}

atf_test_case console cleanup
console_head()
{
	atf_set descr "each card process links a raw pty of mode 0600 at" \
	    "MICD_RUNDIR/micN.console, says why the device is not added," \
	    "and removes the link on SIGTERM"
	atf_set timeout 30
}
console_body()
{
	setup_sys
	mkcard mic0 online
	mkcard mic1 ready
	printf 'default {\n\tboot on start no\n}\nuser %s\n' "$TESTUSER" \
	    >micd.conf
	start
	waitlog '^micd: mic0: console: '"$MICD_RUNDIR"'/mic0.console on /dev/'
	waitlog '^micd: mic1: console: '"$MICD_RUNDIR"'/mic1.console on /dev/'
	waitlog '^micd: mic0: console: cannot add the device: '"$MIC_DEV_ROOT"'/mic0: '
	is_tty run/mic0.console || atf_fail "mic0.console is not a 0600 tty"
	is_tty run/mic1.console || atf_fail "mic1.console is not a 0600 tty"
	atf_check -o match:'-icanon' -o match:'-echo ' \
	    stty -F run/mic0.console -a
	stop
	atf_check -s exit:1 -o empty grep 'mic1: console: cannot add' log
	[ ! -e run/mic0.console ] || atf_fail "mic0.console is still there"
	[ ! -e run/mic1.console ] || atf_fail "mic1.console is still there"
}
console_cleanup()
{
	kill_micd
}

atf_test_case console_micconsole cleanup
console_micconsole_head()
{
	atf_set descr "micconsole attaches to micd's pty, and when micd" \
	    "restarts it says so and attaches to the new one"
	atf_set timeout 30
}
console_micconsole_body()
{
	setup_sys
	MICCONSOLE=$(atf_get_srcdir)/../../../usr.sbin/micconsole/micconsole
	[ -x "$MICCONSOLE" ] || atf_fail "micconsole is not built"
	mkcard mic0 online
	mkconf micd.conf
	start
	waitlog '^micd: mic0: console: .* on /dev/'
	mkfifo input
	"$MICCONSOLE" mic0 <input >out 2>err 3>&- &
	echo $! >conspid
	exec 3>input
	printf 'typed to nobody\n' >&3
	stop
	waitfor "the message of a console gone" grep -q gone err
	start
	waitfor "the message of a console back" grep -q back err
	exec 3>&-
	wait "$(cat conspid)" || atf_fail "micconsole failed"
	rm conspid
	stop
	atf_check -o inline:"\
micconsole: mic0: console gone, waiting for it to come back
micconsole: mic0: console back
" cat err
}
console_micconsole_cleanup()
{
	kill_micd
	[ -f conspid ] && kill -KILL "$(cat conspid)" 2>/dev/null
	true
}

atf_init_test_cases()
{
	atf_add_test_case usage
	atf_add_test_case good
	atf_add_test_case roundtrip
	atf_add_test_case bad
	atf_add_test_case limits
	atf_add_test_case chars
	atf_add_test_case unreadable
	atf_add_test_case boot_on_start
	atf_add_test_case no_boot_on_start
	atf_add_test_case restart
	atf_add_test_case down_no_boot
	atf_add_test_case crash_reboot
	atf_add_test_case lost_reboot
	atf_add_test_case found_down
	atf_add_test_case sigterm
	atf_add_test_case parent_killed
	atf_add_test_case sighup
	atf_add_test_case daemon
	atf_add_test_case startup_errors
	atf_add_test_case sandbox
	atf_add_test_case no_user
	atf_add_test_case console
	atf_add_test_case console_micconsole
}
