# SPDX-License-Identifier: BSD-2-Clause
#
# /dev/micN of mic_host.ko (ABI.md section 2) on micemu's virtual X100,
# with micioctl in the host guest: every error of the ioctls, mmap and
# poll that a card driver that behaves can produce, the device page as
# the card sees it, a full page, a config change the card does not
# acknowledge (a frozen card), a live console, the end of the
# devices when the card is reset, and files that outlive their card
# (unbind, rmmod with removals in progress).  Each case is one micemu
# run (vmic.subr).

VMIC_TOOLS="micpoll micioctl"
. "$(atf_get_srcdir)/../vmic.subr"

# The host script's helpers of this file, after vmic.subr's.
MICIOCTL_PRELUDE='
M=$SHARE/micioctl
# ends file line: wait until a background micioctl printed line.
ends() {
	n=0
	until grep -q "^$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ $n -le 3000 ] || fail "micioctl did not print $2: $(cat $1)"
		usleep 100000
	done
}
'

# micioctl_script: vmic_script, with the helpers above.
micioctl_script()
{
	{
		echo "$MICIOCTL_PRELUDE"
		cat
	} | vmic_script
}

vmic_case errors "a ready card: every error of ADD_DEVICE, COPY_DESC," \
    "CONFIG_CHANGE, mmap and poll; the device page through mmap; ENOSPC" \
    "on a full page, and room again after a close"
errors_body()
{
	micioctl_script <<'EOF'
[ -c /dev/mic0 ] || fail "no /dev/mic0"
$M /dev/mic0 errors || fail "micioctl errors"
$M /dev/mic0 full || fail "micioctl full"
expect mic0 state ready
EOF
	vmic_run
	vmic_check "^poll before ADD_DEVICE: revents 0x18$" \
	    "^COPY_DESC before ADD_DEVICE: EINVAL$" \
	    "^CONFIG_CHANGE before ADD_DEVICE: EINVAL$" \
	    "^mmap before ADD_DEVICE: EINVAL$" \
	    "^ADD_DEVICE NULL: EFAULT$" \
	    "^ADD_DEVICE body unreadable: EFAULT$" \
	    "^ADD_DEVICE type 0: EINVAL$" \
	    "^ADD_DEVICE type -1: EINVAL$" \
	    "^ADD_DEVICE num_vq 0: EINVAL$" \
	    "^ADD_DEVICE num_vq 5: EINVAL$" \
	    "^ADD_DEVICE num 3: EINVAL$" \
	    "^ADD_DEVICE block of 257 bytes: EINVAL$" \
	    "^ADD_DEVICE feature_len 33: EINVAL$" \
	    "^second ADD_DEVICE: EBUSY$" \
	    "^COPY_DESC vr_idx 2 of 2: EINVAL$" \
	    "^COPY_DESC iovcnt 1025: EINVAL$" \
	    "^COPY_DESC no chain: ok$" \
	    "^CONFIG_CHANGE card not online: EIO$" \
	    "^mmap PROT_WRITE: EACCES$" \
	    "^mprotect PROT_WRITE: EACCES$" \
	    "^page: type 3 at 16, " "^ring 1: magic 0xc0ffee04$" \
	    "^errors: all checked$" \
	    "^ADD_DEVICE on a full page: ENOSPC$" \
	    "^full after 85 devices$" "^ADD_DEVICE after a close: ok$" \
	    "^ADD_DEVICE after closing them all: ok$"
}

vmic_case online "an online card that never answers (frozen):" \
    "CONFIG_CHANGE, then EBUSY while it is pending; the removal times out" \
    "in the background; a card reset ends a device (POLLERR, ENODEV);" \
    "ADD_DEVICE on a card shutting down is EBUSY"
