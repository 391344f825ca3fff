# SPDX-License-Identifier: BSD-2-Clause
#
# micd's disks (usr.sbin/micd/vioblk.c) end to end under micemu: image
# files in the host guest's /tmp, Linux's virtio_blk on the card reading
# and writing them, a read-only disk, disks added and removed with SIGHUP
# on a running card; and mic_badblk.ko (card-badblk.img), which sends the
# malformed requests Linux never sends: each gets an error status, micd
# logs one line each, and the image changes only where the good write
# went; and, beside a healthy second card, the forged cases of
# mic_badblk.ko: the card shows micd's ring peek another chain than the
# one the host takes, and gets back only what micd wrote for it.  The
# host script helpers (micd_start, con_do...) are those of the
# virtio tests (virtio.subr).

VMIC_TOOLS="card-badblk.img"
. "$(atf_get_srcdir)/../vmic.subr"
. "$(atf_get_srcdir)/../virtio/virtio.subr"

vmic_case disk "virtio_blk on the card over image files: data written" \
    "on the card is in the file, data put in the file is read on the card," \
    "a read-only disk refuses writes, SIGHUP adds and removes a disk"
disk_body()
{
	virtio_script <<'EOF'
dd if=/dev/zero of=/tmp/rw.img bs=1024 count=4096 2>/dev/null
dd if=/dev/urandom of=/tmp/ro.img bs=1024 count=1024 2>/dev/null
dd if=/dev/zero of=/tmp/hot.img bs=1024 count=2048 2>/dev/null
printf 'hot-disk-marker\n' | dd of=/tmp/hot.img conv=notrunc 2>/dev/null
ro_md5=$(md5sum </tmp/ro.img)
micd_start <<'CONF'
default {
	boot on start yes
}
card mic0 {
	disk "/tmp/rw.img"
	disk "/tmp/ro.img" readonly
}
CONF
micd_log 'mic0: disk1: "/tmp/ro.img", 2048 sectors, read-only'
waitstate mic0 online
con_open mic0
con_login
con_do 'waitdev() { n=0; while [ ! -e $1 ] && [ $n -lt 300 ]; do sleep 1; n=$((n + 1)); done; }; waitdev /sys/block/vdb; for f in vda/size vdb/size vdb/ro vda/serial vdb/serial; do echo "$(cat /sys/block/$f)"; done'
con_new "^8192" || fail "vda: not 8192 sectors: $(tail -c 400 /tmp/mic0.out)"
con_new "^2048" || fail "vdb: not 2048 sectors"
con_new "^1[[:space:]]*$" || fail "vdb: not read-only"
con_new "^[0-9a-f]\{8\}-rw.img" || fail "vda: no serial"
con_new "^[0-9a-f]\{8\}-ro.img" || fail "vdb: no serial"
echo "disk: sizes, read-only flag, serials"
# Write on the card (direct, then fsync'ed), read in the host's file.
con_do 'dd if=/dev/urandom of=/tmp/x bs=65536 count=16 2>/dev/null; dd if=/tmp/x of=/dev/vda bs=65536 seek=3 oflag=direct conv=fsync 2>/dev/null; echo "dd-w $?"; md5sum </tmp/x'
con_new "^dd-w 0" || fail "the write failed: $(tail -c 400 /tmp/mic0.out)"
card=$(tail -c +$((con_at + 1)) /tmp/mic0.out | grep -o "^[0-9a-f]\{32\}" | head -n 1)
host=$(dd if=/tmp/rw.img bs=65536 skip=3 count=16 2>/dev/null | md5sum)
[ "${host%% *}" = "$card" ] || fail "written on the card $card, in the file $host"
echo "disk: written on the card, in the file"
# Written in the host's file, read on the card (direct: no card cache).
dd if=/dev/urandom of=/tmp/y bs=65536 count=8 2>/dev/null
dd if=/tmp/y of=/tmp/rw.img bs=65536 seek=40 conv=notrunc 2>/dev/null
host=$(md5sum </tmp/y)
con_do 'dd if=/dev/vda bs=65536 skip=40 count=8 iflag=direct 2>/dev/null | md5sum'
con_new "^${host%% *}" || fail "read on the card: not $host: $(tail -c 400 /tmp/mic0.out)"
echo "disk: written in the file, read on the card"
con_do 'dd if=/dev/vdb bs=65536 iflag=direct 2>/dev/null | md5sum'
con_new "^${ro_md5%% *}" || fail "vdb: not the image"
con_do 'dd if=/dev/zero of=/dev/vdb bs=512 count=1 oflag=direct 2>/dev/null; echo "ro-w $?"'
con_new "^ro-w [1-9]" || fail "a write to the read-only disk succeeded"
[ "$(md5sum </tmp/ro.img)" = "$ro_md5" ] || fail "the read-only image changed"
echo "disk: the read-only disk refuses writes"
# SIGHUP: a third disk appears, then it and the read-only one go.
cat >/etc/micd.conf <<'CONF'
default {
	boot on start yes
}
card mic0 {
	disk "/tmp/rw.img"
	disk "/tmp/ro.img" readonly
	disk "/tmp/hot.img"
}
CONF
kill -HUP $micd
micd_log 'mic0: disk2: "/tmp/hot.img", 4096 sectors, read-write'
con_do 'waitdev /sys/block/vdc; dd if=/dev/vdc bs=16 count=1 2>/dev/null'
con_new "^hot-disk-marker" || fail "vdc: no marker: $(tail -c 400 /tmp/mic0.out)"
echo "disk: added with SIGHUP"
cat >/etc/micd.conf <<'CONF'
default {
	boot on start yes
}
card mic0 {
	disk "/tmp/rw.img"
}
CONF
kill -HUP $micd
micd_log "mic0: disk2: device removed"
micd_log "mic0: disk1: device removed"
con_do 'n=0; while [ -e /sys/block/vdc ] || [ -e /sys/block/vdb ]; do [ $n -lt 300 ] || break; sleep 1; n=$((n + 1)); done; ls -1 /sys/block'
con_new "^vd[bc][[:space:]]*$" && fail "vdb or vdc still there: $(tail -c 400 /tmp/mic0.out)"
con_new "^vda[[:space:]]*$" || fail "vda is gone"
grep -q "mic0: disk0: device removed" /tmp/micd.log && fail "disk0 touched"
echo "disk: removed with SIGHUP, the others untouched"
grep "mic0: disk" /tmp/micd.log | sed "s/^/micd.log: /"
kill -TERM $micd
wait $micd || fail "micd exited $?"
EOF
	vmic_run
	vmic_check "^disk: sizes, read-only flag, serials$" \
	    "^disk: written on the card, in the file$" \
	    "^disk: written in the file, read on the card$" \
	    "^disk: the read-only disk refuses writes$" \
	    "^disk: added with SIGHUP$" \
	    "^disk: removed with SIGHUP, the others untouched$"
}

