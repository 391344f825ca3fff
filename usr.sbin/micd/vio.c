/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A virtio device of the card, served over one open file of /dev/micN
 * (ABI.md section 2): its descriptor block, ADD_DEVICE, COPY_DESC, and what
 * befalls a device.  A ring the card breaks (EIO) costs one line and a new
 * device; a device that ends (POLLERR, ENODEV: a card reset or a removal)
 * is closed and comes back when the card boots again.  Opening /dev/micN
 * (privileged) is done only here, in vio_devopen(), by the parent for the
 * card process, which asks for each device in vio_open().
 *
 * An added device is also mapped read-only (the device page, then its
 * rings), so that a backend can read what the card wrote there: its
 * status and accepted features (vio_status(), vio_features()), and the
 * lengths of the next chain (vio_peek()).  The card may write
 * anything there at any time: each value is read once, only from offsets
 * micd computes from its own descriptor block, and is advice, never a
 * length that micd copies by.
 */

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <linux/mic_common.h>
#include <linux/mic_ioctl.h>
#include <linux/virtio_ring.h>

#include "mic.h"
#include "mic_dp.h"
#include "micd.h"

static void	vio_event(struct card *, int, short, void *);
static void	vio_put16(uint8_t *, uint16_t);
static int	vio_add(struct vio *);
static void	vio_map(struct vio *);
static size_t	vio_find(struct vio *);
static uint16_t	vio_get16(const volatile uint8_t *);
static uint32_t	vio_get32(const volatile uint8_t *);
static unsigned int vio_num(const struct vio *);

/* Little-endian 16 bits, at any alignment. */
static void
vio_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v & 0xff);
	p[1] = (uint8_t)(v >> 8);
}

/*
 * Build the descriptor block of v for ADD_DEVICE: virtio device type,
 * nvq rings of num entries, host features (featlen bytes, the guest's as
 * many zeros), the config space.  -1 with EINVAL if it breaks a limit of
 * the ABI, which the caller's constants should never do.
 */
int
vio_desc(struct vio *v, int type, unsigned int nvq, unsigned int num,
    const uint8_t *feat, size_t featlen, const void *config, size_t conflen)
{
	struct mic_device_desc d;
	uint8_t *p;
	unsigned int i;
	size_t len;

	len = sizeof(d) + nvq * sizeof(struct mic_vqconfig) + 2 * featlen +
	    conflen;
	if (type <= 0 || type > 127 || nvq == 0 || nvq > MIC_MAX_VRINGS ||
	    num == 0 || num > MIC_MAX_VRING_ENTRIES || (num & (num - 1)) != 0 ||
	    featlen > 32 || conflen > 255 || len > sizeof(v->v_desc) ||
	    ((len + 7) & ~(size_t)7) > MIC_MAX_DESC_BLK_SIZE) {
		errno = EINVAL;
		return (-1);
	}
	memset(v->v_desc, 0, sizeof(v->v_desc));
	memset(&d, 0, sizeof(d));
	d.type = (int8_t)type;
	d.num_vq = (uint8_t)nvq;
	d.feature_len = (uint8_t)featlen;
	d.config_len = (uint8_t)conflen;
	memcpy(v->v_desc, &d, sizeof(d));
	p = v->v_desc + sizeof(d);
	for (i = 0; i < nvq; i++, p += sizeof(struct mic_vqconfig))
		vio_put16(p + offsetof(struct mic_vqconfig, num),
		    (uint16_t)num);
	if (featlen > 0)
		memcpy(p, feat, featlen);
	p += 2 * featlen;
	if (conflen > 0)
		memcpy(p, config, conflen);
	v->v_desclen = len;
	return (0);
}

/* A new open file of card's /dev/micN, or -1 with errno set. */
int
vio_devopen(const char *card)
{
	char path[MIC_ATTR_MAX];

	if (mic_card_devpath(card, path, sizeof(path)) == -1)
		return (-1);
	return (open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC));
}

/*
 * Have /dev/micN opened and add the device to the card; it is served from
 * the card's poll loop from then on.  Every failure is logged here.
 */
int
vio_open(struct vio *v)
{
	char path[MIC_ATTR_MAX];
	struct card *c;

	c = v->v_card;
	if (v->v_fd != -1)
		return (0);
	if (mic_card_devpath(c->c_name, path, sizeof(path)) == -1) {
		log_warn("%s: %s: device", c->c_name, v->v_name);
		return (-1);
	}
	v->v_fd = priv_open_dev(c);
	if (v->v_fd == -1) {
		log_warn("%s: %s: cannot add the device: %s", c->c_name,
		    v->v_name, path);
		return (-1);
	}
	return (vio_add(v));
}

