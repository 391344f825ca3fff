#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# The benchmarks of DESIGN.md section 8 that exist so far, run by
# `bmake -f BSDmakefile bench':
#	bench.sh [-n count] [-k] [boot | micd | io | size ...]
# (all of them when none is named)
#
# boot: the time from writing `boot' (micctl boot mic0, in the host guest
# of micemu(8)) until the card's init starts (its line
# "micemu-card: init running" on the card's serial log), against a plain
# QEMU boot of the same card kernel, initramfs, memory, one CPU and
# command line (less micemu.* words) to the same line, timed from QEMU's
# start.  Each is run count times (3 by default), alternately, and the
# medians are printed with their ratio, then the phases of the micemu
# boot: the host loading the card (firmware and the copy through the
# aperture, until micemu logs the bootstrap IPI), micemu taking the
# image out of card memory (until it logs the card guest started), and
# the card guest's own boot.
#
# micd: micd(8) serving one online, idle card (its console): the CPU time
# of all its processes over 30 s of the host guest's clock, as a share of
# one CPU (target: under 0.5 %), and the resident memory of each of its
# processes (target: under 4 MiB per card), read from /proc in the host
# guest.  A share of a core is its own ceiling: no second run is needed.
#
# io: the card's disk and network under micd, as ratios against the
# ceiling of the link measured in the same run: the host guest's memcpy
# bandwidth to and from the card's aperture (viobench aper, pre-faulted,
# before the card boots, through the aperture BAR in sysfs, with mic_host
# unbound meanwhile).  Data the
# card sends (a disk write, TCP card -> host) is read by the host from
# the aperture, so it is set against the read ceiling; data the card
# receives, against the write ceiling.  Disk: dd of 1 MiB blocks with
# O_DIRECT on the card, 96 MiB each way, timed on the card; TCP: 64 MiB
# over HTTP (busybox httpd and wget), timed by the receiver; latency:
# ping's average round trip against the doorbell round trip (viobench
# db: a config change acknowledged by the card, a doorbell each way).
#
# size: each static binary of usr.sbin, as built and stripped.
#
# One clock: every time is taken on this machine, by date(1), when a
# line reaches a file: the host script's output (micemu's standard
# output, where the script says "bench: boot" just before micctl boot),
# micemu's -v log (its standard error) and the serial logs.  Each file
# is followed by tail -f, which inotify wakes at once, so the start and
# the end of a figure are seen with the same few milliseconds of delay.
# The guests' clocks are never used.  Debian's coreutils are assumed
# (date +%N, tail --pid, timeout).
#
# Neither micemu nor the plain QEMU gets debug boot options.  Guests run
# under emulation: run nothing else meanwhile.  A benchmark is not a
# test: it fails only if a run cannot be done.  -k keeps the work
# directory (it is kept anyway if a run fails).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
count=3
keep=0
cardmem=512M
deadline=600
qemu=${MICEMU_QEMU:-qemu-system-x86_64}
initline='micemu-card: init running'
work=
micemu_pid=
qemu_pid=

usage()
{
	echo "usage: bench.sh [-n count] [-k] [boot | micd | io | size ...]" >&2
	exit 2
}

# fail message: say why, with the end of the run's diagnostics, and stop.
fail()
{
	echo "bench: $*" >&2
	for f in "${d:-}/err" "${d:-}/plain.out"; do
		[ -s "$f" ] || continue
		echo "bench: === tail of $f" >&2
		tail -n 20 "$f" >&2
	done
	keep=1
	exit 1
}

# Stop what a run left (only the processes this script started).
cleanup()
{
	[ -z "$micemu_pid" ] || kill -TERM "$micemu_pid" 2>/dev/null
	[ -z "$qemu_pid" ] || kill -TERM "$qemu_pid" 2>/dev/null
	wait
	[ -n "$work" ] || return
	if [ "$keep" = 0 ]; then
		rm -rf "$work"
	else
		echo "bench: work directory $work kept" >&2
	fi
}

