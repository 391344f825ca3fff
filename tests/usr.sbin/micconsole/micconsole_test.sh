# SPDX-License-Identifier: BSD-2-Clause
#
# micconsole(8) against a fake console: fakecons makes a pty as micd(8)
# does and links its slave at $MICD_RUNDIR/mic0.console; it writes a
# greeting, records in the file received what micconsole sends, and with
# -e echoes it.  MIC_SYSFS_ROOT is a fake class directory, for the "no such
# card" check.  Every wait has a deadline; messages are matched by prefix,
# never by strerror text.

setup()
{
	MICCONSOLE=$(atf_get_srcdir)/../../../usr.sbin/micconsole/micconsole
	FAKE=$(atf_get_srcdir)/fakecons
	[ -x "$MICCONSOLE" ] || atf_fail "micconsole is not built"
	[ -x "$FAKE" ] || atf_fail "fakecons is not built"
	mkdir -p run sys/mic0 || atf_fail "cannot create the fake trees"
	MICD_RUNDIR=$(pwd)/run
	MIC_SYSFS_ROOT=$(pwd)/sys
	export MICD_RUNDIR MIC_SYSFS_ROOT
}

# waitfor what command ...: until command succeeds, for at most 10 s.
waitfor()
{
	what=$1
	shift
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -le 200 ] || atf_fail "no $what within 10 s"
		sleep 0.05
	done
}

# fake [option ...]: a fake console for mic0, in the background, with its
# pid in the file fakepid; it is ready once the link is there.
fake()
{
	rm -f run/mic0.console
	"$FAKE" "$@" run mic0 received 3>&- 4>&- &
	echo $! >fakepid
	waitfor "console link" test -L run/mic0.console
}

# unfake: end the fake console; it removes the link.
unfake()
{
	kill -TERM "$(cat fakepid)"
	wait "$(cat fakepid)"
	rm fakepid
}

kill_fake()
{
	[ -f fakepid ] && kill -TERM "$(cat fakepid)" 2>/dev/null
	[ -f conspid ] && kill -KILL "$(cat conspid)" 2>/dev/null
	true
}

has()
{
	grep -q "$1" "$2"
}

atf_test_case usage
usage_head()
{
	atf_set descr "no card, two cards, an unknown option, a bad wait or" \
	    "timeout, or a bad card name is a usage error (exit 2)"
}
usage_body()
{
	setup
	u='usage: micconsole [-t timeout] [-w wait] mic\n'
	atf_check -s exit:2 -o empty -e inline:"$u" "$MICCONSOLE"
	atf_check -s exit:2 -o empty -e inline:"$u" "$MICCONSOLE" mic0 mic1
	atf_check -s exit:2 -o empty \
	    -e inline:"micconsole: unknown option \"-x\"\n$u" \
	    "$MICCONSOLE" -x mic0
	atf_check -s exit:2 -o empty \
	    -e inline:"micconsole: option \"-w\" needs an argument\n$u" \
	    "$MICCONSOLE" -w
	atf_check -s exit:2 -o empty \
	    -e inline:"micconsole: invalid wait \"-1\"\n$u" \
	    "$MICCONSOLE" -w -1 mic0
	atf_check -s exit:2 -o empty \
	    -e inline:"micconsole: invalid wait \"1s\"\n$u" \
	    "$MICCONSOLE" -w 1s mic0
	atf_check -s exit:2 -o empty \
	    -e inline:"micconsole: invalid timeout \"0\"\n$u" \
	    "$MICCONSOLE" -t 0 mic0
	atf_check -s exit:2 -o empty \
	    -e inline:"micconsole: invalid timeout \"86401\"\n$u" \
	    "$MICCONSOLE" -t 86401 mic0
	atf_check -s exit:2 -o empty \
	    -e inline:"micconsole: invalid card name \"foo\"\n$u" \
	    "$MICCONSOLE" foo
}

atf_test_case missing
missing_head()
{
	atf_set descr "a card that does not exist, a card without a console" \
	    "and a link that is not micd's pty are failures (exit 1)"
}
missing_body()
{
	setup
	atf_check -s exit:1 -o empty \
	    -e inline:"micconsole: mic7: no such card\n" \
	    "$MICCONSOLE" mic7 </dev/null
	atf_check -s exit:1 -o empty -e inline:"micconsole: mic0:\
 $MICD_RUNDIR/mic0.console: no console; is micd running?\n" \
	    "$MICCONSOLE" mic0 </dev/null
	ln -s /dev/null run/mic0.console
	atf_check -s exit:1 -o empty -e inline:"micconsole: mic0:\
 $MICD_RUNDIR/mic0.console: not a console of micd\n" \
	    "$MICCONSOLE" mic0 </dev/null
	rm run/mic0.console
	ln -s /nonexistent/pts/9 run/mic0.console
	atf_check -s exit:1 -o empty \
	    -e match:"^micconsole: mic0: $MICD_RUNDIR/mic0.console: " \
	    "$MICCONSOLE" mic0 </dev/null
}