static int
vio_add(struct vio *v)
{
	struct card *c;

	c = v->v_card;
	if (ioctl(v->v_fd, MIC_VIRTIO_ADD_DEVICE, v->v_desc) == -1) {
		log_warn("%s: %s: cannot add the device", c->c_name,
		    v->v_name);
		(void)close(v->v_fd);
		v->v_fd = -1;
		return (-1);
	}
	if (card_io_add(c, v->v_fd, POLLIN, vio_event, v) == -1) {
		log_warn("%s: %s: cannot serve the device", c->c_name,
		    v->v_name);
		(void)close(v->v_fd);
		v->v_fd = -1;
		return (-1);
	}
	vio_map(v);
	log_info("%s: %s: device added", c->c_name, v->v_name);
	return (0);
}

/* Map the device page and the rings; without them, the device still works. */
static void
vio_map(struct vio *v)
{
	const char *name;
	void *p;
	size_t len;

	name = v->v_card->c_name;
	len = MIC_DP_SIZE + v->v_desc[1] * mic_vring_map_size(vio_num(v));
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, v->v_fd, 0);
	if (p == MAP_FAILED) {
		log_warn("%s: %s: cannot map the device", name, v->v_name);
		return;
	}
	v->v_map = p;
	v->v_maplen = len;
	if ((v->v_dpoff = vio_find(v)) == 0)
		log_warnx("%s: %s: the device is not in the device page", name,
		    v->v_name);
}

/*
 * The offset of the device's block in the device page: the first block
 * with its header and host features, not being removed; 0 if none.  The
 * walk is libmic's (common/mic_dp.c), which reads nothing outside the page.
 */
static size_t
vio_find(struct vio *v)
{
	struct mic_dp_block b, mine;
	void *dp = v->v_map;
	unsigned int pos = MIC_DP_FIRST;

	mic_dp_read_header(&mine, v->v_desc, 0);
	while (mic_dp_walk(dp, &pos, &b) > 0) {
		if (b.type != mine.type || b.num_vq != mine.num_vq ||
		    b.feature_len != mine.feature_len ||
		    b.config_len != mine.config_len)
			continue;
		if (memcmp(mic_dp_host_features(dp, &b),
		    mic_dp_host_features(v->v_desc, &mine),
		    mine.feature_len) == 0 &&
		    READ_ONCE(mic_dp_ctrl(dp, &b)->config_change) !=
		    MIC_VIRTIO_PARAM_DEV_REMOVE)
			return (b.off);
	}
	return (0);
}

/* Little-endian values of the mapping, read once, at any alignment. */
static uint16_t
vio_get16(const volatile uint8_t *p)
{
	uint8_t b[2];

	b[0] = p[0];
	b[1] = p[1];
	return ((uint16_t)(b[0] | b[1] << 8));
}