now()
{
	date +%s.%N
}

# watch file pattern stamp pid: in the background, write into stamp the
# time at which a line matching pattern reaches file; give up if process
# pid ends first.  $! is the watcher.
watch()
{
	tail -n +1 -f --pid="$4" "$1" 2>/dev/null |
	    { grep -q -m 1 -- "$2" && now >"$3"; } &
}

# elapsed stamp1 stamp2: seconds from one to the other.
elapsed()
{
	awk -v a="$(cat "$1")" -v b="$(cat "$2")" \
	    'BEGIN { printf "%.3f\n", b - a }'
}

# median column: of that column of the times file.
median()
{
	awk -v c="$1" '{ print $c }' "$work/times" | sort -n | awk '
	{ v[NR] = $1 }
	END {
		if (NR % 2)
			printf "%.3f\n", v[(NR + 1) / 2]
		else
			printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
	}'
}

# The host guest's script: tell the bench it is up, wait for its go,
# mark the start and boot, then stay until the bench has seen the line.
host_script()
{
	cat <<'EOF'
# waitfile name: until the bench makes /mnt/share/name, looking once a
# second (the host guest stays idle while the card boots).
waitfile() {
	n=0
	until [ -e /mnt/share/$1 ]; do
		n=$((n + 1))
		[ $n -le 600 ] || { echo "bench: no $1 from the bench"; exit 1; }
		sleep 1
	done
}
echo "bench: ready"
waitfile go
echo "bench: boot"
micctl boot mic0 || exit 1
waitfile done
EOF
}

# The helpers every guest script of script_run starts with: up, the
# host guest's uptime; ticks, the user and system clock ticks of all
# micd's processes.
guest_prelude()
{
	cat <<'EOF'
up() { cut -d ' ' -f 1 /proc/uptime; }
ticks() {
	u=0 k=0
	for p in $(pidof micd); do
		set -- $(sed 's/^.*) //' /proc/$p/stat)
		u=$((u + ${12})) k=$((k + ${13}))
	done
	echo "$u $k"
}
EOF
}

