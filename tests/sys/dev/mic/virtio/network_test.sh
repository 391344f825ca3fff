# SPDX-License-Identifier: BSD-2-Clause
#
# The card's network, served by micd over a tap in the host guest: ping
# both ways, 64 MiB each way over TCP (HTTP: busybox httpd and wget on
# both ends) with matching checksums, `ssh mic0 uname -a' from the host
# (dropbear on the card, the host's key installed by the image build, the
# name from micd's block in /etc/hosts); and two cards, each with its
# network and a disk, busy at the same time.

VMIC_TOOLS=
. "$(atf_get_srcdir)/../vmic.subr"
. "$(atf_get_srcdir)/virtio.subr"

# The host script's helpers for the network.
NETWORK_PRELUDE='
# netwait card address: until the card answers a ping.
netwait() {
	waitfor 300 ping -c 1 -W 1 $2 >/dev/null ||
	    fail "$1: no answer from $2: $(ip addr; tail -n 20 /tmp/micd.log)"
}
# md5 file: its checksum alone.
md5() {
	set -- $(md5sum <"$1")
	echo $1
}
'

network_script()
{
	{
		echo "$NETWORK_PRELUDE"
		cat
	} | virtio_script
}

vmic_case -t 2700 net "ping both ways, 64 MiB each way over TCP with matching" \
    "checksums, ssh mic0 uname -a"
