/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vionet.c over a fake device and a fake tap: the vio_*() functions here
 * play the card's two rings in memory (COPY_DESC as ABI.md and
 * protocol.md describe it, vio_peek() as the mapped ring shows it), the
 * tap is one end of a datagram socketpair (a frame a datagram, as a tap
 * reads and writes them), and card_io_*() record what the backend asks
 * to poll.  Also the header and offload decisions.
 */

#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include <atf-c.h>

#include "mic.h"
#include "micd.h"
#include "fakeio.h"

#define FAKE_CHAINS	256
#define FAKE_BUF	(70 * 1024)

#define F(bit)		(1U << VIRTIO_NET_F_##bit)

static struct {
	struct vio	*f_vio;
	uint8_t		 f_feat[4];	/* offered */
	uint8_t		 f_conf[8];
	int		 f_status;	/* the card's */
	uint32_t	 f_accepted;	/* the card's */
	char		 f_got[FAKE_CHAINS][FAKE_BUF];	/* what it received */
	size_t		 f_gotlen[FAKE_CHAINS];
	size_t		 f_ngot;
	/* the tap */
	int		 f_host;	/* the host's end of it */
	unsigned int	 f_offloads;
	unsigned int	 f_hdrlen;
	int		 f_addrs;	/* priv_tap_address() calls */
} fake;

static struct card	 card;
static struct cardconf	 conf;

int
vio_desc(struct vio *v, int type, unsigned int nvq, unsigned int num,
    const uint8_t *feat, size_t featlen, const void *config, size_t conflen)
{
	ATF_CHECK_EQ(type, 1);
	ATF_CHECK_EQ(nvq, 2);
	ATF_CHECK_EQ(num, 128);
	ATF_REQUIRE_EQ(featlen, 4);
	ATF_REQUIRE_EQ(conflen, 8);
	memcpy(fake.f_feat, feat, 4);
	memcpy(fake.f_conf, config, 8);
	fake.f_vio = v;
	return (0);
}

int
vio_status(const struct vio *v)
{
	(void)v;
	return (fake.f_status);
}

int
vio_features(const struct vio *v, uint8_t *buf, size_t len)
{
	size_t i;

	(void)v;
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(fake.f_accepted >> (8 * i));
	return (0);
}

int
vio_peek(const struct vio *v, unsigned int r, struct vio_chain *ch)
{
	(void)v;
	ATF_REQUIRE_EQ(r, 0);
	if (fakecard.rxhead == fakecard.rxtail)
		return (0);
	memset(ch, 0, sizeof(*ch));
	ch->vc_wlen = fakecard.rx[fakecard.rxhead];
	ch->vc_ndesc = 1;
	return (1);
}

/* A receive chain of the card gets what micd gives it, one iovec. */
size_t
card_received(size_t room, struct iovec *iov, size_t iovcnt)
{
	size_t n;

	ATF_REQUIRE_EQ(iovcnt, 1);
	n = room < iov->iov_len ? room : iov->iov_len;
	ATF_REQUIRE(fake.f_ngot < FAKE_CHAINS && n <= FAKE_BUF);
	memcpy(fake.f_got[fake.f_ngot], iov->iov_base, n);
	fake.f_gotlen[fake.f_ngot++] = n;
	return (n);
}

int
tap_open(const char *name)
{
	int sv[2];

	ATF_CHECK_STREQ(name, "mic0");
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0,
	    sv) == 0);
	fake.f_host = sv[1];
	return (sv[0]);
}

int
tap_offload(int fd, unsigned int offloads, unsigned int hdrlen)
{
	(void)fd;
	fake.f_offloads = offloads;
	fake.f_hdrlen = hdrlen;
	return (0);
}

/* The parent gives the tap the card's host address. */
int
priv_tap_address(struct card *c)
{
	ATF_CHECK_STREQ(c->c_name, "mic0");
	ATF_CHECK_EQ(c->c_conf->cc_hostaddr.i_addr, conf.cc_hostaddr.i_addr);
	fake.f_addrs++;
	return (0);
}