static uint32_t
vio_get32(const volatile uint8_t *p)
{
	uint8_t b[4];
	int i;

	for (i = 0; i < 4; i++)
		b[i] = p[i];
	return ((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	    (uint32_t)b[3] << 24);
}

/* The entries of each ring of v, from its descriptor block. */
static unsigned int
vio_num(const struct vio *v)
{
	return (v->v_desc[sizeof(struct mic_device_desc) +
	    offsetof(struct mic_vqconfig, num)] |
	    v->v_desc[sizeof(struct mic_device_desc) +
	    offsetof(struct mic_vqconfig, num) + 1] << 8);
}

/* The device status the card wrote, or -1 if it cannot be read. */
int
vio_status(const struct vio *v)
{
	const volatile uint8_t *dp;

	if (v->v_map == NULL || v->v_dpoff == 0)
		return (-1);
	dp = v->v_map;
	return (dp[v->v_dpoff + offsetof(struct mic_device_desc, status)]);
}

/*
 * The features the card accepted (as many bytes as micd offered, at most
 * len) into buf; -1 if they cannot be read.
 */
int
vio_features(const struct vio *v, uint8_t *buf, size_t len)
{
	const volatile uint8_t *p;
	size_t i, featlen;

	if (v->v_map == NULL || v->v_dpoff == 0)
		return (-1);
	featlen = v->v_desc[2];
	p = (const volatile uint8_t *)v->v_map + v->v_dpoff +
	    sizeof(struct mic_device_desc) +
	    v->v_desc[1] * sizeof(struct mic_vqconfig) + featlen;
	memset(buf, 0, len);
	for (i = 0; i < featlen && i < len; i++)
		buf[i] = p[i];
	return (0);
}

/*
 * Peek at the chain that the next COPY_DESC on ring r takes (the one in
 * progress, else the next available): its readable and writable bytes,
 * which the card may change at any time.  1 with *ch filled; 0 if the
 * ring has no chain; -1 if the ring is not mapped, or the chain breaks a
 * rule of ABI.md section 5 that its lengths depend on (COPY_DESC will
 * judge it).
 */
int
vio_peek(const struct vio *v, unsigned int r, struct vio_chain *ch)
{
	const volatile uint8_t *ring, *d;
	unsigned int num, n;
	uint32_t len;
	uint16_t idx, i, flags;

	if (v->v_map == NULL || r >= v->v_desc[1])
		return (-1);
	num = vio_num(v);
	ring = (const volatile uint8_t *)v->v_map + MIC_DP_SIZE +
	    r * mic_vring_map_size(num);
	idx = vio_get16(ring + mic_vring_size(num));	/* taken so far */
	if ((uint16_t)(idx - vio_get16(ring + mic_vring_size(num) - 6 -
	    8 * num + 2)) == 1)
		idx--;		/* taken, not completed: in progress */
	else if (idx == vio_get16(ring + 16 * num + 2))
		return (0);	/* none available */
	memset(ch, 0, sizeof(*ch));
	i = vio_get16(ring + 16 * num + 4 + 2 * (idx & (num - 1)));
	for (n = 0; n < num && i < num; n++) {
		d = ring + 16 * (size_t)i;	/* addr, len, flags, next */
		len = vio_get32(d + 8);
		flags = vio_get16(d + 12);
		if ((flags & VRING_DESC_F_INDIRECT) != 0 ||
		    ((flags & VRING_DESC_F_WRITE) == 0 && ch->vc_wlen > 0))
			return (-1);
		if ((flags & VRING_DESC_F_WRITE) != 0)
			ch->vc_wlen += len;
		else
			ch->vc_rlen += len;
		ch->vc_ndesc = n + 1;
		if ((flags & VRING_DESC_F_NEXT) == 0)
			return (1);
		i = vio_get16(d + 14);
	}
	return (-1);
}

/* Remove the device from the card (the driver finishes in the background). */
void
vio_close(struct vio *v, const char *why)
{
	if (v->v_fd == -1)
		return;
	card_io_del(v->v_card, v->v_fd);
	if (v->v_map != NULL)
		(void)munmap(v->v_map, v->v_maplen);
	v->v_map = NULL;
	v->v_dpoff = 0;
	(void)close(v->v_fd);
	v->v_fd = -1;
	if (why != NULL)
		log_info("%s: %s: device %s", v->v_card->c_name, v->v_name,
		    why);
}

int
vio_isopen(const struct vio *v)
{
	return (v->v_fd != -1);
}

/* What a failed COPY_DESC, with errno errnum, means for the device. */
enum vio_fate
vio_fate(int errnum)
{
	switch (errnum) {
	case EINTR:
		return (VIO_RETRY);
	case EIO:
		return (VIO_READD);
	case ENODEV:
		return (VIO_ENDED);
	default:
		return (VIO_FAILED);
	}
}

/*
 * COPY_DESC on ring r of v: from the card into iov, or from iov into the
 * card; with update, complete the chain.  *lenp is the bytes copied, 0 if
 * the ring has no chain.  -1 if the device is gone: it was closed (and,
 * after a broken ring, added again), and the caller stops serving it for
 * now.
 */
int
vio_copy(struct vio *v, unsigned int r, struct iovec *iov, size_t iovcnt,
    int update, size_t *lenp)
{
	struct mic_copy_desc cd;
	const char *name;

	*lenp = 0;
	if (v->v_fd == -1)
		return (-1);
	memset(&cd, 0, sizeof(cd));
	cd.iov = iov;
	cd.iovcnt = (uint32_t)iovcnt;
	cd.vr_idx = (uint8_t)r;
	cd.update_used = update != 0;
	while (ioctl(v->v_fd, MIC_VIRTIO_COPY_DESC, &cd) == -1) {
		name = v->v_card->c_name;
		switch (vio_fate(errno)) {
		case VIO_RETRY:
			continue;
		case VIO_READD:
			log_warnx("%s: %s: the card broke the ring rules, "
			    "adding the device again", name, v->v_name);
			vio_close(v, NULL);
			(void)vio_open(v);
			return (-1);
		case VIO_ENDED:
			vio_close(v, "ended");
			return (-1);
		case VIO_FAILED:
			log_warn("%s: %s: ring %u", name, v->v_name, r);
			vio_close(v, "closed");
			return (-1);
		}
	}
	*lenp = cd.out_len;
	return (0);
}

/* The device's descriptor: readable rings, or the device ended. */
static void
vio_event(struct card *c, int fd, short revents, void *arg)
{
	struct vio *v = arg;

	(void)c;
	(void)fd;
	if ((revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
		vio_close(v, "ended");
		return;
	}
	if ((revents & POLLIN) != 0)
		v->v_ready(v);
}