# script_run name [file...]: one micemu run of the guest script
# name_script (after guest_prelude), the files in its share, without
# debug boot options; d is its directory, its output in $d/out.
script_run()
{
	d=$work/$1
	mkdir -p "$d/share" || fail "cannot make $d"
	{
		guest_prelude
		"$1_script"
	} >"$work/$1.script"
	name=$1
	shift
	[ $# -eq 0 ] || cp "$@" "$d/share/" || fail "$name: cannot copy $*"
	(
		unset MICEMU_APPEND MICEMU_CARD_APPEND MICEMU_CARD_SMP \
		    MICEMU_KERNEL MICEMU_NOPVH
		export MICEMU_DATADIR="$top/share/micemu"
		exec timeout "$deadline" "$top/usr.sbin/micemu/micemu" \
		    -m "$cardmem" -w "$d/w" -S "$d/share" \
		    -s "$work/$name.script" >"$d/out" 2>"$d/err"
	) &
	micemu_pid=$!
	st=0
	wait "$micemu_pid" || st=$?
	micemu_pid=
	[ "$st" = 0 ] || fail "$name: micemu exited with status $st"
}

# The host guest's script for micd: start it with one card that boots at
# once, let the card settle, then read micd's CPU time twice, 30 s
# apart, and its memory.
micd_script()
{
	cat <<'EOF'
mkdir -p /var/log/micd /run/micd
printf 'default {\n\tboot on start yes\n}\n' >/etc/micd.conf
micd -d -f /etc/micd.conf >/tmp/micd.log 2>&1 &
micctl wait -s online -t 300 mic0 || { echo "bench: no online card"; exit 1; }
n=0
until [ -e /run/micd/mic0.console ]; do
	n=$((n + 1))
	[ $n -le 300 ] || { echo "bench: no console"; cat /tmp/micd.log; exit 1; }
	sleep 1
done
sleep 10
set -- $(ticks)
t0=$(($1 + $2))
u0=$(up)
sleep 30
set -- $(ticks)
t1=$(($1 + $2))
u1=$(up)
echo "bench: micd ticks $((t1 - t0)) hz $(getconf CLK_TCK 2>/dev/null || echo 100) seconds $u0 $u1"
for p in $(pidof micd); do
	echo "bench: micd rss $p $(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$p/status) $(tr '\0' ' ' </proc/$p/cmdline)"
done
kill -TERM $(pidof micd)
EOF
}

# The host guest's script for io.
io_script()
{
	cat <<'EOF'
set -u
export HOME=/root
B=/mnt/share/viobench
# The aperture is mic_host's while it is bound: unbind it for the ceiling.
dev=$(basename "$(readlink -f /sys/class/mic/mic0/device)")
aper=${dev%.*}.1
echo "$dev" >/sys/bus/pci/drivers/mic_host/unbind || exit 1
echo 1 >/sys/bus/pci/devices/$aper/enable || exit 1
$B aper "$aper" 64 || exit 1
echo 0 >/sys/bus/pci/devices/$aper/enable
echo "$dev" >/sys/bus/pci/drivers/mic_host/bind || exit 1
micctl wait -s ready -t 60 mic0 || exit 1
mkdir -p /var/log/micd /run/micd /tmp/www
dd if=/dev/zero of=/tmp/disk.img bs=1M count=100 2>/dev/null
printf 'default {\n\tboot on start yes\n}\ncard mic0 {\n\tdisk "/tmp/disk.img"\n}\n' >/etc/micd.conf
micd -d -f /etc/micd.conf >/tmp/micd.log 2>&1 &
micctl wait -s online -t 300 mic0 || { echo "bench: no online card"; exit 1; }
n=0
until ping -c 1 -W 1 172.31.1.1 >/dev/null 2>&1; do
	n=$((n + 1))
	[ $n -le 300 ] || { echo "bench: no network"; exit 1; }
done
$B db mic0 200 || exit 1
ping -c 20 172.31.1.1 | sed -n 's,.*min/avg/max = [0-9.]*/\([0-9.]*\)/.*,viobench: ping_rtt \1 ms,p'
# The host's CPU states every 0.1 s (uptime, then the cpu line of
# /proc/stat), for the profile of each run below.
while :; do
	echo "viobench: sample $(up) $(head -n 1 /proc/stat)"
	sleep 0.1
done >/tmp/samples &
sampler=$!
# run name MiB command: the command on the card, timed there, with the
# card's CPU states around it; the host notes when ssh returned.
run() {
	t0=$(ticks)
	ssh mic0 "up() { cut -d ' ' -f 1 /proc/uptime; }; s=\$(head -n 1 /proc/stat); a=\$(up); $3; b=\$(up); echo viobench: $1 $2 \$a \$b; echo viobench: card_stat $1 \$s \$(head -n 1 /proc/stat)" 2>/dev/null
	echo "viobench: host_end $1 $(up) $t0 $(ticks)"
}
ssh mic0 'n=0; while [ ! -e /dev/vda ] && [ $n -lt 60 ]; do sleep 1; n=$((n + 1)); done' 2>/dev/null
run disk_write 288 "for i in 1 2 3; do dd if=/dev/zero of=/dev/vda bs=1M count=96 oflag=direct 2>/dev/null; done"
run disk_read 288 "for i in 1 2 3; do dd if=/dev/vda of=/dev/null bs=1M count=96 iflag=direct 2>/dev/null; done"
dd if=/dev/urandom of=/tmp/www/data bs=1M count=64 2>/dev/null
httpd -p 8080 -h /tmp/www
run net_to_card 192 "for i in 1 2 3; do wget -q -O /dev/null http://172.31.1.254:8080/data; done"
ssh mic0 'mkdir -p /tmp/www && dd if=/dev/urandom of=/tmp/www/data bs=1M count=64 2>/dev/null && httpd -p 8080 -h /tmp/www' 2>/dev/null
a=$(up); t0=$(ticks)
for i in 1 2 3; do
	wget -q -O /dev/null http://172.31.1.1:8080/data
done
b=$(up)
echo "viobench: net_from_card 192 $a $b"
echo "viobench: host_end net_from_card $b $t0 $(ticks)"
kill $sampler
cat /tmp/samples
kill -TERM $(pidof micd)
EOF
}

# io: io_script under micemu; prints ratios against the ceilings.
io()
{
	script_run io "$top/tests/sys/dev/mic/virtio/viobench"
	tr -d '\r' <"$d/out" | awk '
	$1 != "viobench:" { next }
	$2 == "aper_write" { aw = $3 }
	$2 == "aper_read" { ar = $3 }
	$2 == "db_rtt" { db = $3 }
	$2 == "ping_rtt" { ping = $3 * 1000 }
	$2 ~ /^(disk|net)_/ { mb[$2] = $3 * 1048576 / 1e6 / ($5 - $4); n++ }
	$2 ~ /^(disk|net)_/ { dur[$2] = $5 - $4 }
	$2 == "host_end" {
		end[$3] = $4
		mu[$3] = $5; mk[$3] = $6; mu2[$3] = $7; mk2[$3] = $8
	}
	$2 == "card_stat" {
		# two cpu lines: user nice system idle iowait irq softirq
		card[$3] = states($5 + $6, $7, $8 + $9, $11, \
		    $16 + $17, $18, $19 + $20, $22)
	}
	$2 == "sample" { ns++; st[ns] = $3; for (i = 5; i <= 11; i++) \
	    sv[ns, i] = $i }
	END {
		if (!aw || !ar || !db || !ping || n != 4)
			exit 1
		printf "io: ceiling: memcpy to the aperture %.0f MB/s, " \
		    "from it %.0f MB/s\n", aw, ar
		printf "io: disk write %.1f MB/s = %.3f of the ceiling " \
		    "(from the aperture)\n", mb["disk_write"],
		    mb["disk_write"] / ar
		printf "io: disk read %.1f MB/s = %.3f of the ceiling " \
		    "(to the aperture)\n", mb["disk_read"], mb["disk_read"] / aw
		printf "io: tcp card -> host %.1f MB/s = %.3f of the " \
		    "ceiling\n", mb["net_from_card"], mb["net_from_card"] / ar
		printf "io: tcp host -> card %.1f MB/s = %.3f of the " \
		    "ceiling\n", mb["net_to_card"], mb["net_to_card"] / aw
		printf "io: ping %.0f us / doorbell round trip %.0f us = " \
		    "%.1f\n", ping, db, ping / db
		for (w in end) {
			# The host samples inside the run, as the card timed it.
			a = 0
			for (i = 1; i <= ns; i++) {
				if (st[i] < end[w] - dur[w])
					continue
				if (!a)
					a = i
				b = i
				if (st[i] > end[w])
					break
			}
			host = "?"
			if (a && b > a)
				host = states(sv[a, 5] + sv[a, 6], sv[a, 7], \
				    sv[a, 8] + sv[a, 9], sv[a, 11], sv[b, 5] + \
				    sv[b, 6], sv[b, 7], sv[b, 8] + sv[b, 9], sv[b, 11])
			printf "io: where the time goes, %s: host %s, of which " \
			    "micd %.0f%%; card %s\n", w, host, \
			    (mu2[w] + mk2[w] - mu[w] - mk[w]) / \
			    (dur[w] > 0 ? dur[w] : 1), card[w]
		}
	}
	# states u0 k0 i0 q0 u1 k1 i1 q1: CPU shares between two readings
	# (user, system, idle and iowait, softirq).
	function states(u0, k0, i0, q0, u1, k1, i1, q1,    t) {
		t = (u1 - u0) + (k1 - k0) + (i1 - i0) + (q1 - q0)
		if (t <= 0)
			return "?"
		return sprintf("user %.0f%% system %.0f%% softirq %.0f%% " \
		    "idle %.0f%%", 100 * (u1 - u0) / t, 100 * (k1 - k0) / t, \
		    100 * (q1 - q0) / t, 100 * (i1 - i0) / t)
	}' || fail "io: no figures in $d/out"
}

# micd: micd_script under micemu; prints its figures.
micd()
{
	script_run micd
	tr -d '\r' <"$d/out" | awk '
	$1 == "bench:" && $2 == "micd" && $3 == "ticks" {
		printf "micd: cpu %.3f %% of a core (%d ticks in %.1f s), " \
		    "one idle online card\n", 100 * $4 / $6 / ($9 - $8), $4,
		    $9 - $8
		found = 1
	}
	$1 == "bench:" && $2 == "micd" && $3 == "rss" {
		printf "micd: rss %.2f MiB, pid %s:", $5 / 1024, $4
		for (i = 6; i <= NF; i++)
			printf " %s", $i
		printf "\n"
	}
	END { exit !found }' || fail "micd: no figures in $d/out"
}

# run_micemu dir: one boot under micemu; stamps boot, ipi, start, init.
run_micemu()
{
	d=$1
	mkdir -p "$d/share" || fail "cannot make $d"
	: >"$d/out"
	: >"$d/err"
	(
		unset MICEMU_APPEND MICEMU_CARD_APPEND MICEMU_CARD_SMP \
		    MICEMU_KERNEL MICEMU_NOPVH
		export MICEMU_DATADIR="$top/share/micemu"
		exec timeout "$deadline" "$top/usr.sbin/micemu/micemu" -v \
		    -m "$cardmem" -w "$d/w" -S "$d/share" -s "$work/script" \
		    >"$d/out" 2>"$d/err"
	) &
	micemu_pid=$!
	watch "$d/out" '^bench: ready' "$d/ready" "$micemu_pid"
	wait $!
	[ -s "$d/ready" ] || fail "micemu: the host script did not start"
	# micemu has cleared its work directory: the log can be followed.
	touch "$d/w/mic0.log"
	watch "$d/out" '^bench: boot' "$d/boot" "$micemu_pid"
	watch "$d/err" 'mic0: bootstrap IPI$' "$d/ipi" "$micemu_pid"
	watch "$d/err" 'mic0: card guest started' "$d/start" "$micemu_pid"
	watch "$d/w/mic0.log" "$initline" "$d/init" "$micemu_pid"
	w=$!
	touch "$d/share/go"
	wait $w
	touch "$d/share/done"
	st=0
	wait "$micemu_pid" || st=$?
	micemu_pid=
	wait
	[ "$st" = 0 ] || fail "micemu exited with status $st"
	for s in boot ipi start init; do
		[ -s "$d/$s" ] || fail "micemu: no $s time"
	done
}

# What the card guest booted: the kernel micemu logged, the command line
# the card's kernel printed, less micemu's own words.
card_setup()
{
	d=$1
	kernel=$(sed -n 's/.*mic0: bootstrap: .*, booting //p' "$d/err")
	[ -r "$kernel" ] || fail "cannot tell the card kernel from $d/err"
	cmdline=$(sed -n 's/^\[ *0\.0*\] Command line: //p' "$d/w/mic0.log" |
	    head -n 1 | tr -d '\r' | tr ' ' '\n' | grep -v '^micemu\.' |
	    grep -v '^$' | tr '\n' ' ')
	cmdline=${cmdline% }
	[ -n "$cmdline" ] || fail "no command line in $d/w/mic0.log"
}

# run_plain dir: the same card on a plain QEMU; stamps qemu, init.
run_plain()
{
	d=$1
	mkdir -p "$d" || fail "cannot make $d"
	: >"$d/plain.log"
	now >"$d/qemu"
	timeout "$deadline" "$qemu" -machine pc,accel=tcg -smp 1 \
	    -m "$cardmem" -nodefaults -no-user-config -display none \
	    -no-reboot -kernel "$kernel" -initrd "$top/share/micemu/card.img" \
	    -append "$cmdline" -chardev \
	    "file,id=con,path=$(echo "$d/plain.log" | sed 's/,/,,/g'),append=on" \
	    -serial chardev:con </dev/null >"$d/plain.out" 2>&1 &
	qemu_pid=$!
	watch "$d/plain.log" "$initline" "$d/init" "$qemu_pid"
	w=$!
	wait $w
	kill -TERM "$qemu_pid" 2>/dev/null
	wait "$qemu_pid"
	qemu_pid=
	[ -s "$d/init" ] || fail "plain QEMU: no \"$initline\" in $d/plain.log"
}

# boot: count runs of each, alternately; a line of the times file per
# round: micemu's boot, its three phases, the plain QEMU boot.
boot()
{
	i=1
	while [ $i -le "$count" ]; do
		m=$work/micemu.$i
		p=$work/plain.$i
		run_micemu "$m"
		[ $i -gt 1 ] || card_setup "$m"
		run_plain "$p"
		echo "$(elapsed "$m/boot" "$m/init")" \
		    "$(elapsed "$m/boot" "$m/ipi")" \
		    "$(elapsed "$m/ipi" "$m/start")" \
		    "$(elapsed "$m/start" "$m/init")" \
		    "$(elapsed "$p/qemu" "$p/init")" >>"$work/times"
		i=$((i + 1))
	done
	awk -v a="$(median 1)" -v b="$(median 5)" -v n="$count" 'BEGIN {
		printf "boot: %.2f (micemu %.2f s / plain qemu %.2f s), " \
		    "median of %d\n", a / b, a, b, n
	}'
	awk -v l="$(median 2)" -v e="$(median 3)" -v c="$(median 4)" 'BEGIN {
		printf "boot: micemu phases: host load %.2f s, bootstrap " \
		    "%.2f s, card guest %.2f s\n", l, e, c
	}'
}