/* A frame: a virtio-net header (gso as given), then len bytes of data. */
static size_t
frame(char *buf, uint8_t flags, uint8_t gso, size_t len, int seed)
{
	struct virtio_net_hdr h;
	size_t i;

	memset(&h, 0, sizeof(h));
	h.flags = flags;
	h.gso_type = gso;
	memcpy(buf, &h, sizeof(h));
	for (i = 0; i < len; i++)
		buf[sizeof(h) + i] = (char)(seed + i * 7);
	return (sizeof(h) + len);
}

/*
 * A frame from the card: a header of flags, gso type and size, checksum
 * start and offset, headers' length; then len bytes of data.
 */
static size_t
txframe(char *buf, uint8_t flags, uint8_t gso, uint16_t gsosize,
    uint16_t cstart, uint16_t coff, uint16_t hdrlen, size_t len)
{
	struct virtio_net_hdr h;

	memset(&h, 0, sizeof(h));
	h.flags = flags;
	h.gso_type = gso;
	h.gso_size = gsosize;
	h.csum_start = cstart;
	h.csum_offset = coff;
	h.hdr_len = hdrlen;
	memcpy(buf, &h, sizeof(h));
	memset(buf + sizeof(h), 0x42, len);
	return (sizeof(h) + len);
}

#define CSUM	VIRTIO_NET_HDR_F_NEEDS_CSUM
#define TSO4	VIRTIO_NET_HDR_GSO_TCPV4
#define TSO6	VIRTIO_NET_HDR_GSO_TCPV6
#define ECN	VIRTIO_NET_HDR_GSO_ECN

/*
 * Serve as the poll loop would (level-triggered) until idle: the device
 * while it has a transmit chain or a receive chain micd does not hold,
 * the tap while it is readable and polled.  No busy loop.
 */
static void
serve(void)
{
	struct pollfd pfd;
	int i, busy;

	for (i = 0, busy = 1; busy; i++) {
		ATF_REQUIRE(i < 1000);
		busy = 0;
		if (fakecard.open && (fakecard.txhead != fakecard.txtail ||
		    (fakecard.rxhead != fakecard.rxtail && !fakecard.held))) {
			fake.f_vio->v_ready(fake.f_vio);
			busy = 1;
		}
		pfd.fd = fakeio.fd;
		pfd.events = fakeio.events;
		if (fakeio.fd != -1 && pfd.events != 0 &&
		    poll(&pfd, 1, 0) == 1) {
			fakeio.fn(&card, pfd.fd, pfd.revents, fakeio.arg);
			busy = 1;
		}
	}
}

static void
start(uint32_t accepted)
{
	memset(&fake, 0, sizeof(fake));
	fakeio.fd = -1;
	fakecard.iovmax = 1;
	memset(&card, 0, sizeof(card));
	memset(&conf, 0, sizeof(conf));
	(void)snprintf(card.c_name, sizeof(card.c_name), "mic0");
	ATF_REQUIRE(addr_inet4_parse("172.31.1.254/24",
	    &conf.cc_hostaddr) == 0);
	ATF_REQUIRE(addr_lladdr_parse("02:6d:69:63:00:00",
	    conf.cc_lladdr) == 0);
	card.c_conf = &conf;
	vionet_backend.b_init(&card);
	ATF_REQUIRE(fakeio.fd != -1);
	ATF_CHECK_EQ(fake.f_addrs, 1);
	ATF_REQUIRE_EQ(vionet_backend.b_start(&card), 0);
	ATF_CHECK_EQ(fake.f_hdrlen, 10);
	ATF_CHECK_EQ(fake.f_offloads, 0);
	fake.f_accepted = accepted;
	fake.f_status = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
	    VIRTIO_CONFIG_S_DRIVER_OK;
}

static void
stop(void)
{
	vionet_backend.b_stop(&card);
	vionet_backend.b_exit(&card);
	ATF_CHECK_EQ(fakeio.fd, -1);
	(void)close(fake.f_host);
}

