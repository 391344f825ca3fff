# SPDX-License-Identifier: BSD-2-Clause
#
# A hostile card against the host's removal, copy and reset paths: each
# case runs two cards under micemu, mic0 playing one attack from
# mic_hostile.ko (card-hostile.img) and mic1 a healthy card beside it,
# whose console must still work at the end.  No attack may cost the host
# more than mic0: a reset of mic0 finishes, mic0 boots again, and no
# kernel log has a warning, a lockup, a stall or a hung task.

VMIC_TOOLS="micvcon card-hostile.img ../host/micioctl"
. "$(atf_get_srcdir)/../vmic.subr"

# The host script's helpers for these cases.
HOSTILE_PRELUDE='
# hostile cases...: the next boot of mic0 plays them.
hostile() {
	cp $SHARE/card-hostile.img /lib/firmware/mic/hostile.image ||
	    fail "no card-hostile.img"
	echo mic/hostile.image >$S/mic0/ramdisk
	echo "micemu.skip=virtio_console mic_hostile.cases=$1" >$S/mic0/cmdline
}
# armed case: boot mic0 playing case, until the card says it is armed.
armed() {
	hostile $1
	$SHARE/micvcon -m "armed $1" -t 600 /dev/mic0 >/tmp/con 2>&1 &
	con=$!
	bootwait mic0
	wait $con || fail "not armed: $(cat /tmp/con)"
}
# waitgrep pattern file: wait until file has a line with pattern.
waitgrep() {
	n=0
	until grep -q "$1" $2; do
		n=$((n + 1))
		[ $n -le 3000 ] || fail "no \"$1\" in $2: $(cat $2)"
		usleep 100000
	done
}
# healthy: mic0 boots the normal image from now on.
healthy() {
	echo mic/mic0.image >$S/mic0/ramdisk
	echo >$S/mic0/cmdline
}
# cardlog card text: wait until the card logs text.
cardlog() {
	n=0
	until micctl log $1 2>/dev/null | grep -q "$2"; do
		n=$((n + 1))
		[ $n -le 3000 ] || fail "$1: no \"$2\" in its log"
		usleep 100000
	done
}
# resetwait60 card: a reset that must finish within a minute.
resetwait60() {
	echo reset >$S/$1/state || fail "$1: reset refused"
	micctl wait -s ready -t 60 $1 || fail "$1: not ready within 60 s"
	echo "$1: reset done"
}
# mic1ok: the healthy card answers on a new console.
mic1ok() {
	expect mic1 state online
	$SHARE/micvcon -m login -t 300 /dev/mic1 >/tmp/mic1 2>&1 ||
	    fail "mic1: no login prompt: $(cat /tmp/mic1)"
	echo "mic1: console answers"
}
# reboot0: mic0 boots the normal image and comes online.
reboot0() {
	healthy
	bootwait mic0
	echo "mic0: online again"
}
'

# hostile_script: the host script, the case's body on standard input.
hostile_script()
{
	{
		echo "$HOSTILE_PRELUDE"
		echo 'micctl boot mic1 || fail "mic1: boot"'
		cat
		echo 'mic1ok'
		echo 'grep . $D/mic0/rings $D/mic1/rings'
	} | vmic_script
}

vmic_case flood_remove "a card that floods its console's rings during a" \
    "removal: the reset of the card finishes within a minute, and the" \
    "card boots again"
flood_remove_body()
{
	hostile_script <<'EOF'
armed flood_remove
# micvcon closed the device: the card floods instead of letting go.
cardlog mic0 "flood_remove: flooding"
echo "mic0: flooding"
resetwait60 mic0
reboot0
EOF
	vmic_run -c 2
	vmic_check "^mic0: flooding$" "^mic0: reset done$" \
	    "^mic0: online again$" "^mic1: console answers$"
}

vmic_case huge_chain "a chain of just under 4 GiB copied into 4 GiB of" \
    "iovecs: a reset during the copy finishes within a minute, and the" \
    "copy ends"
huge_chain_body()
{
	hostile_script <<'EOF'
hostile huge
$SHARE/micvcon -b -c 1000 -t 600 /dev/mic0 >/tmp/bulk 2>&1 &
con=$!
bootwait mic0
cardlog mic0 "mic_hostile: huge: .*kicked"
resetwait60 mic0
wait $con || fail "micvcon: $(cat /tmp/bulk)"
grep "^bulk: " /tmp/bulk || fail "no copy: $(cat /tmp/bulk)"
reboot0
EOF
	vmic_run -c 2
	vmic_check "^bulk: [0-9]* [0-9]*$" "^mic0: reset done$" \
	    "^mic0: online again$" "^mic1: console answers$"
}