online_body()
{
	micioctl_script <<'EOF'
bootwait mic0
handshake freeze
$M /dev/mic0 pending || fail "micioctl pending"
n=0
until dmesg | grep -q "did not acknowledge the removal"; do
	n=$((n + 1))
	[ $n -le 3000 ] || fail "no removal timeout in the kernel log"
	usleep 100000
done
echo "removal timed out after $n tenths of a second"
$M /dev/mic0 end >/tmp/end 2>&1 &
p=$!
ends /tmp/end added
resetwait mic0
wait $p || fail "micioctl end: $(cat /tmp/end)"
cat /tmp/end
grep -q "^device at" $D/mic0/dp && fail "a device in the page after a reset"
echo "page empty after the reset"
bootwait mic0
micctl shutdown -w -t 300 mic0 || fail "shutdown"
expect mic0 state shutting_down
$M /dev/mic0 busy || fail "micioctl busy"
resetwait mic0
dmesg | grep "did not acknowledge the removal"
EOF
	vmic_run_frozen mic0
	vmic_check "^ADD_DEVICE on an online card: ok$" "^CONFIG_CHANGE: ok$" \
	    "^CONFIG_CHANGE while one is pending: EBUSY$" \
	    "^end: POLLERR$" "^COPY_DESC after the end: ENODEV$" \
	    "^CONFIG_CHANGE after the end: ENODEV$" \
	    "^mmap after the end: ENODEV$" \
	    "^page empty after the reset$" \
	    "^ADD_DEVICE card not up: EBUSY$" \
	    "did not acknowledge the removal in 10 s"
}

vmic_case detach "files that outlive their card: unbind ends the device" \
    "(POLLERR, ENODEV); rmmod is refused while a file is open, and waits" \
    "for the removals in progress"
detach_body()
{
	micioctl_script <<'EOF'
bdf=$(basename $(readlink $S/mic0/device))
bootwait mic0
$M /dev/mic0 end >/tmp/end 2>&1 &
p=$!
ends /tmp/end added
echo $bdf >/sys/bus/pci/drivers/mic_host/unbind || fail "unbind"
wait $p || fail "micioctl end: $(cat /tmp/end)"
cat /tmp/end
[ ! -e $S/mic0 ] || fail "mic0 still there"
echo $bdf >/sys/bus/pci/drivers/mic_host/bind || fail "bind"
expect mic0 state ready
echo "bound again"
exec 3<>/dev/mic0 || fail "open"
rmmod mic_host 2>/dev/null && fail "rmmod with a file open"
exec 3>&-
echo "rmmod refused while open"
bootwait mic0
$M /dev/mic0 remove 3 || fail "micioctl remove"
rmmod mic_host || fail "rmmod with removals in progress"
echo "removed"
insmod /lib/modules/mic_host.ko || fail "insmod"
expect mic0 state ready
$M /dev/mic0 errors >/dev/null || fail "micioctl errors after insmod"
echo "errors after insmod"
EOF
	vmic_run
	vmic_check "^end: POLLERR$" "^COPY_DESC after the end: ENODEV$" \
	    "^mmap after the end: ENODEV$" "^bound again$" \
	    "^rmmod refused while open$" "^removing 3$" "^removed$" \
	    "^errors after insmod$"
}

vmic_case console "a live console: COPY_DESC brings the card's getty" \
    "prompt (card to host) after newlines (host to card); close() is" \
    "acknowledged by the card, no removal timeout"
console_body()
{
	micioctl_script <<'EOF'
bootwait mic0
$M /dev/mic0 console "login:" || fail "micioctl console"
n=0
until grep -q "^removed at 16: " $D/mic0/dp; do
	n=$((n + 1))
	[ $n -le 3000 ] || fail "the removal did not complete: $(cat $D/mic0/dp)"
	usleep 100000
done
dmesg | grep "did not acknowledge" && fail "the removal timed out"
echo "removal acknowledged"
resetwait mic0
EOF
	vmic_run
	vmic_check "^console: \"login:\" from the card$" \
	    "^removal acknowledged$"
}

atf_init_test_cases()
{
	atf_add_test_case errors
	atf_add_test_case online
	atf_add_test_case console
	atf_add_test_case detach
}
