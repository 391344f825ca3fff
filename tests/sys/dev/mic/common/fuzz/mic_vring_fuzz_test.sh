# SPDX-License-Identifier: BSD-2-Clause
#
# The ring walker under libFuzzer (mic_vring_fuzz.c), bounded for CI: the
# checked-in corpus, then a fixed seed for 60 s; any finding fails.  The
# time can be changed with `kyua -v test_suites.mic.fuzz_time=N test'.
# Long random runs are `bmake fuzz-long', not a test.

# fuzz_run log args...: run the fuzzer in the work directory; fail, with
# the end of its log and the inputs it found, if it finds anything.
fuzz_run()
{
	log=$1
	shift
	fuzz=$(atf_get_srcdir)/mic_vring_fuzz
	[ -x "$fuzz" ] || atf_fail "mic_vring_fuzz is not built"
	rc=0
	"$fuzz" -artifact_prefix="$(pwd)/" -timeout=10 "$@" >"$log" 2>&1 ||
	    rc=$?
	found=$(ls crash-* leak-* timeout-* oom-* 2>/dev/null || :)
	if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
		tail -n 60 "$log"
		for f in $found; do
			echo "input $f:"
			od -An -tx1 "$f" | head -n 40
		done
		atf_fail "mic_vring_fuzz: exit status $rc, see above"
	fi
}

atf_test_case seeds
seeds_head()
{
	atf_set descr "corpus/ holds exactly what mic_vring_seeds writes"
}
seeds_body()
{
	mkdir gen
	atf_check "$(atf_get_srcdir)/mic_vring_seeds" gen
	atf_check -o empty diff -r "$(atf_get_srcdir)/corpus" gen
	[ "$(ls gen | wc -l)" -ge 15 ] || atf_fail "too few seeds"
}

atf_test_case corpus
corpus_head()
{
	atf_set descr "Every input of the checked-in corpus runs clean " \
	    "(ASan, UBSan, the model and the shadow ring)"
}
corpus_body()
{
	fuzz_run log "$(atf_get_srcdir)"/corpus/*
	n=$(grep -c '^Executed ' log)
	[ "$n" -eq "$(ls "$(atf_get_srcdir)"/corpus | wc -l)" ] ||
	    atf_fail "ran $n inputs"
}

atf_test_case ci
ci_head()
{
	atf_set descr "60 s of fuzzing from the checked-in corpus with " \
	    "seed 1 finds nothing"
	atf_set timeout 300
}
ci_body()
{
	t=$(atf_config_get fuzz_time 60)
	mkdir corpus
	cp "$(atf_get_srcdir)"/corpus/* corpus/ || atf_fail "no corpus"
	fuzz_run log -seed=1 -max_total_time="$t" -print_final_stats=1 \
	    -max_len=4096 corpus
	# The figures, for the log: coverage at start and end, speed.
	grep -E '^#[0-9]+[[:space:]]+INITED' log
	grep -E '^#[0-9]+[[:space:]]' log | tail -n 1
	grep -E '^Done [0-9]+ runs|^stat::' log
	grep -q '^Done [0-9]* runs' log || atf_fail "the run did not end"
}

atf_init_test_cases()
{
	atf_add_test_case seeds
	atf_add_test_case corpus
	atf_add_test_case ci
}
