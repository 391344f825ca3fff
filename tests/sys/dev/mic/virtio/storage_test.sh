# SPDX-License-Identifier: BSD-2-Clause
#
# A file system on a card's virtio disk, served by micd from an image file
# in the host guest: ext4 made and filled on the card survives a reboot
# of the card through micd (fsck -f clean, every checksum matches), and a
# card that crashes while it writes comes back through micd with its
# journal recovered and every file it fsync'ed before the crash intact.

VMIC_TOOLS=
. "$(atf_get_srcdir)/../vmic.subr"
. "$(atf_get_srcdir)/virtio.subr"

# The host script's helpers: card_helpers defines the card shell's
# (waitdev path); storage_up [setting] starts micd with mic0 on a 64 MiB
# image (and the setting), logs in, and mounts a new ext4 on /mnt/d.
STORAGE_PRELUDE='
card_helpers() {
	con_do "waitdev() { n=0; while [ ! -e \$1 ] && [ \$n -lt 300 ]; do sleep 1; n=\$((n + 1)); done; [ -e \$1 ]; }"
}
storage_up() {
	dd if=/dev/zero of=/tmp/d0.img bs=1M count=64 2>/dev/null
	printf "default {\n\tboot on start yes\n\t%s\n}\ncard mic0 {\n\tdisk \"/tmp/d0.img\"\n}\n" "${1:-}" >/tmp/storage.conf
	micd_start </tmp/storage.conf
	waitstate mic0 online
	con_open mic0
	con_login
	card_helpers
	con_do "waitdev /sys/block/vda && mkfs.ext4 -q -F /dev/vda && mkdir -p /mnt/d && mount -t ext4 /dev/vda /mnt/d; echo \"mount-status \$?\"" 300
	con_new "^mount-status 0" || fail "mkfs or mount: $(tail -c 600 /tmp/mic0.out)"
}
'

storage_script()
{
	{
		echo "$STORAGE_PRELUDE"
		cat
	} | virtio_script
}

vmic_case -t 1800 fs_reboot "mkfs.ext4 on the card's virtio disk, files written" \
    "and synced; the card reboots through micd; fsck -f is clean and the" \
    "checksums match"
fs_reboot_body()
{
	storage_script <<'EOF2'
storage_up
con_do 'for i in 1 2 3 4 5 6; do dd if=/dev/urandom of=/mnt/d/f$i bs=65536 count=$((i * 8)) 2>/dev/null; done; mkdir /mnt/d/dir && cp /mnt/d/f2 /mnt/d/dir/g; (cd /mnt/d && md5sum f1 f2 f3 f4 f5 f6 dir/g >/tmp/sums && cp /tmp/sums sums); sync; echo "sync-status $?"; cat /tmp/sums' 300
con_new "^sync-status 0" || fail "writing: $(tail -c 600 /tmp/mic0.out)"
echo "fs: files written and synced"
con_send "reboot"
micd_log "mic0: reset after restart, will boot" 300
micd_log "mic0: state online" 300 2
echo "fs: the card rebooted"
con_login
card_helpers
con_do 'waitdev /sys/block/vda; e2fsck -f -n /dev/vda; echo "fsck-status $?"' 300
con_new "^fsck-status 0" || fail "fsck -f: $(tail -c 600 /tmp/mic0.out)"
echo "fs: fsck -f clean"
con_do 'mkdir -p /mnt/d && mount -t ext4 /dev/vda /mnt/d && cd /mnt/d && md5sum -c sums; echo "md5-status $?"; cd /' 300
con_new "^md5-status 0" || fail "checksums: $(tail -c 600 /tmp/mic0.out)"
echo "fs: checksums match after the reboot"
micd_stop
EOF2
	vmic_run
	vmic_check "^fs: files written and synced$" "^fs: the card rebooted$" \
	    "^fs: fsck -f clean$" "^fs: checksums match after the reboot$"
}

vmic_case -t 1800 crash "the card crashes while it writes and fsyncs files:" \
    "micd resets and boots it (reboot on crash), fsck recovers the journal," \
    "every file fsync'ed before the crash is intact"
crash_body()
{
	storage_script <<'EOF2'
storage_up "reboot on crash yes"
# Each file is fsync'ed (conv=fsync) before its checksum is printed:
# what the console shows was on the disk before the crash.
con_mark
con_send '(i=0; while :; do i=$((i + 1)); dd if=/dev/urandom of=/mnt/d/f$i bs=4096 count=$((1 + i % 40)) conv=fsync 2>/dev/null || break; md5sum /mnt/d/f$i; done) &'
con_expect "  /mnt/d/f20" 300
con_send 'echo c >/proc/sysrq-trigger'
micd_log "mic0: reset after crashed, will boot" 300
echo "crash: the card crashed while writing"
tr -d '\r' </tmp/mic0.out | grep -E "^[0-9a-f]{32}  /mnt/d/f[0-9]+$" >/tmp/synced
[ "$(wc -l </tmp/synced)" -ge 20 ] || fail "fewer than 20 files synced"
echo "crash: $(wc -l </tmp/synced | tr -d ' ') files synced before the crash"
micd_log "mic0: state online" 300 2
con_login
card_helpers
con_do 'waitdev /sys/block/vda; e2fsck -p /dev/vda; echo "fsck-status $?"; e2fsck -f -n /dev/vda; echo "fsck2-status $?"' 300
con_new "^fsck-status [01]" ||
    fail "fsck could not recover: $(tail -c 600 /tmp/mic0.out)"
con_new "^fsck2-status 0" || fail "fsck -f after the recovery: $(tail -c 600 /tmp/mic0.out)"
echo "crash: fsck recovered the journal"
con_do 'mkdir -p /mnt/d && mount -t ext4 /dev/vda /mnt/d; md5sum /mnt/d/f* >/tmp/now; wc -l </tmp/now' 300
con_mark
con_do 'cat /tmp/now' 300
tail -c +$((con_at + 1)) /tmp/mic0.out | tr -d '\r' >/tmp/now
while read -r line; do
	grep -qxF "$line" /tmp/now || fail "not intact after the crash: $line"
done </tmp/synced
echo "crash: every synced file is intact"
micd_stop
EOF2
	vmic_run
	vmic_check -c "^crash: the card crashed while writing$" \
	    "^crash: [0-9]* files synced before the crash$" \
	    "^crash: fsck recovered the journal$" \
	    "^crash: every synced file is intact$"
}

atf_init_test_cases()
{
	atf_add_test_case fs_reboot
	atf_add_test_case crash
}