atf_test_case passthrough cleanup
passthrough_head()
{
	atf_set descr "with stdin not a terminal, bytes pass both ways as they" \
	    "are, \"~.\", NUL and CR included; at the end of the input" \
	    "micconsole prints the console until it is quiet, and exits 0"
	atf_set timeout 30
}
passthrough_body()
{
	setup
	fake -e -g "card: hello
"
	printf 'abc\r\n~.\000x~~\n' >in
	atf_check -s exit:0 -o save:out -e empty \
	    "$MICCONSOLE" -w 1 mic0 <in
	printf 'card: hello\n' >want
	cat in >>want
	atf_check -o file:want cat out
	atf_check -o file:in cat received
	unfake
}
passthrough_cleanup()
{
	kill_fake
}

atf_test_case bulk cleanup
bulk_head()
{
	atf_set descr "256 KiB of random bytes reach the console and come" \
	    "back unchanged, whatever the pty buffers hold at a time"
	atf_set timeout 60
}
bulk_body()
{
	setup
	fake -e
	head -c 262144 /dev/urandom >in
	atf_check -s exit:0 -o save:out -e empty \
	    "$MICCONSOLE" -w 2 -t 50 mic0 <in
	atf_check cmp in received
	atf_check cmp in out
	unfake
}
bulk_cleanup()
{
	kill_fake
}

atf_test_case in_use cleanup
in_use_head()
{
	atf_set descr "a second micconsole on the same console is refused"
	atf_set timeout 30
}
in_use_body()
{
	setup
	fake -g "up
"
	mkfifo input
	"$MICCONSOLE" mic0 <input >out 2>err &
	echo $! >conspid
	exec 3>input
	waitfor "the first micconsole" has up out
	atf_check -s exit:1 -o empty \
	    -e inline:"micconsole: mic0: console in use by another micconsole\n" \
	    "$MICCONSOLE" mic0 </dev/null
	exec 3>&-
	wait "$(cat conspid)" || atf_fail "the first micconsole failed"
	rm conspid
	unfake
}
in_use_cleanup()
{
	kill_fake
}

atf_test_case timeout cleanup
timeout_head()
{
	atf_set descr "-t ends a session that is still going after that many" \
	    "seconds with a message and exit 1"
	atf_set timeout 30
}
timeout_body()
{
	setup
	fake -g "up
"
	mkfifo input
	exec 3<>input
	atf_check -s exit:1 -o inline:"up\n" \
	    -e inline:"micconsole: mic0: timeout\n" \
	    "$MICCONSOLE" -t 0.5 mic0 <input
	exec 3>&-
	unfake
}
timeout_cleanup()
{
	kill_fake
}

atf_test_case reconnect cleanup
reconnect_head()
{
	atf_set descr "when the console goes away (micd restarts) micconsole" \
	    "says so, waits, and goes on with the new one when it comes back"
	atf_set timeout 30
}
reconnect_body()
{
	setup
	fake -e -g "one
"
	mkfifo input
	"$MICCONSOLE" -w 1 mic0 <input >out 2>err &
	echo $! >conspid
	exec 3>input
	printf 'a\n' >&3
	waitfor "the echo of a" has '^a$' out
	unfake
	waitfor "the message of a console gone" has 'gone' err
	fake -e -g "two
"
	waitfor "the message of a console back" has 'back' err
	printf 'b\n' >&3
	waitfor "the echo of b" has '^b$' out
	exec 3>&-
	wait "$(cat conspid)" || atf_fail "micconsole failed"
	rm conspid
	atf_check -o inline:"one\na\ntwo\nb\n" cat out
	atf_check -o inline:"\
micconsole: mic0: console gone, waiting for it to come back
micconsole: mic0: console back
" cat err
	atf_check -o inline:"a\nb\n" cat received
	unfake
}
reconnect_cleanup()
{
	kill_fake
}

atf_test_case terminal cleanup
terminal_head()
{
	atf_set descr "on a terminal, \"~.\" at the start of a line detaches" \
	    "(exit 0), \"~~\" there sends one \"~\", a \"~\" elsewhere is sent"
	atf_set require.progs script
	atf_set timeout 30
}
terminal_body()
{
	setup
	fake -g "hi
"
	mkfifo input
	script -qec "$MICCONSOLE mic0" /dev/null <input >out &
	echo $! >conspid
	exec 3>input
	waitfor "the attach message" has 'attached' out
	printf 'x~y\r~~z\r' >&3
	waitfor "the typed line" has 'z' received
	printf '~.' >&3
	wait "$(cat conspid)" || atf_fail "micconsole did not exit 0"
	rm conspid
	exec 3>&-
	atf_check -o inline:'x~y\r~z\r' cat received
	atf_check -o match:'^micconsole: mic0: attached; "~\." at the start' \
	    -o match:'^hi' -o match:'micconsole: mic0: detached' cat out
	unfake
}
terminal_cleanup()
{
	kill_fake
}

atf_init_test_cases()
{
	atf_add_test_case usage
	atf_add_test_case missing
	atf_add_test_case passthrough
	atf_add_test_case bulk
	atf_add_test_case in_use
	atf_add_test_case timeout
	atf_add_test_case reconnect
	atf_add_test_case terminal
}