/* The host sends a frame through the tap. */
static void
host_send(const char *p, size_t len)
{
	ATF_REQUIRE_EQ(write(fake.f_host, p, len), (ssize_t)len);
}

ATF_TC(decisions);
ATF_TC_HEAD(decisions, tc)
{
	atf_tc_set_md_var(tc, "descr", "header size, tap offloads and the "
	    "headers the card may be given, from the features it accepted");
}
ATF_TC_BODY(decisions, tc)
{
	uint8_t h[10];

	ATF_CHECK_EQ(vionet_hdrlen(0), 10);
	ATF_CHECK_EQ(vionet_hdrlen(F(MRG_RXBUF)), 12);
	ATF_CHECK_EQ(vionet_offloads(0), 0);
	ATF_CHECK_EQ(vionet_offloads(F(GUEST_TSO4) | F(GUEST_TSO6)), 0);
	ATF_CHECK_EQ(vionet_offloads(F(GUEST_CSUM)), TUN_F_CSUM);
	ATF_CHECK_EQ(vionet_offloads(F(GUEST_CSUM) | F(GUEST_TSO4)),
	    TUN_F_CSUM | TUN_F_TSO4);
	ATF_CHECK_EQ(vionet_offloads(F(GUEST_CSUM) | F(GUEST_TSO4) |
	    F(GUEST_TSO6) | F(HOST_TSO4) | F(CSUM)),
	    TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);
	memset(h, 0, sizeof(h));
	ATF_CHECK(vionet_rxhdr_ok(h, 10, 0));
	ATF_CHECK(!vionet_rxhdr_ok(h, 9, 0));
	h[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	ATF_CHECK(!vionet_rxhdr_ok(h, 10, 0));
	ATF_CHECK(vionet_rxhdr_ok(h, 10, F(GUEST_CSUM)));
	h[1] = VIRTIO_NET_HDR_GSO_TCPV4;
	ATF_CHECK(!vionet_rxhdr_ok(h, 10, F(GUEST_CSUM) | F(GUEST_TSO6)));
	ATF_CHECK(vionet_rxhdr_ok(h, 10, F(GUEST_CSUM) | F(GUEST_TSO4)));
	h[1] = VIRTIO_NET_HDR_GSO_TCPV6;
	ATF_CHECK(!vionet_rxhdr_ok(h, 10, F(GUEST_CSUM) | F(GUEST_TSO4)));
	ATF_CHECK(vionet_rxhdr_ok(h, 10, F(GUEST_CSUM) | F(GUEST_TSO6)));
	h[1] = VIRTIO_NET_HDR_GSO_UDP;
	ATF_CHECK(!vionet_rxhdr_ok(h, 10, 0xffffffffU));
	h[1] = VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN;
	ATF_CHECK(!vionet_rxhdr_ok(h, 10, 0xffffffffU));
}

ATF_TC(device);
ATF_TC_HEAD(device, tc)
{
	atf_tc_set_md_var(tc, "descr", "the device offers the MAC, the link "
	    "status, checksums and TSO both ways, ANY_LAYOUT, never "
	    "MRG_RXBUF, INDIRECT_DESC or EVENT_IDX; config: the MAC, link up");
}
ATF_TC_BODY(device, tc)
{
	static const uint8_t mac[6] = { 0x02, 'm', 'i', 'c', 0, 0 };
	uint32_t f;

	start(0);
	f = (uint32_t)fake.f_feat[0] | (uint32_t)fake.f_feat[1] << 8 |
	    (uint32_t)fake.f_feat[2] << 16 | (uint32_t)fake.f_feat[3] << 24;
	ATF_CHECK_EQ(f, F(CSUM) | F(GUEST_CSUM) | F(MAC) | F(GUEST_TSO4) |
	    F(GUEST_TSO6) | F(HOST_TSO4) | F(HOST_TSO6) | F(STATUS) |
	    1U << VIRTIO_F_ANY_LAYOUT);
	ATF_CHECK((f & (1U << VIRTIO_RING_F_INDIRECT_DESC |
	    1U << VIRTIO_RING_F_EVENT_IDX | F(MRG_RXBUF))) == 0);
	ATF_CHECK(memcmp(fake.f_conf, mac, 6) == 0);
	ATF_CHECK_EQ(fake.f_conf[6], VIRTIO_NET_S_LINK_UP);
	ATF_CHECK_EQ(fake.f_conf[7], 0);
	stop();
}

ATF_TC(ready);
ATF_TC_HEAD(ready, tc)
{
	atf_tc_set_md_var(tc, "descr", "at DRIVER_OK the tap gets the "
	    "offloads the card accepted; after a device reset, none");
}
ATF_TC_BODY(ready, tc)
{
	start(F(CSUM) | F(GUEST_CSUM) | F(GUEST_TSO4) | F(MAC));
	card_rx(2000);
	serve();
	ATF_CHECK_EQ(fake.f_offloads, TUN_F_CSUM | TUN_F_TSO4);
	ATF_CHECK_EQ(fake.f_hdrlen, 10);
	fake.f_status = 0;
	card_tx("x", 1);	/* a wakeup */
	serve();
	ATF_CHECK_EQ(fake.f_offloads, 0);
	stop();
}

ATF_TC(to_card);
ATF_TC_HEAD(to_card, tc)
{
	atf_tc_set_md_var(tc, "descr", "frames from the tap go whole into "
	    "the card's receive chains, in order; with none left, one waits "
	    "and the tap is not polled until the card posts a chain; with "
	    "no frame, micd holds a chain");
}
ATF_TC_BODY(to_card, tc)
{
	static char buf[FAKE_BUF];
	size_t len[3];
	int i;

	start(F(GUEST_CSUM) | F(GUEST_TSO4));
	card_rx(65536 + 100);
	card_rx(65536 + 100);
	serve();
	ATF_CHECK_EQ(fakecard.holds, 1);
	ATF_CHECK(fakecard.held);
	for (i = 0; i < 3; i++) {
		len[i] = frame(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM,
		    i == 1 ? VIRTIO_NET_HDR_GSO_TCPV4 : 0,
		    i == 1 ? 65536 : 60 + i, i);
		host_send(buf, len[i]);
	}
	serve();
	ATF_REQUIRE_EQ(fake.f_ngot, 2);
	ATF_CHECK_EQ(fake.f_gotlen[0], len[0]);
	ATF_CHECK_EQ(fake.f_gotlen[1], len[1]);
	(void)frame(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM,
	    VIRTIO_NET_HDR_GSO_TCPV4, 65536, 1);
	ATF_CHECK(memcmp(fake.f_got[1], buf, len[1]) == 0);
	ATF_CHECK_EQ(fakeio.events, 0);		/* a frame waits */
	card_rx(1600);
	serve();
	ATF_REQUIRE_EQ(fake.f_ngot, 3);
	(void)frame(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 62, 2);
	ATF_CHECK_EQ(fake.f_gotlen[2], len[2]);
	ATF_CHECK(memcmp(fake.f_got[2], buf, len[2]) == 0);
	ATF_CHECK_EQ(fakeio.events, POLLIN);
	stop();
}

ATF_TC(too_large);
ATF_TC_HEAD(too_large, tc)
{
	atf_tc_set_md_var(tc, "descr", "a frame larger than the card's "
	    "chain is dropped, never cut; a frame with an offload the card "
	    "did not accept is dropped; the next frame uses the chain");
}
ATF_TC_BODY(too_large, tc)
{
	static char buf[FAKE_BUF];
	size_t len;

	start(F(GUEST_CSUM));
	card_rx(1600);
	serve();
	len = frame(buf, 0, 0, 3000, 0);
	host_send(buf, len);
	len = frame(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM,
	    VIRTIO_NET_HDR_GSO_TCPV4, 1400, 0);
	host_send(buf, len);
	len = frame(buf, 0, 0, 1500, 5);
	host_send(buf, len);
	serve();
	ATF_REQUIRE_EQ(fake.f_ngot, 1);
	ATF_CHECK_EQ(fake.f_gotlen[0], len);
	ATF_CHECK(memcmp(fake.f_got[0], buf, len) == 0);
	stop();
}

ATF_TC(from_card);
ATF_TC_HEAD(from_card, tc)
{
	atf_tc_set_md_var(tc, "descr", "each chain of the card is one frame "
	    "on the tap, header and all; a chain shorter than a header and "
	    "an Ethernet header is dropped; so is one longer than a TSO "
	    "frame");
}
ATF_TC_BODY(from_card, tc)
{
	static char buf[FAKE_BUF], got[FAKE_BUF + 100];
	static char big[12 + 65536 + 300];
	size_t len[2];

	start(F(CSUM) | F(HOST_TSO4));
	len[0] = frame(buf, 0, 0, 60, 3);
	card_tx(buf, len[0]);
	card_tx(buf, 10 + 13);
	memset(big, 0, sizeof(big));
	card_tx(big, sizeof(big));
	len[1] = txframe(buf, CSUM, TSO4, 1448, 34, 16, 66, 65536);
	card_tx(buf, len[1]);
	serve();
	ATF_CHECK_EQ(read(fake.f_host, got, sizeof(got)), (ssize_t)len[0]);
	(void)frame(buf, 0, 0, 60, 3);
	ATF_CHECK(memcmp(got, buf, len[0]) == 0);
	ATF_CHECK_EQ(read(fake.f_host, got, sizeof(got)), (ssize_t)len[1]);
	(void)txframe(buf, CSUM, TSO4, 1448, 34, 16, 66, 65536);
	ATF_CHECK(memcmp(got, buf, len[1]) == 0);
	ATF_CHECK_EQ(read(fake.f_host, got, sizeof(got)), -1);
	ATF_CHECK_EQ(errno, EAGAIN);
	stop();
}

ATF_TC(no_device);
ATF_TC_HEAD(no_device, tc)
{
	atf_tc_set_md_var(tc, "descr", "without a device (the card is "
	    "down), what the host sends is read and dropped; the tap stays, "
	    "and a new boot serves it again");
}
ATF_TC_BODY(no_device, tc)
{
	static char buf[FAKE_BUF];
	size_t len;

	start(0);
	vionet_backend.b_stop(&card);
	ATF_CHECK(!fakecard.open);
	ATF_CHECK_EQ(fakeio.events, POLLIN);
	len = frame(buf, 0, 0, 100, 0);
	host_send(buf, len);
	serve();
	ATF_CHECK_EQ(recv(fakeio.fd, buf, sizeof(buf), MSG_PEEK), -1);
	ATF_CHECK_EQ(errno, EAGAIN);
	ATF_REQUIRE_EQ(vionet_backend.b_start(&card), 0);
	card_rx(2000);
	len = frame(buf, 0, 0, 100, 9);
	host_send(buf, len);
	serve();
	ATF_REQUIRE_EQ(fake.f_ngot, 1);
	ATF_CHECK_EQ(fake.f_gotlen[0], len);
	stop();
}


/* Headers a card with these features may not send, and one it may. */
static const struct {
	uint8_t		flags, gso;
	uint16_t	gsosize, cstart, coff, hdrlen;
	size_t		len;
	const char	*what;
} badtx[] = {
	{ CSUM, TSO6, 1448, 34, 16, 66, 3000, "TCPV6, not accepted" },
	{ CSUM, VIRTIO_NET_HDR_GSO_UDP, 1448, 34, 6, 42, 3000, "UDP" },
	{ CSUM, 5, 1448, 34, 16, 66, 3000, "an unknown GSO type" },
	{ CSUM, TSO4 | ECN, 1448, 34, 16, 66, 3000, "ECN, not offered" },
	{ CSUM, 0, 0, 1000, 16, 0, 1017, "csum_start past the end" },
	{ CSUM, 0, 0, 34, 0xfff0, 0, 1000, "csum_offset past the end" },
	{ CSUM, 0, 0, 0xffff, 0xffff, 0, 100, "csum overflowing 16 bits" },
	{ 0, TSO4, 1448, 0, 0, 66, 3000, "TSO without a checksum" },
	{ CSUM, TSO4, 0, 34, 16, 66, 3000, "TSO without a segment size" },
	{ CSUM, TSO4, 1448, 34, 16, 3001, 3000, "hdr_len past the end" },
	{ 0x80, 0, 0, 0, 0, 0, 100, "an unknown flag" },
	{ VIRTIO_NET_HDR_F_DATA_VALID, 0, 0, 0, 0, 0, 100, "DATA_VALID" },
};

ATF_TC(txhdr);
ATF_TC_HEAD(txhdr, tc)
{
	atf_tc_set_md_var(tc, "descr", "the headers a card may send: offloads "
	    "it was offered and accepted, a checksum field inside the packet, "
	    "a segment size with GSO, the headers inside the packet");
}
ATF_TC_BODY(txhdr, tc)
{
	static char buf[FAKE_BUF];
	const uint32_t f = F(CSUM) | F(HOST_TSO4);
	size_t i, len;

	for (i = 0; i < sizeof(badtx) / sizeof(badtx[0]); i++) {
		len = txframe(buf, badtx[i].flags, badtx[i].gso,
		    badtx[i].gsosize, badtx[i].cstart, badtx[i].coff,
		    badtx[i].hdrlen, badtx[i].len);
		ATF_CHECK_MSG(!vionet_txhdr_ok((uint8_t *)buf, len, f),
		    "%s: allowed", badtx[i].what);
		ATF_CHECK_MSG(!vionet_txhdr_ok((uint8_t *)buf, len,
		    0xffffffffU & ~F(HOST_ECN) & ~F(HOST_TSO6) & ~F(HOST_UFO)),
		    "%s: allowed with every other feature", badtx[i].what);
	}
	len = txframe(buf, 0, 0, 0, 0, 0, 0, 60);
	ATF_CHECK(vionet_txhdr_ok((uint8_t *)buf, len, 0));
	ATF_CHECK(!vionet_txhdr_ok((uint8_t *)buf, 9, 0));
	len = txframe(buf, CSUM, 0, 0, 34, 16, 0, 52);
	ATF_CHECK(vionet_txhdr_ok((uint8_t *)buf, len, F(CSUM)));
	ATF_CHECK(!vionet_txhdr_ok((uint8_t *)buf, len, F(GUEST_CSUM)));
	ATF_CHECK(!vionet_txhdr_ok((uint8_t *)buf, len - 1, F(CSUM)));
	len = txframe(buf, CSUM, TSO4, 1448, 34, 16, 66, 65000);
	ATF_CHECK(vionet_txhdr_ok((uint8_t *)buf, len, f));
	ATF_CHECK(!vionet_txhdr_ok((uint8_t *)buf, len, F(CSUM) |
	    F(HOST_TSO6)));
	ATF_CHECK(!vionet_txhdr_ok((uint8_t *)buf, len, F(CSUM) |
	    F(GUEST_TSO4)));
	len = txframe(buf, CSUM, TSO6, 1428, 54, 16, 86, 65000);
	ATF_CHECK(vionet_txhdr_ok((uint8_t *)buf, len, F(CSUM) |
	    F(HOST_TSO6)));
	len = txframe(buf, CSUM, TSO4 | ECN, 1448, 34, 16, 66, 3000);
	ATF_CHECK(vionet_txhdr_ok((uint8_t *)buf, len, f | F(HOST_ECN)));
}

/* micd's log lines (stderr) go to the file "log" from now on. */
static void
log_to_file(void)
{
	int fd;

	fd = open("log", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	ATF_REQUIRE(fd != -1);
	ATF_REQUIRE(dup2(fd, STDERR_FILENO) == STDERR_FILENO);
	(void)close(fd);
}

ATF_TC(bad_header);
ATF_TC_HEAD(bad_header, tc)
{
	atf_tc_set_md_var(tc, "descr", "a frame of the card whose header "
	    "the negotiated features do not allow is dropped, counted and "
	    "logged, and nothing of it reaches the tap; a TSO frame the card "
	    "may send still does, header and all");
}
ATF_TC_BODY(bad_header, tc)
{
	static char buf[FAKE_BUF], got[FAKE_BUF];
	size_t i, len, n;

	log_to_file();
	start(F(CSUM) | F(HOST_TSO4) | F(GUEST_CSUM));
	n = sizeof(badtx) / sizeof(badtx[0]);
	for (i = 0; i < n; i++) {
		len = txframe(buf, badtx[i].flags, badtx[i].gso,
		    badtx[i].gsosize, badtx[i].cstart, badtx[i].coff,
		    badtx[i].hdrlen, badtx[i].len);
		card_tx(buf, len);
	}
	len = txframe(buf, CSUM, TSO4, 1448, 34, 16, 66, 65000);
	card_tx(buf, len);
	serve();
	ATF_CHECK_EQ(read(fake.f_host, got, sizeof(got)), (ssize_t)len);
	ATF_CHECK(memcmp(got, buf, len) == 0);
	ATF_CHECK_EQ(read(fake.f_host, got, sizeof(got)), -1);
	ATF_CHECK_EQ(errno, EAGAIN);
	/* Before DRIVER_OK nothing is negotiated: no checksum offload. */
	fake.f_status = 0;
	len = txframe(buf, CSUM, 0, 0, 34, 16, 0, 52);
	card_tx(buf, len);
	serve();
	ATF_CHECK_EQ(read(fake.f_host, got, sizeof(got)), -1);
	stop();
	ATF_CHECK(atf_utils_grep_file("^[^:]*: mic0: net: frame header not "
	    "allowed by the negotiated features \\(1 dropped\\)$", "log"));
	ATF_CHECK(atf_utils_grep_file("^[^:]*: mic0: net: frame header not "
	    "allowed by the negotiated features \\(5 dropped\\)$", "log"));
	ATF_CHECK(atf_utils_grep_file("^[^:]*: mic0: net: more frame headers "
	    "not allowed, not logged for 60 seconds$", "log"));
	ATF_CHECK(!atf_utils_grep_file("\\(6 dropped\\)", "log"));
}

ATF_TC(stale);
ATF_TC_HEAD(stale, tc)
{
	atf_tc_set_md_var(tc, "descr", "a transmit chain with writable "
	    "buffers after its frame gets zeros there, never an earlier "
	    "frame");
}
ATF_TC_BODY(stale, tc)
{
	static char buf[FAKE_BUF];
	size_t i, len;

	start(0);
	len = frame(buf, 0, 0, 0, 0);
	memset(buf + len, 0xa5, 60000);
	card_tx(buf, len + 60000);
	len = frame(buf, 0, 0, 60, 1);
	card_tx_back(buf, len, 65000);
	serve();
	ATF_REQUIRE_EQ(fakecard.backlen, 65000);
	i = card_back_nonzero();
	ATF_CHECK_EQ_MSG(i, fakecard.backlen, "byte %zu is not zero", i);
	stop();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, decisions);
	ATF_TP_ADD_TC(tp, device);
	ATF_TP_ADD_TC(tp, ready);
	ATF_TP_ADD_TC(tp, to_card);
	ATF_TP_ADD_TC(tp, too_large);
	ATF_TP_ADD_TC(tp, from_card);
	ATF_TP_ADD_TC(tp, no_device);
	ATF_TP_ADD_TC(tp, txhdr);
	ATF_TP_ADD_TC(tp, bad_header);
	ATF_TP_ADD_TC(tp, stale);
	return (atf_no_error());
}
