# SPDX-License-Identifier: BSD-2-Clause
#
# The card's virtio transport (sys/dev/mic/card/mic_virtio.c) on micemu's
# virtual X100, with micvcon as the console backend in the host guest:
# Debian's virtio_console bound to a device of the device page, data
# from the card's getty, hot removal and hot add, shutdown with a device
# bound; and a hostile card (mic_hostile.ko in card-hostile.img) that
# breaks each ring rule of ABI.md section 5 in turn, each costing the
# host one broken device and nothing else.

VMIC_TOOLS="micvcon card-hostile.img"
. "$(atf_get_srcdir)/../vmic.subr"

vmic_case console "virtio_console on the card: the getty's prompt reaches" \
    "the host, the device is removed and added again while the card runs," \
    "and removed at shutdown"
console_body()
{
	vmic_script <<'EOF2'
$SHARE/micvcon -m login -t 300 /dev/mic0 >/tmp/con1 2>&1 &
con=$!
bootwait mic0
wait $con || fail "no login prompt: $(cat /tmp/con1)"
grep "^chain: .*login" /tmp/con1 | head -n 1
# micvcon closed the device: the card removes it; a new one is added.
$SHARE/micvcon -m login -t 300 /dev/mic0 >/tmp/con2 2>&1 ||
    fail "no login prompt after a hot add: $(cat /tmp/con2)"
echo "again: $(grep -c "^chain: .*login" /tmp/con2) prompt"
# A device bound when the card shuts down: removed before the status.
$SHARE/micvcon -m never -t 600 /dev/mic0 >/tmp/con3 2>&1 &
con=$!
n=0
until grep -q "^chain: .*login" /tmp/con3; do
	n=$((n + 1))
	[ $n -le 3000 ] || fail "no third prompt: $(cat /tmp/con3)"
	usleep 100000
done
micctl shutdown -w -t 300 mic0 || fail "shutdown"
expect mic0 shutdown_status poweroff
kill $con 2>/dev/null
wait $con
echo "third: $(tail -n 1 /tmp/con3)"
micctl log mic0 >/tmp/log || fail "micctl log"
echo "added: $(grep -c "virtio: virtio[0-9]*: type 3" /tmp/log)"
echo "removed: $(grep -c "virtio: virtio[0-9]*: removing it" /tmp/log)"
EOF2
	vmic_run
	vmic_check "^chain: .*login" "^again: 1 prompt" "^added: 3$" \
	    "^removed: 3$"
}

HOSTILE_CASES="addr_beyond,len_overflow,loop,next_range,avail_jump,indirect,order"

vmic_case hostile "a card that breaks each ring rule in turn: the host" \
    "breaks the device each time, the backend adds it again, and the" \
    "good chain before each case and after the last gets through"
hostile_body()
{
	vmic_script <<EOF2
cp \$SHARE/card-hostile.img /lib/firmware/mic/hostile.image ||
    fail "no card-hostile.img"
echo mic/hostile.image >\$S/mic0/ramdisk
echo "micemu.skip=virtio_console mic_hostile.cases=$HOSTILE_CASES" \
    >\$S/mic0/cmdline
\$SHARE/micvcon -m never -t 900 /dev/mic0 >/tmp/con 2>&1 &
con=\$!
bootwait mic0
# The last good chain, then the card's word that no case is left, which
# may lag: micvcon keeps the device until then (a card whose device is
# removed first never says it).
n=0
until grep -q "good chain 8" /tmp/con && micctl log mic0 >/tmp/log &&
    grep -q "mic_hostile: no case left" /tmp/log; do
	n=\$((n + 1))
	[ \$n -le 3000 ] || fail "no last good chain, or cases left: \$(cat /tmp/con)"
	kill -0 \$con || fail "micvcon exited: \$(cat /tmp/con)"
	usleep 100000
done
kill \$con
wait \$con
cat /tmp/con
echo "readds: \$(grep -c "^readd" /tmp/con)"
for c in $(echo $HOSTILE_CASES | tr , ' '); do
	grep -q "mic_hostile: \$c: .*kicked" /tmp/log || fail "card: no \$c"
	echo "card played \$c"
done
grep "mic_hostile: no case left" /tmp/log
# One line each, naming the card, the device type and the rule.
dmesg | grep "mic0: .*broken"
echo "host broke: \$(dmesg | grep -c "mic0: .*broken")"
micctl shutdown -w -t 300 mic0 || fail "shutdown"
expect mic0 shutdown_status poweroff
EOF2
	vmic_run
	vmic_check "^readds: 7$" "^chain: mic_hostile: good chain 8$" \
	    "^card played order$" "no case left" "^host broke: 7$"
}

atf_init_test_cases()
{
	atf_add_test_case console
	atf_add_test_case hostile
}