vmic_case rings_kept "ring memory is freed only once the card is" \
    "stopped: not on a config doorbell of -1, not on the card's" \
    "acknowledgment of a removal; at 256 rings kept ADD_DEVICE refuses" \
    "more; the next reset frees them"
rings_kept_body()
{
	hostile_script <<'EOF'
# waitrings card live dead: wait until debugfs counts them so.
waitrings() {
	n=0
	until [ "$(tr '\n' ' ' <$D/$1/rings)" = "live $2 dead $3 " ]; do
		n=$((n + 1))
		[ $n -le 3000 ] ||
		    fail "$1: rings $(tr '\n' ' ' <$D/$1/rings), not live $2 dead $3"
		usleep 100000
	done
	echo "$1: live $2 dead $3"
}
armed config_db
grep "h2c_config_db -1" $D/mic0/dp || fail "the card did not write -1"
waitrings mic0 0 2
# The healthy card acknowledges its removal: the rings stay all the same.
$SHARE/micvcon -m login -t 300 /dev/mic1 >/tmp/mic1 2>&1 ||
    fail "mic1: no login prompt: $(cat /tmp/mic1)"
waitrings mic1 0 2
# Devices that come and go on the card: their rings pile up to the cap.
$SHARE/micioctl /dev/mic0 kept
waitrings mic0 0 256
resetwait60 mic0
waitrings mic0 0 0
# A ready card cannot write: the rings go with the device.
$SHARE/micioctl /dev/mic0 kept
waitrings mic0 0 0
reboot0
EOF
	vmic_run -c 2
	vmic_check "^mic0: live 0 dead 2$" "^mic1: live 0 dead 2$" \
	    "^kept: 127 added, then ENOSPC$" "^mic0: live 0 dead 256$" \
	    "^mic0: live 0 dead 0$" "^kept: 1000 added, then ok$" \
	    "^mic0: online again$" "^mic1: console answers$"
}

vmic_case early_ready "a card that sets the bootstrap's ready bit before" \
    "it is stopped: the host stays in resetting until micemu has stopped" \
    "the card guest"
early_ready_body()
{
	hostile_script <<'EOF'
armed early_ready
# micemu stops: the card guest runs on while the reset is asked for.
handshake stop_emu
echo reset >$S/mic0/state || fail "reset refused"
cardlog mic0 "early_ready: SPAD2 set ready (2)"
echo "mic0: SPAD2 forged"
micctl wait -s ready -t 20 mic0 2>/dev/null &&
    fail "ready while the card guest runs"
expect mic0 state resetting
echo "mic0: still resetting"
handshake cont_emu
micctl wait -s ready -t 300 mic0 || fail "not ready after micemu went on"
echo "mic0: reset done"
reboot0
EOF
	vmic_start -c 2
	vmic_await stop_emu
	kill -STOP "$(cat micemu.pid)" || atf_fail "cannot stop micemu"
	vmic_answer stop_emu
	vmic_await cont_emu
	kill -CONT "$(cat micemu.pid)"
	vmic_answer cont_emu
	vmic_wait
	vmic_check "^mic0: SPAD2 forged$" "^mic0: still resetting$" \
	    "^mic0: reset done$" "^mic0: online again$" \
	    "^mic1: console answers$"
}

vmic_case fault_stall "a copy stuck for ever on a fault of the caller's" \
    "memory (a userfaultfd never served, by an unprivileged user): a" \
    "reset and an unbind of the card still finish"
fault_stall_body()
{
	hostile_script <<'EOF'
healthy
echo 1 >/proc/sys/vm/unprivileged_userfaultfd || fail "userfaultfd sysctl"
bdf=$(basename $(readlink $S/mic0/device))
$SHARE/micvcon -u -t 600 /dev/mic0 >/tmp/stall 2>&1 &
stall=$!
bootwait mic0
waitgrep "^stalled" /tmp/stall
echo "copy stalled"
resetwait60 mic0
bootwait mic0
echo $bdf >/sys/bus/pci/drivers/mic_host/unbind || fail "unbind"
[ ! -e $S/mic0 ] || fail "mic0 still there"
echo "mic0: unbound"
kill -9 $stall
wait $stall
echo $bdf >/sys/bus/pci/drivers/mic_host/bind || fail "bind"
expect mic0 state ready
bootwait mic0
echo "mic0: online again"
EOF
	vmic_run -c 2
	vmic_check "^copy stalled$" "^mic0: reset done$" "^mic0: unbound$" \
	    "^mic0: online again$" "^mic1: console answers$"
}

atf_init_test_cases()
{
	atf_add_test_case flood_remove
	atf_add_test_case huge_chain
	atf_add_test_case rings_kept
	atf_add_test_case early_ready
	atf_add_test_case fault_stall
}
