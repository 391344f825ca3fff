# SPDX-License-Identifier: BSD-2-Clause
#
# micd's network device (usr.sbin/micd/vionet.c) under a card that sends
# frames whose virtio-net header the negotiated features do not allow:
# mic_badnet.ko (card-badnet.img) binds the card's network device, accepts
# checksum offload and TSO over IPv4 only, and sends a TCP over IPv6 GSO
# frame, a frame whose checksum would land past its end, and a good frame.
# micd drops and counts the first two, and the tap gets the good one only.
# A second card, healthy, keeps its console and its network.  The host
# script helpers (micd_start, con_do...) are those of the virtio tests
# (virtio.subr).

VMIC_TOOLS="card-badnet.img"
. "$(atf_get_srcdir)/../vmic.subr"
. "$(atf_get_srcdir)/../virtio/virtio.subr"

vmic_case badnet "two cards under micd, mic0 sending frames with an" \
    "un-negotiated GSO type and a checksum offset past the frame: micd" \
    "drops and counts both, the tap receives only the good frame after" \
    "them, and mic1 keeps working"
badnet_body()
{
	virtio_script <<'EOF'
cp $SHARE/card-badnet.img /lib/firmware/mic/badnet.image ||
    fail "no card-badnet.img"
micd_start <<'CONF'
default {
	boot on start yes
}
card mic0 {
	ramdisk "mic/badnet.image"
	cmdline "micemu.skip=virtio_net"
}
CONF
waitstate mic0 online
waitstate mic1 online
badnet() {
	micctl log mic0 >/tmp/log 2>/dev/null &&
	    grep -q "mic_badnet: done\|no answer" /tmp/log
}
waitfor 300 badnet || fail "mic_badnet did not finish: $(tail -n 20 /tmp/log)"
grep -o "mic_badnet: .*" /tmp/log | sed "s/^/card: /"
for c in "gso_tcpv6: sent" "bad_csum: sent" "good: sent" "done"; do
	grep -q "mic_badnet: $c" /tmp/log || fail "card: no \"$c\""
done
echo "card: three frames sent"
micd_log "mic0: net: frame header not allowed by the negotiated features (1 dropped)"
micd_log "mic0: net: frame header not allowed by the negotiated features (2 dropped)"
grep "mic0: net:" /tmp/micd.log | sed "s/^/micd.log: /"
echo "micd: $(grep -c "mic0: net: frame header not allowed" /tmp/micd.log) frames dropped"
# The good frame is in the tap's counters once mic_badnet saw its buffer
# back: micd wrote it before it completed the chain.
st=/sys/class/net/mic0/statistics
for f in rx_packets rx_bytes rx_errors rx_dropped rx_frame_errors; do
	echo "tap: $f $(cat $st/$f)"
done
[ "$(cat $st/rx_packets)" -eq 1 ] || fail "the tap received $(cat $st/rx_packets) frames, not 1"
[ "$(cat $st/rx_bytes)" -eq 60 ] || fail "the tap received $(cat $st/rx_bytes) bytes, not 60"
[ "$(cat $st/rx_errors)" -eq 0 ] && [ "$(cat $st/rx_dropped)" -eq 0 ] &&
    [ "$(cat $st/rx_frame_errors)" -eq 0 ] || fail "the tap had errors or drops"
echo "tap: only the good frame"
# mic1: its console and its network still work.
con_open mic1
con_login
con_run 'echo two-$((6 * 7))' "two-42"
con_do 'ok=1; n=0; while [ $n -lt 60 ]; do ping -c 1 -W 5 172.31.2.254 >/dev/null && { ok=0; break; }; n=$((n + 1)); sleep 1; done; echo "ping $ok"' 600
con_new "^ping 0" || fail "mic1: no ping: $(tail -c 400 /tmp/mic1.out)"
echo "mic1: console and network still work"
grep -q "mic1: net: frame header" /tmp/micd.log && fail "mic1 touched"
expect mic0 state online
expect mic1 state online
micd_stop
EOF
	vmic_run -c 2
	vmic_check "^card: three frames sent$" "^micd: 2 frames dropped$" \
	    "^tap: only the good frame$" \
	    "^mic1: console and network still work$"
}

atf_init_test_cases()
{
	atf_add_test_case badnet
}
