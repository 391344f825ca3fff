# SPDX-License-Identifier: BSD-2-Clause
#
# The README's main job (tools/demo.sh) runs to its end: micd boots the
# virtual card through the real driver, its log is read back, a command
# runs on its console through micconsole, ping and ssh reach it, and a
# file system is made on its disk.

atf_test_case demo
demo_head()
{
	atf_set descr "tools/demo.sh without a terminal boots mic0 online," \
	    "shows the card's log, its console, network and disk; it exits 0"
	atf_set timeout 1200
}
demo_body()
{
	top=$(atf_get_srcdir)/../..
	TMPDIR=$PWD "$top/tools/demo.sh" </dev/null >out 2>&1
	st=$?
	cat out
	[ $st -eq 0 ] || atf_fail "demo.sh exited $st"
	grep -Eq '^mic0 +vmic +[^ ]+ +online +nop *$' out ||
	    atf_fail "no online status line"
	grep -q 'mic_card .*device page at' out ||
	    atf_fail "the card's log does not show mic_card's device page"
	grep -q '^Linux card 6\.1\.' out ||
	    atf_fail "no uname -a from the card's console"
	grep -q '^card says 42' out ||
	    atf_fail "the command on the card's console did not run"
	grep -q '2 packets transmitted, 2 packets received' out ||
	    atf_fail "no ping of mic0"
	[ "$(grep -c '^Linux card 6\.1\.' out)" -ge 2 ] ||
	    atf_fail "no uname -a through ssh mic0"
	grep -q '^/dev/vda .* /mnt$' out ||
	    atf_fail "no file system on the card's disk"
	! grep -Eq 'WARNING|BUG|Oops' out || atf_fail "a kernel warning"
}

atf_init_test_cases()
{
	atf_add_test_case demo
}