net_body()
{
	network_script <<'EOF2'
micd_up mic0
netwait mic0 172.31.1.1
ip addr show mic0 | grep -q "inet 172.31.1.254/24" ||
    fail "tap mic0: not 172.31.1.254/24: $(ip addr show mic0)"
ping -c 3 172.31.1.1 || fail "host -> card ping"
echo "net: host pings the card"
con_do 'ping -c 3 172.31.1.254; echo "ping-status $?"'
con_new "^ping-status 0" || fail "card -> host ping: $(tail -c 400 /tmp/mic0.out)"
echo "net: the card pings the host"
# Host to card: the card fetches 64 MiB from the host's httpd.
mkdir -p /tmp/www
dd if=/dev/urandom of=/tmp/www/data bs=1M count=64 2>/dev/null
sum=$(md5 /tmp/www/data)
httpd -p 8080 -h /tmp/www || fail "httpd on the host"
con_do 'wget -q -O - http://172.31.1.254:8080/data | md5sum' 900
con_new "^$sum" || fail "host -> card: checksums differ: $sum, $(tail -c 300 /tmp/mic0.out)"
echo "net: 64 MiB host -> card, checksums match"
# Card to host: the host fetches 64 MiB from the card's httpd.
con_do 'mkdir -p /tmp/www && dd if=/dev/urandom of=/tmp/www/data bs=1M count=64 2>/dev/null && httpd -p 8080 -h /tmp/www && md5sum /tmp/www/data' 900
sum=$(tail -c +$((con_at + 1)) /tmp/mic0.out | tr -d '\r' |
    sed -n 's,^\([0-9a-f]\{32\}\)  /tmp/www/data$,\1,p')
[ -n "$sum" ] || fail "no checksum from the card: $(tail -c 300 /tmp/mic0.out)"
got=$(wget -q -O - http://172.31.1.1:8080/data | md5sum)
[ "${got%% *}" = "$sum" ] || fail "card -> host: checksums differ: $sum, $got"
echo "net: 64 MiB card -> host, checksums match"
grep -q "mic0" /etc/hosts || fail "no mic0 in /etc/hosts"
out=$(ssh mic0 uname -a) || fail "ssh mic0 uname -a: $out"
echo "ssh: $out"
micd_stop
EOF2
	vmic_run
	vmic_check "^net: host pings the card$" "^net: the card pings the host$" \
	    "^net: 64 MiB host -> card, checksums match$" \
	    "^net: 64 MiB card -> host, checksums match$" "^ssh: Linux "
}

vmic_case -t 1800 two_cards "two cards, each with its network and a disk, busy at" \
    "the same time: both fetch data from the host and write it to their" \
    "disk, and the host reads it back from both image files"
two_cards_body()
{
	network_script <<'EOF2'
for n in 0 1; do
	dd if=/dev/zero of=/tmp/d$n.img bs=1M count=64 2>/dev/null
done
mkdir -p /tmp/www
dd if=/dev/urandom of=/tmp/www/data bs=1M count=16 2>/dev/null
sum=$(md5 /tmp/www/data)
httpd -p 8080 -h /tmp/www || fail "httpd on the host"
micd_start <<'CONF'
default {
	boot on start yes
}
card mic0 {
	disk "/tmp/d0.img"
}
card mic1 {
	disk "/tmp/d1.img"
}
CONF
waitstate mic0 online
waitstate mic1 online
netwait mic0 172.31.1.1
netwait mic1 172.31.2.1
echo "two: both cards on the network"
# Each card, at once: fetch 16 MiB from the host three times, writing it
# to its disk at three offsets, and sends the host 16 MiB of its own.
for n in 0 1; do
	ssh mic$n "n=0; while [ ! -e /dev/vda ] && [ \$n -lt 300 ]; do sleep 1; n=\$((n + 1)); done; for i in 0 1 2; do wget -q -O - http://172.31.$((n + 1)).254:8080/data | dd of=/dev/vda bs=1M seek=\$((i * 16)) iflag=fullblock oflag=direct 2>/dev/null || exit 1; done; sync" >/tmp/ssh$n.out 2>&1 &
	eval ssh$n=\$!
	ssh mic$n "dd if=/dev/zero bs=1M count=16 2>/dev/null" >/tmp/from$n 2>/tmp/from$n.err &
	eval from$n=\$!
done
for n in 0 1; do
	eval wait \$ssh$n || fail "mic$n: disk writes: $(cat /tmp/ssh$n.out)"
	eval wait \$from$n || fail "mic$n: ssh transfer: $(cat /tmp/from$n.err)"
	[ "$(wc -c </tmp/from$n)" = 16777216 ] || fail "mic$n: short transfer"
done
echo "two: both cards done"
for n in 0 1; do
	for i in 0 1 2; do
		got=$(dd if=/tmp/d$n.img bs=1M skip=$((i * 16)) count=16 2>/dev/null | md5sum)
		[ "${got%% *}" = "$sum" ] || fail "mic$n: the image differs at $((i * 16)) MiB"
	done
done
echo "two: both images hold what the cards fetched"
micd_stop
EOF2
	vmic_run -c 2
	vmic_check "^two: both cards on the network$" "^two: both cards done$" \
	    "^two: both images hold what the cards fetched$"
}

vmic_case -t 2700 eight_cards "eight cards under one micd, booted at once," \
    "each with console, network and a disk: each answers a ping, runs a" \
    "command over ssh and writes data to its disk that the host reads back" \
    "from the image file"
eight_cards_body()
{
	network_script <<'EOF2'
cards="0 1 2 3 4 5 6 7"
{
	printf 'default {\n\tboot on start yes\n}\n'
	for n in $cards; do
		dd if=/dev/zero of=/tmp/d$n.img bs=1M count=8 2>/dev/null
		printf 'card mic%s {\n\tdisk "/tmp/d%s.img"\n}\n' $n $n
	done
} >/tmp/eight.conf
t0=$(cut -d. -f1 /proc/uptime)
micd_start </tmp/eight.conf
for n in $cards; do
	waitstate mic$n online 900
done
echo "eight: all online after $(($(cut -d. -f1 /proc/uptime) - t0)) s"
for n in $cards; do
	netwait mic$n 172.31.$((n + 1)).1
done
echo "eight: every card answers a ping"
# Each card, at once: its name over ssh, then 4 MiB of its own to its
# disk, read back and summed there.
for n in $cards; do
	ssh mic$n "uname -n; n=0; while [ ! -e /dev/vda ] && [ \$n -lt 300 ]; do sleep 1; n=\$((n + 1)); done; dd if=/dev/urandom of=/dev/vda bs=1M count=4 oflag=direct 2>/dev/null && dd if=/dev/vda bs=1M count=4 iflag=direct 2>/dev/null | md5sum" >/tmp/ssh$n.out 2>&1 &
	eval ssh$n=\$!
done
for n in $cards; do
	eval wait \$ssh$n || fail "mic$n: ssh: $(cat /tmp/ssh$n.out)"
	set -- $(tail -n 1 /tmp/ssh$n.out)
	got=$(dd if=/tmp/d$n.img bs=1M count=4 2>/dev/null | md5sum)
	[ "${got%% *}" = "$1" ] ||
	    fail "mic$n: the image differs from what the card wrote"
done
echo "eight: every image holds what its card wrote"
kb=0
for p in $(pidof micd); do
	kb=$((kb + $(sed -n "s/^VmRSS:[^0-9]*\([0-9]*\) kB/\1/p" /proc/$p/status)))
done
echo "eight: micd resident $kb kB in all, $((kb / 8)) kB a card"
micd_stop
EOF2
	vmic_run -c 8 -m 256M -M 1G
	vmic_check "^eight: all online after" \
	    "^eight: every card answers a ping$" \
	    "^eight: every image holds what its card wrote$" \
	    "^eight: micd resident"
	grep "^eight: " out
}

atf_init_test_cases()
{
	atf_add_test_case net
	atf_add_test_case two_cards
	atf_add_test_case eight_cards
}