vmic_case badblk "malformed block requests from mic_badblk.ko: each gets" \
    "an error status and one line of micd's log; the image changes only" \
    "where the good write went"
badblk_body()
{
	virtio_script <<'EOF'
cp $SHARE/card-badblk.img /lib/firmware/mic/badblk.image ||
    fail "no card-badblk.img"
dd if=/dev/urandom of=/tmp/bad.img bs=512 count=128 2>/dev/null
printf 'BADBLK-IMAGE-OK!' | dd of=/tmp/bad.img conv=notrunc 2>/dev/null
# The image but sector 8 (the good write), before and after.
outside() {
	{ head -c 4096 /tmp/bad.img; tail -c +4609 /tmp/bad.img; } | md5sum
}
before=$(outside)
micd_start <<'CONF'
card mic0 {
	boot on start yes
	ramdisk "mic/badblk.image"
	cmdline "micemu.skip=virtio_blk"
	disk "/tmp/bad.img"
}
CONF
waitstate mic0 online
badlog() {
	micctl log mic0 >/tmp/log 2>/dev/null && grep -q "mic_badblk: done\|no answer" /tmp/log
}
waitfor 300 badlog || fail "mic_badblk did not finish: $(tail -n 20 /tmp/log)"
grep -o "mic_badblk: .*" /tmp/log | sed "s/^/card: /"
for c in "past_end: status 1" "past_end_write: status 1" \
    "overflow: status 1" "unknown_type: status 2" "short_header: status 1" \
    "good_read: status 0" 'good_read: "BADBLK-IMAGE-OK!"' \
    "good_write: status 0" "read_back: status 0" \
    "read_back: pattern matches" "flush: status 0" "get_id: status 0" \
    "get_id: \"[0-9a-f]\{8\}-bad.img\""; do
	grep -q "mic_badblk: $c" /tmp/log || fail "card: no \"$c\""
done
echo "card: every status as expected"
micd_log "mic0: disk0: request past the end of the image (sector 128, 512 bytes): refused"
micd_log "mic0: disk0: request past the end of the image (sector 127, 1024 bytes): refused"
micd_log "mic0: disk0: request past the end of the image (sector 18446744073709551615, 512 bytes): refused"
micd_log "mic0: disk0: request type 0x77 not supported"
micd_log "mic0: disk0: request header of 8 bytes, not 16: refused"
echo "micd: $(grep -c "mic0: disk0: request" /tmp/micd.log) lines for 5 bad requests"
[ "$(wc -c </tmp/bad.img)" -eq 65536 ] || fail "the image's size changed"
[ "$(outside)" = "$before" ] || fail "the image changed outside sector 8"
i=0
while [ $i -lt 32 ]; do printf 'mic_badblk write'; i=$((i + 1)); done >/tmp/pat
dd if=/tmp/bad.img bs=512 skip=8 count=1 2>/dev/null | cmp -s - /tmp/pat ||
    fail "sector 8 is not the pattern"
echo "image: only sector 8 changed, to the pattern"
kill -TERM $micd
wait $micd || fail "micd exited $?"
EOF
	vmic_run
	vmic_check "^card: every status as expected$" \
	    "^micd: 5 lines for 5 bad requests$" \
	    "^image: only sector 8 changed, to the pattern$"
}

