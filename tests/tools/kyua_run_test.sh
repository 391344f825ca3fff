# SPDX-License-Identifier: BSD-2-Clause
#
# tools/kyua-run.sh on a small suite of its own: the last line and the
# exit status, and -l n (bmake test LOAD=n): the busy loops run beside
# the suite and are gone when it ends, passed, failed or killed.

kyua_run()
{
	echo "$(atf_get_srcdir)/../../tools/kyua-run.sh"
}

# suite dir body: a suite of one test program, fake_test, with one case
# whose body is the given shell code.
suite()
{
	mkdir -p "$1"
	cat >"$1/Kyuafile" <<'EOF2'
syntax(2)
test_suite("fake")
atf_test_program{name="fake_test"}
EOF2
	cat >"$1/fake_test" <<EOF2
#! /usr/bin/env atf-sh
atf_test_case one
one_head() { atf_set timeout 900; }
one_body() { $2; }
atf_init_test_cases() { atf_add_test_case one; }
EOF2
	chmod +x "$1/fake_test"
}

# waitfor what command...: until it succeeds, for at most 300 s.
waitfor()
{
	local what=$1 n=0

	shift
	until "$@"; do
		n=$((n + 1))
		[ $n -le 3000 ] || atf_fail "no $what in 300 s"
		sleep 0.1
	done
}

# spinners file: the pids of the busy loops the run said it started.
spinners()
{
	sed -n 's/^kyua-run: [0-9]* busy loop(s) beside the run://p' "$1"
}

# gone pid...: none of them runs (a zombie still counts as running).
gone()
{
	local p

	for p in "$@"; do
		kill -0 "$p" 2>/dev/null && return 1
	done
	return 0
}

# busy pid: it runs, and is not waiting.
busy()
{
	[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = R ]
}

atf_test_case load
load_head()
{
	atf_set descr "-l 2: two busy loops run beside a passing suite, and" \
	    "both are gone at its end; the last line counts the cases"
	atf_set timeout 600
}
load_body()
{
	local pids p

	suite s "touch $PWD/ran"
	atf_check -o save:out -e empty "$(kyua_run)" -l 2 s
	[ -e ran ] || atf_fail "the suite did not run"
	atf_check -o inline:"1 passed, 0 failed, 0 skipped\n" tail -n 1 out
	pids=$(spinners out)
	set -- $pids
	[ $# -eq 2 ] || atf_fail "not two busy loops: $pids"
	waitfor "end of the busy loops" gone $pids
}

atf_test_case load_failed
load_failed_head()
{
	atf_set descr "-l 1 and a failing suite: exit 1, and the busy loop" \
	    "is gone"
	atf_set timeout 600
}
load_failed_body()
{
	suite s "atf_fail meant"
	atf_check -s exit:1 -o save:out -e ignore "$(kyua_run)" -l 1 s
	atf_check -o inline:"0 passed, 1 failed, 0 skipped\n" tail -n 1 out
	[ -n "$(spinners out)" ] || atf_fail "no busy loop"
	# shellcheck disable=SC2046
	waitfor "end of the busy loop" gone $(spinners out)
}

atf_test_case load_killed
load_killed_head()
{
	atf_set descr "-l 1, the run killed with SIGTERM while a case runs:" \
	    "it exits at once, and the busy loop, which was running, is gone"
	atf_set timeout 600
}
load_killed_body()
{
	local pid st=0

	suite s "touch $PWD/started; n=0; until [ -e $PWD/go ] || [ \$n -ge 3000 ]; do sleep 0.1; n=\$((n + 1)); done"
	"$(kyua_run)" -l 1 s >out 2>err &
	pid=$!
	waitfor "start of the case" test -e started
	[ -n "$(spinners out)" ] || atf_fail "no busy loop"
	# shellcheck disable=SC2046
	busy $(spinners out) || atf_fail "the busy loop does not run"
	kill -TERM $pid
	wait $pid || st=$?
	[ $st -eq 143 ] || atf_fail "kyua-run.sh exited $st, not 143"
	# shellcheck disable=SC2046
	waitfor "end of the busy loop" gone $(spinners out)
	touch go
}

atf_test_case usage
usage_head()
{
	atf_set descr "a bad -l or no directory is a usage error (exit 2)"
}
usage_body()
{
	atf_check -s exit:2 -e match:'^usage: kyua-run.sh ' "$(kyua_run)" \
	    -l x .
	atf_check -s exit:2 -e match:'^usage: kyua-run.sh ' "$(kyua_run)" \
	    -l 1
	atf_check -s exit:2 -e match:'^usage: kyua-run.sh ' "$(kyua_run)"
}

atf_init_test_cases()
{
	atf_add_test_case load
	atf_add_test_case load_failed
	atf_add_test_case load_killed
	atf_add_test_case usage
}
