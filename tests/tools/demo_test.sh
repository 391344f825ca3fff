# SPDX-License-Identifier: BSD-2-Clause
#
# The README's main job (tools/demo.sh) runs to its end: the virtual card
# boots through the real driver, goes online, and its log is read back.

atf_test_case demo
demo_head()
{
	atf_set descr "tools/demo.sh without a terminal boots mic0 online" \
	    "and shows the card's log; it exits 0"
	atf_set timeout 600
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
	! grep -Eq 'WARNING|BUG|Oops' out || atf_fail "a kernel warning"
}

atf_init_test_cases()
{
	atf_add_test_case demo
}
