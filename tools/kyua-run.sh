#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# kyua-run.sh [-l n] testsdir
#
# Run the Kyua suite in the given directory.  If anything did not pass, print
# kyua's verbose report of those cases (their stdout and stderr), so that a
# failure can be understood from the log alone.  The last line is
#	N passed, N failed, N skipped
# where "failed" counts every result but passed and skipped (broken
# included).  Exit 0 only if nothing failed and something passed.
#
# -l n runs n busy-looping processes beside the whole run, at the run's own
# priority, so that the suite shows it does not depend on timing (bmake
# test LOAD=n).  They end with the run, however it ends: killed by the
# trap, and each also stops by itself once this script is gone.
set -u

usage()
{
	echo "usage: kyua-run.sh [-l n] testsdir" >&2
	exit 2
}

load=0
while getopts l: o; do
	case $o in
	l) load=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
case $load in
''|*[!0-9]*) usage ;;
esac
dir=$1
cd "$dir" || exit 1
store=$(mktemp -d "${TMPDIR:-/tmp}/kyua.XXXXXX") || exit 1
spinners=
run=
cleanup()
{
	# shellcheck disable=SC2086
	[ -z "$spinners" ] || kill $spinners 2>/dev/null
	rm -rf "$store"
}
# signalled status: pass the signal on to kyua, and exit.
signalled()
{
	[ -z "$run" ] || kill -TERM "$run" 2>/dev/null
	exit "$1"
}
trap cleanup EXIT
trap 'signalled 129' HUP
trap 'signalled 130' INT
trap 'signalled 143' TERM
db="$store/results.db"
kyua() { command kyua --logfile="$store/kyua.log" "$@"; }

# spin: burn a CPU until this script is gone (in case no trap runs).
spin()
{
	while kill -0 $$ 2>/dev/null; do
		i=0
		while [ $i -lt 100000 ]; do
			i=$((i + 1))
		done
	done
}
n=0
while [ $n -lt "$load" ]; do
	spin </dev/null >/dev/null 2>&1 &
	spinners="$spinners $!"
	n=$((n + 1))
done
[ "$load" -eq 0 ] ||
    echo "kyua-run: $load busy loop(s) beside the run:$spinners"

# kyua in the background (the shell runs a trap only once the command it
# waits for is done, and wait(1) is a command a signal ends), its output
# shown as it comes and kept.
mkfifo "$store/fifo" || exit 1
tee "$store/out" <"$store/fifo" &
tee=$!
(exec kyua --logfile="$store/kyua.log" test --results-file="$db") \
    >"$store/fifo" &
run=$!
wait "$run"
run=
wait "$tee"
counts=$(awk '
/  ->  passed/	{ p++; next }
/  ->  skipped/	{ s++; next }
/  ->  /	{ f++ }
END		{ printf "%d %d %d\n", p, f, s }
' "$store/out")
set -- $counts
if [ "$2" -gt 0 ]; then
	kyua report --results-file="$db" --verbose \
	    --results-filter=broken,failed,xfail 2>&1
fi
echo "$1 passed, $2 failed, $3 skipped"
[ "$2" -eq 0 ] && [ "$1" -gt 0 ]
