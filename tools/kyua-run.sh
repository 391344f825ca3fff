#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Run the Kyua suite in the given directory.  If anything did not pass, print
# kyua's verbose report of those cases (their stdout and stderr), so that a
# failure can be understood from the log alone.  The last line is
#	N passed, N failed, N skipped
# where "failed" counts every result but passed and skipped (broken
# included).  Exit 0 only if nothing failed and something passed.
set -u

dir=${1:?usage: kyua-run.sh testsdir}
cd "$dir" || exit 1
store=$(mktemp -d "${TMPDIR:-/tmp}/kyua.XXXXXX") || exit 1
trap 'rm -rf "$store"' EXIT
db="$store/results.db"
kyua() { command kyua --logfile="$store/kyua.log" "$@"; }

kyua test --results-file="$db" | tee "$store/out"
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