# Each static program of usr.sbin: its size as built, and stripped.
sizes()
{
	for p in "$top"/usr.sbin/*/; do
		p=${p%/}
		f=$p/${p##*/}
		if ! [ -x "$f" ] || ! file "$f" | grep -q 'statically linked'
		then
			continue
		fi
		strip -o "$work/stripped" "$f" || fail "cannot strip $f"
		echo "size: ${p##*/} $(wc -c <"$f" | tr -d ' ') bytes" \
		    "($(wc -c <"$work/stripped" | tr -d ' ') stripped)"
	done
}

while getopts kn: ch; do
	case $ch in
	k) keep=1 ;;
	n) count=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- boot micd io size
for b; do
	case $b in
	boot|micd|io|size) ;;
	*) usage ;;
	esac
done
case $count in
''|*[!0-9]*|0) usage ;;
esac
case $(now) in
*N|*[!0-9.]*) echo "bench: date(1) has no %N" >&2; exit 1 ;;
esac
for f in usr.sbin/micemu/micemu usr.sbin/micctl/micctl usr.sbin/micd/micd \
    share/micemu/host.img share/micemu/card.img share/micemu/vmlinux \
    sys/dev/mic/host/mic_host.ko sys/dev/mic/card/mic_card.ko; do
	[ -e "$top/$f" ] || fail "$f is not built"
done
if ps -eo comm= | grep -q '^qemu-system'; then
	echo "bench: warning: other QEMU guests are running:" \
	    "the figures will be off" >&2
fi
load=$(cut -d ' ' -f 1 /proc/loadavg)
if awk -v l="$load" 'BEGIN { exit !(l >= 1) }'; then
	echo "bench: warning: load average $load: the figures may be off" >&2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX") || exit 1
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
host_script >"$work/script"
for b; do
	case $b in
	boot) boot ;;
	micd) micd ;;
	io) io ;;
	size) sizes ;;
	esac
done
