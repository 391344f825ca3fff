/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vionet: the card's virtio network device (VIRTIO_ID_NET, legacy, one
 * queue pair) over a tap interface named after the card (tap.c).  The tap
 * lives as long as the card process, across the card's boots, so that the
 * host's address stays; the device is added at each boot.
 *
 * Features: the MAC address (micd.conf lladdr), the link status (always
 * up), checksum offload and TSO both ways (CSUM, HOST_TSO4/6: the card
 * sends partial checksums and 64 KiB frames; GUEST_CSUM, GUEST_TSO4/6: it
 * takes them), and ANY_LAYOUT (COPY_DESC reads a chain as one stream).
 * Not MRG_RXBUF: without it, a card that accepts GUEST_TSO posts receive
 * chains that each hold a whole 64 KiB frame, so a frame is one COPY_DESC
 * whose length the card needs no header to learn; with it, micd would
 * have to spread a frame over several chains and count them in the header
 * before it knows their sizes.  Never INDIRECT_DESC or EVENT_IDX (the
 * host's ring walker has neither).  When the card sets DRIVER_OK, the tap
 * takes the offloads the card accepted, and the header size (10 bytes;
 * 12 with MRG_RXBUF).
 *
 * Ring 1 (the card's transmitq) is drained into the tap, one frame a
 * chain; a frame the tap cannot take now is dropped, never waited for.
 * The host's stack trusts a frame's virtio-net header, so micd passes on
 * only headers that the features the card was offered and accepted
 * allow (vionet_txhdr_ok()); it drops the others, counts them, and says
 * so in a few lines of log a minute.  The buffer a transmit chain is
 * copied into is cleared after each frame: a chain that also has
 * writable buffers gets zeros there, never an earlier frame.
 * Ring 0 (the card's receiveq) gets what the tap gives: a frame is read
 * from the tap only while the card has a receive chain; with no frame,
 * micd holds the next chain (COPY_DESC of nothing) so that the ring does
 * not keep the device readable; with a frame and no chain, the frame
 * waits and the tap is not read until the device is readable again.  A
 * frame larger than the chain it would go into is dropped, never cut.
 */

#include <sys/uio.h>

#include <endian.h>
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_tun.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>

#include "mic.h"
#include "micd.h"

#define VIONET_RX		0	/* ring: host to card */
#define VIONET_TX		1	/* ring: card to host */
#define VIONET_NUM		128	/* entries of each ring */
#define VIONET_FEATLEN		4	/* 32 feature bits (legacy) */
#define VIONET_HDR_MAX		12	/* struct virtio_net_hdr_mrg_rxbuf */
#define VIONET_FRAME_MAX	(65536 + 256)	/* a TSO frame, headers */
#define VIONET_BUF		(VIONET_HDR_MAX + VIONET_FRAME_MAX + 1)
#define VIONET_DRAIN_MAX	(2 * VIONET_NUM)	/* frames a wakeup */
#define VIONET_LOG_BURST	5	/* lines about bad headers... */
#define VIONET_LOG_PERIOD	60	/* ...in so many seconds */
#define VIONET_FEATURES							\
	(1U << VIRTIO_NET_F_CSUM | 1U << VIRTIO_NET_F_GUEST_CSUM |	\
	1U << VIRTIO_NET_F_MAC | 1U << VIRTIO_NET_F_GUEST_TSO4 |	\
	1U << VIRTIO_NET_F_GUEST_TSO6 | 1U << VIRTIO_NET_F_HOST_TSO4 |	\
	1U << VIRTIO_NET_F_HOST_TSO6 | 1U << VIRTIO_NET_F_STATUS |	\
	1U << VIRTIO_F_ANY_LAYOUT)

/* The config space the card reads: mac, then status (little endian). */
struct vionet_config {
	uint8_t		nc_mac[ETH_ALEN];
	uint8_t		nc_status[2];
};

struct vionet {
	struct vio	 vn_vio;
	int		 vn_tap;	/* -1: none */
	uint32_t	 vn_features;	/* the card's, the tap has them */
	int		 vn_applied;	/* vn_features are set on the tap */
	unsigned int	 vn_hdrlen;
	size_t		 vn_rxlen;	/* of the frame for the card; 0: none */
	uint64_t	 vn_drops;	/* frames dropped, both ways */
	uint64_t	 vn_baddrops;	/* of these, headers not allowed */
	struct lograte	 vn_lograte;	/* of these */
	char		 vn_rx[VIONET_BUF];	/* from the tap, for the card */
	char		 vn_tx[VIONET_BUF];	/* from the card; zero between */
};

static void	vionet_init(struct card *);
static void	vionet_exit(struct card *);
static int	vionet_start(struct card *);
static void	vionet_stop(struct card *);
static void	vionet_config(struct card *, const struct cardconf *);
static void	vionet_address(struct card *);
static void	vionet_ready(struct vio *);
static void	vionet_sync(struct card *);
static void	vionet_apply(struct card *, uint32_t);
static void	vionet_events(struct card *);
static void	vionet_tapio(struct card *, int, short, void *);
static void	vionet_from_card(struct card *);
static void	vionet_put(struct card *, size_t);
static void	vionet_to_card(struct card *);
static int	vionet_read(struct card *);
static int	vionet_deliver(struct card *);
static void	vionet_drop(struct card *, const char *, size_t);
static void	vionet_baddrop(struct card *, size_t);

const struct backend vionet_backend = {
	.b_name = "net",
	.b_init = vionet_init,
	.b_exit = vionet_exit,
	.b_start = vionet_start,
	.b_stop = vionet_stop,
	.b_config = vionet_config
};

static struct vionet	vionet;		/* a card process serves one card */

/* The virtio-net header size for the features the card accepted. */
unsigned int
vionet_hdrlen(uint32_t features)
{
	if ((features & 1U << VIRTIO_NET_F_MRG_RXBUF) != 0)
		return (sizeof(struct virtio_net_hdr_mrg_rxbuf));
	return (sizeof(struct virtio_net_hdr));
}

/*
 * The tap's offloads for the features the card accepted: what the card
 * takes (GUEST_*) is what the host may send; TSO needs the checksum.
 */
unsigned int
vionet_offloads(uint32_t features)
{
	unsigned int off;

	if ((features & 1U << VIRTIO_NET_F_GUEST_CSUM) == 0)
		return (0);
	off = TUN_F_CSUM;
	if ((features & 1U << VIRTIO_NET_F_GUEST_TSO4) != 0)
		off |= TUN_F_TSO4;
	if ((features & 1U << VIRTIO_NET_F_GUEST_TSO6) != 0)
		off |= TUN_F_TSO6;
	return (off);
}

/*
 * Whether the card may be given a frame with this virtio-net header
 * (len bytes at least 10): it asks only for what the card accepted.
 */
int
vionet_rxhdr_ok(const uint8_t *hdr, size_t len, uint32_t features)
{
	struct virtio_net_hdr h;

	if (len < sizeof(h))
		return (0);
	memcpy(&h, hdr, sizeof(h));
	if ((h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0 &&
	    (features & 1U << VIRTIO_NET_F_GUEST_CSUM) == 0)
		return (0);
	switch (h.gso_type) {
	case VIRTIO_NET_HDR_GSO_NONE:
		return (1);
	case VIRTIO_NET_HDR_GSO_TCPV4:
		return ((features & 1U << VIRTIO_NET_F_GUEST_TSO4) != 0);
	case VIRTIO_NET_HDR_GSO_TCPV6:
		return ((features & 1U << VIRTIO_NET_F_GUEST_TSO6) != 0);
	default:
		return (0);
	}
}

/*
 * Whether the card may send the frame of len bytes at frame, its header
 * first, to the host with the features it accepted of those micd
 * offered.  Only NEEDS_CSUM, with CSUM, and a checksum field inside the
 * packet; no GSO, or TCP over IPv4 or IPv6 with HOST_TSO4 or HOST_TSO6,
 * ECN only with HOST_ECN, a checksum to fill in and a segment size; the
 * headers' length inside the packet.
 */
int
vionet_txhdr_ok(const uint8_t *frame, size_t len, uint32_t features)
{
	struct virtio_net_hdr h;
	size_t plen;
	unsigned int need;

	if (len < vionet_hdrlen(features))
		return (0);
	plen = len - vionet_hdrlen(features);
	memcpy(&h, frame, sizeof(h));
	if ((h.flags & ~VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0 ||
	    le16toh(h.hdr_len) > plen)
		return (0);
	if ((h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0 &&
	    ((features & 1U << VIRTIO_NET_F_CSUM) == 0 ||
	    (size_t)le16toh(h.csum_start) + le16toh(h.csum_offset) + 2 > plen))
		return (0);
	if (h.gso_type == VIRTIO_NET_HDR_GSO_NONE)
		return (1);
	if ((h.gso_type & VIRTIO_NET_HDR_GSO_ECN) != 0 &&
	    (features & 1U << VIRTIO_NET_F_HOST_ECN) == 0)
		return (0);
	switch (h.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_TCPV4:
		need = VIRTIO_NET_F_HOST_TSO4;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		need = VIRTIO_NET_F_HOST_TSO6;
		break;
	default:
		return (0);
	}
	return ((features & 1U << need) != 0 &&
	    (h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0 &&
	    le16toh(h.gso_size) != 0);
}

/* The card process starts: the tap, up with the host's address. */
static void
vionet_init(struct card *c)
{
	struct vio *v;

	v = &vionet.vn_vio;
	v->v_card = c;
	v->v_name = vionet_backend.b_name;
	v->v_fd = -1;
	v->v_ready = vionet_ready;
	v->v_arg = &vionet;
	vionet.vn_hdrlen = vionet_hdrlen(0);
	if ((vionet.vn_tap = tap_open(c->c_name)) == -1) {
		log_warn("%s: net: tap %s", c->c_name, c->c_name);
		return;
	}
	if (tap_offload(vionet.vn_tap, 0, vionet.vn_hdrlen) == -1 ||
	    card_io_add(c, vionet.vn_tap, POLLIN, vionet_tapio, NULL) == -1) {
		log_warn("%s: net: tap %s", c->c_name, c->c_name);
		(void)close(vionet.vn_tap);
		vionet.vn_tap = -1;
		return;
	}
	vionet_address(c);
}

/* Give the tap the host's address from the settings, and log it. */
static void
vionet_address(struct card *c)
{
	char s[INET4_STRLEN];

	addr_inet4_print(&c->c_conf->cc_hostaddr, s, sizeof(s));
	if (priv_tap_address(c) == -1)
		log_warn("%s: net: tap %s: address %s", c->c_name, c->c_name,
		    s);
	else
		log_info("%s: net: tap %s %s", c->c_name, c->c_name, s);
}

/* The card process ends: the tap goes. */
static void
vionet_exit(struct card *c)
{
	if (vionet.vn_tap == -1)
		return;
	card_io_del(c, vionet.vn_tap);
	(void)close(vionet.vn_tap);
	vionet.vn_tap = -1;
}

/* The card boots, or is up: add the device, with the MAC of the settings. */
static int
vionet_start(struct card *c)
{
	struct vionet_config conf;
	uint8_t feat[VIONET_FEATLEN];
	int i;

	if (vionet.vn_tap == -1)
		return (-1);	/* said at init */
	for (i = 0; i < VIONET_FEATLEN; i++)
		feat[i] = (uint8_t)(VIONET_FEATURES >> (8 * i));
	memcpy(conf.nc_mac, c->c_conf->cc_lladdr, sizeof(conf.nc_mac));
	conf.nc_status[0] = VIRTIO_NET_S_LINK_UP;
	conf.nc_status[1] = 0;
	if (vio_desc(&vionet.vn_vio, VIRTIO_ID_NET, 2, VIONET_NUM, feat,
	    sizeof(feat), &conf, sizeof(conf)) == -1)
		fatal("%s: net: descriptor", c->c_name);
	vionet.vn_rxlen = 0;
	vionet_apply(c, 0);
	if (vio_open(&vionet.vn_vio) == -1)
		return (-1);
	vionet_events(c);
	return (0);
}

/* Before a reset, and at exit: remove the device; the tap stays. */
static void
vionet_stop(struct card *c)
{
	vio_close(&vionet.vn_vio, "removed");
	vionet.vn_rxlen = 0;
	if (vionet.vn_tap == -1)
		return;
	vionet_apply(c, 0);
	vionet_events(c);
}

/* New settings: a new host address now; a new MAC at the next boot. */
static void
vionet_config(struct card *c, const struct cardconf *old)
{
	const struct inet4 *a, *b;

	a = &old->cc_hostaddr;
	b = &c->c_conf->cc_hostaddr;
	if (vionet.vn_tap != -1 &&
	    (a->i_addr != b->i_addr || a->i_len != b->i_len))
		vionet_address(c);
}

/* The device is readable: its status, then both rings. */
static void
vionet_ready(struct vio *v)
{
	struct card *c;

	c = v->v_card;
	vionet_sync(c);
	vionet_from_card(c);
	if (vio_isopen(v))
		vionet_to_card(c);
	vionet_events(c);
}

/*
 * Give the tap what the card accepted once it is ready (DRIVER_OK), and
 * nothing while it is not (after a reset of the device, say).
 */
static void
vionet_sync(struct card *c)
{
	uint8_t b[VIONET_FEATLEN];
	uint32_t feat;
	int st;

	feat = 0;
	st = vio_status(&vionet.vn_vio);
	if (st != -1 && (st & VIRTIO_CONFIG_S_DRIVER_OK) != 0 &&
	    vio_features(&vionet.vn_vio, b, sizeof(b)) == 0)
		feat = ((uint32_t)b[0] | (uint32_t)b[1] << 8 |
		    (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24) &
		    VIONET_FEATURES;
	if (!vionet.vn_applied || feat != vionet.vn_features) {
		vionet_apply(c, feat);
		if (st != -1 && (st & VIRTIO_CONFIG_S_DRIVER_OK) != 0)
			log_info("%s: net: the card is ready, features %#x, "
			    "offloads %#x", c->c_name, feat,
			    vionet_offloads(feat));
	}
}

static void
vionet_apply(struct card *c, uint32_t feat)
{
	if (vionet.vn_applied && feat == vionet.vn_features)
		return;
	vionet.vn_features = feat;
	vionet.vn_hdrlen = vionet_hdrlen(feat);
	vionet.vn_applied = 1;
	if (tap_offload(vionet.vn_tap, vionet_offloads(feat),
	    vionet.vn_hdrlen) == -1) {
		log_warn("%s: net: tap %s: offloads", c->c_name, c->c_name);
		vionet.vn_applied = 0;
	}
}

/*
 * Read the tap unless a frame waits for a receive chain of the card
 * (then the device wakes micd when the card posts one).  Without a
 * device, the tap is read and its frames dropped.
 */
static void
vionet_events(struct card *c)
{
	if (vionet.vn_tap == -1)
		return;
	card_io_events(c, vionet.vn_tap, vionet.vn_rxlen > 0 &&
	    vio_isopen(&vionet.vn_vio) ? 0 : POLLIN);
}

static void
vionet_tapio(struct card *c, int fd, short revents, void *arg)
{
	int i;

	(void)arg;
	if ((revents & (POLLIN | POLLERR | POLLHUP)) == 0)
		return;
	if (vio_isopen(&vionet.vn_vio))
		vionet_to_card(c);
	else
		for (i = 0; i < VIONET_DRAIN_MAX &&
		    read(fd, vionet.vn_rx, sizeof(vionet.vn_rx)) > 0; i++)
			continue;	/* no card to give them to */
	vionet_events(c);
}

/*
 * Drain the card's transmitq into the tap.  vn_tx is all zeros between
 * frames (a copy that failed may have filled any of it).
 */
static void
vionet_from_card(struct card *c)
{
	struct iovec iov;
	size_t len;
	int i;

	for (i = 0; i < VIONET_DRAIN_MAX; i++) {
		iov.iov_base = vionet.vn_tx;
		iov.iov_len = sizeof(vionet.vn_tx);
		if (vio_copy(&vionet.vn_vio, VIONET_TX, &iov, 1, 1, &len) ==
		    -1) {
			memset(vionet.vn_tx, 0, sizeof(vionet.vn_tx));
			return;
		}
		if (len == 0)
			return;
		vionet_put(c, len);
		memset(vionet.vn_tx, 0, len);
	}
}

/* A frame of the card, len bytes with its header, to the tap. */
static void
vionet_put(struct card *c, size_t len)
{
	ssize_t n;

	if (len == sizeof(vionet.vn_tx)) {
		vionet_drop(c, "from the card: longer than a TSO frame", len);
		return;
	}
	if (len < vionet.vn_hdrlen + ETH_HLEN) {
		vionet_drop(c, "from the card: too short", len);
		return;
	}
	if (!vionet_txhdr_ok((const uint8_t *)vionet.vn_tx, len,
	    vionet.vn_features)) {
		vionet_baddrop(c, len);
		return;
	}
	while ((n = write(vionet.vn_tap, vionet.vn_tx, len)) == -1 &&
	    errno == EINTR)
		continue;
	if (n == -1 && (errno == EAGAIN || errno == ENOBUFS))
		vionet_drop(c, "from the card: the tap is full", len);
	else if (n == -1)
		vionet_drop(c, strerror(errno), len);
}

/*
 * Give the card what the tap has, while it has receive chains; with
 * nothing (left) to give, hold the next chain.
 */
static void
vionet_to_card(struct card *c)
{
	size_t len;
	int i;

	for (i = 0; i < VIONET_DRAIN_MAX; i++) {
		if (vionet.vn_rxlen == 0 && !vionet_read(c)) {
			(void)vio_copy(&vionet.vn_vio, VIONET_RX, NULL, 0, 0,
			    &len);
			return;
		}
		if (!vionet_deliver(c))
			return;
	}
}

/* Read a frame for the card from the tap: 1, or 0 if there is none. */
static int
vionet_read(struct card *c)
{
	ssize_t n;

	for (;;) {
		n = read(vionet.vn_tap, vionet.vn_rx, sizeof(vionet.vn_rx));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (0);
		if ((size_t)n == sizeof(vionet.vn_rx))
			vionet_drop(c, "for the card: longer than a TSO frame",
			    (size_t)n);
		else if ((size_t)n < vionet.vn_hdrlen + ETH_HLEN)
			vionet_drop(c, "for the card: too short", (size_t)n);
		else if (!vionet_rxhdr_ok((uint8_t *)vionet.vn_rx, (size_t)n,
		    vionet.vn_features))
			vionet_drop(c, "for the card: offloads it refused",
			    (size_t)n);
		else {
			vionet.vn_rxlen = (size_t)n;
			return (1);
		}
	}
}

/*
 * Copy the waiting frame into the card's next receive chain: 1 if it is
 * done with (delivered or dropped), 0 if it still waits for a chain or
 * the device is gone.
 */
static int
vionet_deliver(struct card *c)
{
	struct vio_chain ch;
	struct iovec iov;
	size_t len;
	int r;

	if ((r = vio_peek(&vionet.vn_vio, VIONET_RX, &ch)) == 0)
		return (0);
	if (r == 1 && ch.vc_wlen < vionet.vn_rxlen) {
		vionet_drop(c, "for the card: larger than its buffer",
		    vionet.vn_rxlen);
		vionet.vn_rxlen = 0;
		return (1);
	}
	iov.iov_base = vionet.vn_rx;
	iov.iov_len = vionet.vn_rxlen;
	if (vio_copy(&vionet.vn_vio, VIONET_RX, &iov, 1, 1, &len) == -1) {
		vionet.vn_rxlen = 0;
		return (0);
	}
	if (len == 0)
		return (0);
	if (len < vionet.vn_rxlen)
		vionet_drop(c, "for the card: its buffer shrank", len);
	vionet.vn_rxlen = 0;
	return (1);
}

static void
vionet_drop(struct card *c, const char *why, size_t len)
{
	vionet.vn_drops++;
	log_debug("%s: net: frame of %zu bytes dropped (%s), %llu in all",
	    c->c_name, len, why, (unsigned long long)vionet.vn_drops);
}

/* A frame of the card whose header its features do not allow. */
static void
vionet_baddrop(struct card *c, size_t len)
{
	int rate;

	vionet_drop(c, "from the card: header not allowed", len);
	vionet.vn_baddrops++;
	rate = log_rate(&vionet.vn_lograte, VIONET_LOG_BURST,
	    VIONET_LOG_PERIOD);
	if (rate == 1)
		log_warnx("%s: net: frame header not allowed by the negotiated "
		    "features (%llu dropped)", c->c_name,
		    (unsigned long long)vionet.vn_baddrops);
	else if (rate == -1)
		log_warnx("%s: net: more frame headers not allowed, not logged "
		    "for %d seconds", c->c_name, VIONET_LOG_PERIOD);
}
