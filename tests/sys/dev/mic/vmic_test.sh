# SPDX-License-Identifier: BSD-2-Clause
#
# vmic.subr's own judgement, without a VM: the kernel log scan of
# vmic_check (vmic_logscan) fails on each kind of line a sick kernel
# prints (a warning, BUG, Oops, soft lockup, RCU stall, hung task) and
# passes a clean boot log; vmic_check fails a run whose host log has one.

. "$(atf_get_srcdir)/vmic.subr"

# A clean boot, as the host guest prints it, with lines that look alike.
clean_log()
{
	cat <<'EOF2'
[    0.000000] Linux version 6.1.0-57-amd64 (debian-kernel@lists.debian.org)
[    0.000000] Command line: console=ttyS0 panic=-1 sysctl.kernel.hung_task_timeout_secs=30
[    0.151000] rcu: Preemptible hierarchical RCU implementation.
[    0.152000] rcu: RCU calculated value of scheduler-enlistment delay is 25 jiffies.
[    0.400000] watchdog: Disabling watchdog on nohz_full cores by default
[    2.300000] mic_host 0000:00:10.0: mic0: vmic, ready
[   30.100000] mic_host 0000:00:10.0: mic0: the card did not acknowledge the removal in 10 s
EOF2
}

# failcheck message: fail, with what vmic_check printed on stderr.
failcheck()
{
	cat check >&2
	atf_fail "$1"
}

# check_run: vmic_check -c on the files here, in a subshell where
# atf_fail prints its message and exits 1, its output in ./check.
check_run()
{
	echo 0 >status
	: >out
	(
		atf_fail() {
			echo "vmic_check failed: $*"
			exit 1
		}
		vmic_check -c
	) >check 2>&1
}

# scan_bad line: a clean log with the line in its middle fails the scan,
# which prints that line alone, after the log's name and line number;
# every log named is scanned, a missing one is clean.
scan_bad()
{
	local got

	{
		clean_log | head -n 4
		printf '%s\n' "$1"
		clean_log | tail -n +5
	} >host.log
	clean_log >mic0.log
	if got=$(vmic_logscan mic0.log nonexistent.log host.log); then
		atf_fail "vmic_logscan passed a log with: $1"
	fi
	[ "$got" = "host.log:5:$1" ] ||
	    atf_fail "vmic_logscan printed \"$got\", not the line"
}

# bad_case name line: a case of scan_bad.
bad_case()
{
	atf_test_case "$1"
	eval "LINE_$1=\$2"
	eval "$1_head() { atf_set descr \"vmic_logscan fails on a $1 line\"; }"
	eval "$1_body() { scan_bad \"\$LINE_$1\"; }"
}

bad_case soft_lockup \
    "[   52.310000] watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [kworker/1:2:97]"
bad_case hung_task \
    "[   61.000000] INFO: task x:1 blocked for more than 30 seconds."
bad_case rcu_self \
    "[   70.000000] rcu: INFO: rcu_sched self-detected stall on CPU"
bad_case rcu_preempt \
    "[   70.000000] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:"
bad_case warning \
    "[   12.000000] WARNING: CPU: 0 PID: 120 at mic_virtio.c:10 f+0x1/0x2 [mic_host]"
bad_case bug \
    "[   12.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008"
bad_case oops \
    "[   12.000000] Oops: 0000 [#1] PREEMPT SMP NOPTI"

atf_test_case clean
clean_head()
{
	atf_set descr "a clean boot log: vmic_logscan passes and prints" \
	    "nothing, vmic_check passes the run"
}
clean_body()
{
	local got

	clean_log >host.log
	got=$(vmic_logscan host.log) || atf_fail "vmic_logscan failed: $got"
	[ -z "$got" ] || atf_fail "vmic_logscan printed \"$got\""
	mkdir -p share/w
	clean_log >share/w/host.log
	check_run || failcheck "vmic_check failed a clean run"
}

atf_test_case all_three
all_three_head()
{
	atf_set descr "a host log with a soft lockup, a hung task and an RCU" \
	    "stall: vmic_check fails the run, showing the three lines"
}
all_three_body()
{
	mkdir -p share/w
	{
		clean_log
		echo "[   52.3] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [sh:1]"
		echo "[   61.0] INFO: task x:1 blocked for more than 30 seconds."
		echo "[   70.0] rcu: INFO: rcu_sched self-detected stall on CPU"
	} >share/w/host.log
	check_run && failcheck "vmic_check passed"
	grep -q "^vmic_check failed: .*hung task in a kernel log" check ||
	    failcheck "vmic_check did not fail for the log"
	[ "$(grep -c "^share/w/host.log:[0-9]*:.*\(soft lockup\|blocked for more\|self-detected stall\)" check)" = 3 ] ||
	    failcheck "vmic_check did not show the three lines"
	# A log file missing is a failure too: the host's console is kept.
	rm share/w/host.log
	check_run && atf_fail "vmic_check passed without a host log"
	return 0
}

atf_init_test_cases()
{
	atf_add_test_case clean
	atf_add_test_case soft_lockup
	atf_add_test_case hung_task
	atf_add_test_case rcu_self
	atf_add_test_case rcu_preempt
	atf_add_test_case warning
	atf_add_test_case bug
	atf_add_test_case oops
	atf_add_test_case all_three
}