vmic_case forged "two cards under micd, mic0 forging the indices micd's" \
    "ring peek reads (the trailer's avail_idx, the used index) so that micd" \
    "sees a read or a write while the host takes a buffer to write into:" \
    "the card gets only what micd wrote for the request, and mic1's disk" \
    "and console keep working"
forged_body()
{
	virtio_script <<'EOF'
cp $SHARE/card-badblk.img /lib/firmware/mic/badblk.image ||
    fail "no card-badblk.img"
dd if=/dev/urandom of=/tmp/bad.img bs=512 count=128 2>/dev/null
dd if=/dev/zero of=/tmp/ok.img bs=512 count=128 2>/dev/null
printf 'MIC1-DISK-MARKER' | dd of=/tmp/ok.img conv=notrunc 2>/dev/null
micd_start <<'CONF'
default {
	boot on start yes
}
card mic0 {
	ramdisk "mic/badblk.image"
	cmdline "micemu.skip=virtio_blk"
	disk "/tmp/bad.img"
}
card mic1 {
	disk "/tmp/ok.img"
}
CONF
waitstate mic0 online
waitstate mic1 online
badlog() {
	micctl log mic0 >/tmp/log 2>/dev/null && grep -q "mic_badblk: done\|no answer" /tmp/log
}
waitfor 300 badlog || fail "mic_badblk did not finish: $(tail -n 20 /tmp/log)"
grep -o "mic_badblk: forged.*" /tmp/log | sed "s/^/card: /"
for c in forged_read forged_write; do
	grep -q "mic_badblk: $c: reply as micd wrote it" /tmp/log ||
	    fail "card: $c: $(grep -o "mic_badblk: $c: .*" /tmp/log)"
	echo "card: $c: only what micd wrote"
done
grep -q "mic_badblk: done" /tmp/log || fail "card: not done"
grep "mic0: disk0" /tmp/micd.log | sed "s/^/micd.log: /"
con_open mic1
con_login
con_do 'dd if=/dev/vda bs=16 count=1 iflag=direct 2>/dev/null; echo'
con_new "^MIC1-DISK-MARKER" || fail "mic1: no marker: $(tail -c 400 /tmp/mic1.out)"
echo "mic1: disk and console still work"
grep -q "mic1: .*broken\|mic1: disk0: request" /tmp/micd.log && fail "mic1 touched"
expect mic0 state online
expect mic1 state online
micd_stop
EOF
	vmic_run -c 2
	vmic_check "^card: forged_read: only what micd wrote$" \
	    "^card: forged_write: only what micd wrote$" \
	    "^mic1: disk and console still work$"
}

atf_init_test_cases()
{
	atf_add_test_case disk
	atf_add_test_case badblk
	atf_add_test_case forged
}
