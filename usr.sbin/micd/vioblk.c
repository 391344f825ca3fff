/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vioblk: the card's disks.  Each `disk' of the card in micd.conf is a
 * virtio block device (VIRTIO_ID_BLOCK, legacy, one ring of 128 entries)
 * over an image file: a regular file or a block device, opened read-write,
 * or read-only with VIRTIO_BLK_F_RO.  Its capacity is the file's size in
 * 512-byte sectors at the time it is added (a partial last sector is not
 * seen).  An image that cannot be opened costs one line, and the card
 * goes without that disk.
 *
 * A request is a chain: a 16-byte header the card wrote (type, ioprio,
 * sector), data, and one status byte for the host, last.  COPY_DESC moves
 * a chain with one cursor through micd's iovecs, so micd has to know the
 * chain's lengths before it says where each byte goes: it peeks at the
 * chain in the read-only mapping of the ring (vio_peek()), and lays out
 * its iovecs for the readable and writable bytes it found.
 * The card may change the ring between the peek and the copy, or make
 * the peek see another chain than the host takes (by writing the ring's
 * indices): then the host still copies at most what the iovecs hold, and
 * the bytes of an iovec that the chain does not fill go to the card.  So
 * every buffer micd hands over holds only what it wrote for this request
 * (zeros where it has nothing to say: the header buffer and the data
 * buffer are cleared before the card's bytes are copied in), or the
 * card's own bytes of this chain; micd reads and writes only its own
 * buffers, and the image only inside [0, capacity).
 *
 * micd offers VIOBLK_SEG_MAX segments of VIOBLK_SIZE_MAX bytes.  A chain
 * that the peek finds longer than such a request (its header and status
 * byte included) is not walked: the copy through all of it is what the
 * card would cost micd and the host, so the disk is added again instead,
 * as for a broken ring (its requests in flight fail), with one line of
 * log.  Each request thus copies at most what micd advertised.
 *
 * Each chain takes two COPY_DESC calls: the header (and a write's data),
 * then, once the request is done, what goes back to the card and the
 * status, which completes the chain.  A write is in the image file before
 * its status is given; FLUSH is fdatasync(2).  Every sector range is
 * checked, and a bad request gets VIRTIO_BLK_S_IOERR (or S_UNSUPP for an
 * unknown type) and one line of log, at most VIOBLK_LOG_BURST lines a
 * disk every VIOBLK_LOG_PERIOD seconds.
 *
 * A new configuration (SIGHUP) on a running card removes the disks that
 * left the card's block (closing the device removes it from the card),
 * adds the new ones (hot add), and leaves the others alone; a disk is its
 * path and its read-only flag.
 */

#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/fs.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_ids.h>

#include "mic.h"
#include "micd.h"

#define VIOBLK_FEATLEN		4	/* 32 feature bits */
#define VIOBLK_IOV_MAX		1024	/* UIO_MAXIOV */
#define VIOBLK_CHAINS_MAX	VIOBLK_NUM	/* chains a wakeup */
#define VIOBLK_LOG_BURST	10	/* lines of log a disk... */
#define VIOBLK_LOG_PERIOD	60	/* ...in so many seconds */

/* One disk of the card: a slot of vioblk_disks[]. */
struct vioblk_disk {
	struct vio		 vd_vio;
	char			 vd_name[16];	/* diskN: the slot */
	char			*vd_path;	/* NULL: a free slot */
	int			 vd_readonly;
	int			 vd_fd;		/* the image */
	uint64_t		 vd_sectors;
	uint8_t			 vd_serial[VIRTIO_BLK_ID_BYTES];
	struct lograte		 vd_lograte;	/* of bad requests */
};

static int	vioblk_start(struct card *);
static void	vioblk_stop(struct card *);
static void	vioblk_config(struct card *, const struct cardconf *);
static int	vioblk_wanted(const struct cardconf *, const struct vioblk_disk *);
static struct vioblk_disk *vioblk_find(const char *, int);
static void	vioblk_add(struct card *, struct vioblk_disk *,
		    const struct disk *);
static int	vioblk_image(struct card *, struct vioblk_disk *);
static int	vioblk_device(struct card *, struct vioblk_disk *);
static void	vioblk_remove(struct vioblk_disk *, const char *);
static void	vioblk_ready(struct vio *);
static int	vioblk_next(struct vioblk_disk *);
static int	vioblk_serve(struct vioblk_disk *, const struct vio_chain *);
static int	vioblk_toolong(struct vioblk_disk *, const struct vio_chain *);
static int	vioblk_finish(struct vioblk_disk *, struct vioblk_req *,
		    struct vioblk_out *, struct iovec *);
static int	vioblk_do(struct vioblk_disk *, struct vioblk_req *,
		    struct vioblk_out *);
static int	vioblk_rw(struct vioblk_disk *, const struct vioblk_req *);
static int	vioblk_copy(struct vioblk_disk *, struct iovec *, size_t, int,
		    size_t *);
static void	vioblk_refuse(struct vioblk_disk *, const struct vioblk_req *,
		    enum vioblk_verdict);
static void	vioblk_log(struct vioblk_disk *, int, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));

const struct backend vioblk_backend = {
	.b_name = "disk",
	.b_start = vioblk_start,
	.b_stop = vioblk_stop,
	.b_config = vioblk_config
};

static struct vioblk_disk	vioblk_disks[MICD_DISKS_MAX];
/*
 * A request's data; also where unwanted bytes of the card go (cleared
 * before each such use).
 */
static char			vioblk_data[VIOBLK_DATA_MAX];
/*
 * Zeros: what the card gets in buffers micd does not fill.  A card that
 * hides readable bytes where micd expects writable ones can write into
 * it, so the part a copy hands over is cleared again before it.
 */
static char			vioblk_zero[VIOBLK_DATA_MAX];

/*
 * The card boots, or is up: add its disks, each in the slot of its index
 * (a disk named twice is added once).  A disk that fails has said why.
 */
static int
vioblk_start(struct card *c)
{
	const struct cardconf *cc = c->c_conf;
	size_t i;

	for (i = 0; i < cc->cc_ndisks && i < MICD_DISKS_MAX; i++)
		if (vioblk_find(cc->cc_disks[i].d_path,
		    cc->cc_disks[i].d_readonly) == NULL)
			vioblk_add(c, &vioblk_disks[i], &cc->cc_disks[i]);
	return (0);
}

/* Before a reset, and at exit: remove every disk. */
static void
vioblk_stop(struct card *c)
{
	size_t i;

	(void)c;
	for (i = 0; i < MICD_DISKS_MAX; i++)
		if (vioblk_disks[i].vd_path != NULL)
			vioblk_remove(&vioblk_disks[i], "removed");
}

/*
 * A new configuration.  On a running card: remove the disks it no longer
 * has, then add its new ones in the lowest free slots; the others stay as
 * they are.  Otherwise the next boot adds the new set.
 */
static void
vioblk_config(struct card *c, const struct cardconf *old)
{
	const struct cardconf *cc = c->c_conf;
	size_t i, j;

	(void)old;
	if (!c->c_up)
		return;
	for (i = 0; i < MICD_DISKS_MAX; i++)
		if (vioblk_disks[i].vd_path != NULL &&
		    !vioblk_wanted(cc, &vioblk_disks[i]))
			vioblk_remove(&vioblk_disks[i], "removed");
	for (i = 0; i < cc->cc_ndisks && i < MICD_DISKS_MAX; i++) {
		if (vioblk_find(cc->cc_disks[i].d_path,
		    cc->cc_disks[i].d_readonly) != NULL)
			continue;
		for (j = 0; j < MICD_DISKS_MAX; j++)
			if (vioblk_disks[j].vd_path == NULL)
				break;
		if (j < MICD_DISKS_MAX)
			vioblk_add(c, &vioblk_disks[j], &cc->cc_disks[i]);
	}
}

/* Whether the card's settings still have the disk vd. */
static int
vioblk_wanted(const struct cardconf *cc, const struct vioblk_disk *vd)
{
	size_t i;

	for (i = 0; i < cc->cc_ndisks; i++)
		if (strcmp(cc->cc_disks[i].d_path, vd->vd_path) == 0 &&
		    (cc->cc_disks[i].d_readonly != 0) == (vd->vd_readonly != 0))
			return (1);
	return (0);
}

/* The slot serving path (read-only or not), or NULL. */
static struct vioblk_disk *
vioblk_find(const char *path, int readonly)
{
	size_t i;

	for (i = 0; i < MICD_DISKS_MAX; i++)
		if (vioblk_disks[i].vd_path != NULL &&
		    strcmp(vioblk_disks[i].vd_path, path) == 0 &&
		    (vioblk_disks[i].vd_readonly != 0) == (readonly != 0))
			return (&vioblk_disks[i]);
	return (NULL);
}

/*
 * Open the image of d and add its device in the free slot vd.  A failure
 * is logged, and leaves the slot free.
 */
static void
vioblk_add(struct card *c, struct vioblk_disk *vd, const struct disk *d)
{
	memset(vd, 0, sizeof(*vd));
	(void)snprintf(vd->vd_name, sizeof(vd->vd_name), "disk%d",
	    (int)(vd - vioblk_disks));
	vd->vd_fd = -1;
	vd->vd_vio.v_fd = -1;
	if ((vd->vd_path = strdup(d->d_path)) == NULL) {
		log_warn("%s: %s: \"%s\"", c->c_name, vd->vd_name, d->d_path);
		return;
	}
	vd->vd_readonly = d->d_readonly != 0;
	if (vioblk_image(c, vd) == -1 || vioblk_device(c, vd) == -1) {
		vioblk_remove(vd, NULL);
		return;
	}
	log_info("%s: %s: \"%s\", %llu sectors, %s, serial \"%.*s\"",
	    c->c_name, vd->vd_name, vd->vd_path,
	    (unsigned long long)vd->vd_sectors,
	    vd->vd_readonly ? "read-only" : "read-write",
	    (int)strnlen((const char *)vd->vd_serial, sizeof(vd->vd_serial)),
	    (const char *)vd->vd_serial);
}

/* Open an image (the parent, for a card process): -1 with errno set. */
int
vioblk_open_image(const char *path, int readonly)
{
	return (open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC |
	    O_NOCTTY));
}

/*
 * Have the image opened (by the parent) and lock it (shared if read-only,
 * else exclusive, so that two cards never write one image), and take its
 * capacity.
 */
static int
vioblk_image(struct card *c, struct vioblk_disk *vd)
{
	struct stat st;
	uint64_t size;

	vd->vd_fd = priv_open_disk(c, vd->vd_path, vd->vd_readonly);
	if (vd->vd_fd == -1) {
		log_warn("%s: %s: \"%s\": no disk", c->c_name, vd->vd_name,
		    vd->vd_path);
		return (-1);
	}
	if (flock(vd->vd_fd, (vd->vd_readonly ? LOCK_SH : LOCK_EX) |
	    LOCK_NB) == -1) {
		log_warn("%s: %s: \"%s\": in use, no disk", c->c_name,
		    vd->vd_name, vd->vd_path);
		return (-1);
	}
	if (fstat(vd->vd_fd, &st) == -1)
		size = 0;
	else if (S_ISREG(st.st_mode))
		size = (uint64_t)st.st_size;
	else if (!S_ISBLK(st.st_mode) ||
	    ioctl(vd->vd_fd, BLKGETSIZE64, &size) == -1) {
		log_warnx("%s: %s: \"%s\": not a file or a block device, "
		    "no disk", c->c_name, vd->vd_name, vd->vd_path);
		return (-1);
	}
	vd->vd_sectors = size / VIOBLK_SECTOR;
	vioblk_serial(vd->vd_path, vd->vd_serial);
	return (0);
}

/* The device: features, config space, and ADD_DEVICE. */
static int
vioblk_device(struct card *c, struct vioblk_disk *vd)
{
	struct virtio_blk_config conf;
	uint8_t feat[VIOBLK_FEATLEN];
	uint32_t f;
	struct vio *v;

	f = 1U << VIRTIO_BLK_F_SIZE_MAX | 1U << VIRTIO_BLK_F_SEG_MAX |
	    1U << VIRTIO_BLK_F_BLK_SIZE | 1U << VIRTIO_BLK_F_FLUSH;
	if (vd->vd_readonly)
		f |= 1U << VIRTIO_BLK_F_RO;
	f = htole32(f);
	memcpy(feat, &f, sizeof(feat));
	memset(&conf, 0, sizeof(conf));
	conf.capacity = htole64(vd->vd_sectors);
	conf.size_max = htole32(VIOBLK_SIZE_MAX);
	conf.seg_max = htole32(VIOBLK_SEG_MAX);
	conf.blk_size = htole32(VIOBLK_SECTOR);
	v = &vd->vd_vio;
	v->v_card = c;
	v->v_name = vd->vd_name;
	v->v_fd = -1;
	v->v_ready = vioblk_ready;
	v->v_arg = vd;
	if (vio_desc(v, VIRTIO_ID_BLOCK, 1, VIOBLK_NUM, feat, sizeof(feat),
	    &conf, sizeof(conf)) == -1) {
		log_warn("%s: %s: descriptor", c->c_name, vd->vd_name);
		return (-1);
	}
	return (vio_open(v));
}

/* Remove the device from the card, close the image, free the slot. */
static void
vioblk_remove(struct vioblk_disk *vd, const char *why)
{
	vio_close(&vd->vd_vio, why);
	if (vd->vd_fd != -1)
		(void)close(vd->vd_fd);
	free(vd->vd_path);
	memset(vd, 0, sizeof(*vd));
	vd->vd_fd = -1;
	vd->vd_vio.v_fd = -1;
}


/* The ring is readable: serve its chains, a bounded number at a time. */
static void
vioblk_ready(struct vio *v)
{
	struct vioblk_disk *vd = v->v_arg;
	int i;

	for (i = 0; i < VIOBLK_CHAINS_MAX; i++)
		if (vioblk_next(vd) <= 0)
			return;
}

/*
 * Serve the next chain: the one in progress (taken by an earlier
 * COPY_DESC of nothing), or the next available one.  A COPY_DESC of
 * nothing when there is none clears the device's events.  1: a chain was
 * served; 0: there was none; -1: the device is gone.
 */
static int
vioblk_next(struct vioblk_disk *vd)
{
	struct vio_chain ch;
	size_t len;
	int n;

	if (vd->vd_vio.v_map == NULL) {	/* vio_open() said why */
		vio_close(&vd->vd_vio, "closed");
		return (-1);
	}
	if ((n = vio_peek(&vd->vd_vio, 0, &ch)) == 0) {
		if (vioblk_copy(vd, NULL, 0, 0, &len) == -1)
			return (-1);
		if ((n = vio_peek(&vd->vd_vio, 0, &ch)) == 0)
			return (0);
	}
	if (n == -1)
		memset(&ch, 0, sizeof(ch));	/* let the host judge it */
	return (vioblk_serve(vd, &ch));
}

/*
 * One chain of ch's lengths: its header (and a write's data) first, then
 * the request, then the rest of the chain with the status byte.  A chain
 * longer than any request micd allows is not walked.
 */
static int
vioblk_serve(struct vioblk_disk *vd, const struct vio_chain *ch)
{
	struct vioblk_req rq;
	struct vioblk_out o;
	struct iovec iov[VIOBLK_IOV_MAX];
	uint8_t hdr[VIOBLK_HDR];
	size_t len, n;

	if (ch->vc_rlen > VIOBLK_HDR + VIOBLK_DATA_MAX ||
	    ch->vc_wlen > VIOBLK_DATA_MAX + 1)
		return (vioblk_toolong(vd, ch));
	memset(&rq, 0, sizeof(rq));
	rq.rq_rlen = ch->vc_rlen;
	rq.rq_wlen = ch->vc_wlen;
	memset(&o, 0, sizeof(o));
	o.o_skip = rq.rq_rlen;
	if (rq.rq_rlen >= VIOBLK_HDR) {
		memset(hdr, 0, sizeof(hdr));
		n = vioblk_head(iov, hdr, vioblk_data, rq.rq_rlen);
		if (n > 1)
			memset(vioblk_data, 0, iov[1].iov_len);
		if (vioblk_copy(vd, iov, n, 0, &len) == -1)
			return (-1);
		if (len != iov[0].iov_len + (n > 1 ? iov[1].iov_len : 0)) {
			vioblk_log(vd, 0, "the card changed a request while "
			    "micd served it");
			return (vioblk_copy(vd, NULL, 0, 1, &len) == -1 ? -1 : 1);
		}
		memcpy(&rq.rq_type, hdr, sizeof(rq.rq_type));
		rq.rq_type = le32toh(rq.rq_type);
		memcpy(&rq.rq_sector, hdr + 8, sizeof(rq.rq_sector));
		rq.rq_sector = le64toh(rq.rq_sector);
		o.o_skip -= len;
	}
	return (vioblk_finish(vd, &rq, &o, iov));
}

/*
 * Judge and do the request, then give the card the rest of its chain:
 * what it asked for, zeros, and the status byte, which completes it.
 */
static int
vioblk_finish(struct vioblk_disk *vd, struct vioblk_req *rq,
    struct vioblk_out *o, struct iovec *iov)
{
	enum vioblk_verdict vv;
	size_t len, n;

	vv = vioblk_check(rq, vd->vd_sectors, vd->vd_readonly);
	if (vv == VIOBLK_OK)
		o->o_status = vioblk_do(vd, rq, o);
	else {
		vioblk_refuse(vd, rq, vv);
		o->o_status = vioblk_status(vv);
		o->o_zero = rq->rq_wlen > 0 ? rq->rq_wlen - 1 : 0;
	}
	/*
	 * Readable bytes are left to skip only in a chain shorter than a
	 * header, which has no data in vioblk_data.
	 */
	if (o->o_skip > 0)
		memset(vioblk_data, 0, o->o_skip < sizeof(vioblk_data) ?
		    (size_t)o->o_skip : sizeof(vioblk_data));
	memset(vioblk_zero, 0, o->o_zero < sizeof(vioblk_zero) ?
	    (size_t)o->o_zero + 1 : sizeof(vioblk_zero));
	n = vioblk_iov(iov, VIOBLK_IOV_MAX, o, vioblk_data, vioblk_zero,
	    sizeof(vioblk_data));
	return (vioblk_copy(vd, iov, n, 1, &len) == -1 ? -1 : 1);
}

/*
 * A chain longer than a request may be: completing it takes a copy of
 * all of it, so the disk is added again instead, and the card sees it go
 * and come back.
 */
static int
vioblk_toolong(struct vioblk_disk *vd, const struct vio_chain *ch)
{
	vioblk_log(vd, 0, "request of %llu bytes from the card and %llu to "
	    "it, more than %d and %d: adding the disk again",
	    (unsigned long long)ch->vc_rlen, (unsigned long long)ch->vc_wlen,
	    VIOBLK_HDR + VIOBLK_DATA_MAX, VIOBLK_DATA_MAX + 1);
	vio_close(&vd->vd_vio, NULL);
	(void)vio_open(&vd->vd_vio);
	return (-1);
}

/*
 * A request that passed vioblk_check(): do it, and say what goes back to
 * the card.  Returns the status.
 */
static int
vioblk_do(struct vioblk_disk *vd, struct vioblk_req *rq,
    struct vioblk_out *o)
{
	const char *card = vd->vd_vio.v_card->c_name;
	int status;

	status = VIRTIO_BLK_S_OK;
	o->o_zero = rq->rq_wlen - 1;
	switch (rq->rq_type) {
	case VIRTIO_BLK_T_IN:
		if (vioblk_rw(vd, rq) == -1)
			return (VIRTIO_BLK_S_IOERR);
		o->o_data = vioblk_data;
		o->o_len = (size_t)rq->rq_len;
		o->o_zero -= rq->rq_len;
		break;
	case VIRTIO_BLK_T_OUT:
		if (vioblk_rw(vd, rq) == -1)
			status = VIRTIO_BLK_S_IOERR;
		break;
	case VIRTIO_BLK_T_FLUSH:
		if (fdatasync(vd->vd_fd) == -1) {
			log_warn("%s: %s: \"%s\": flush", card, vd->vd_name,
			    vd->vd_path);
			status = VIRTIO_BLK_S_IOERR;
		}
		break;
	case VIRTIO_BLK_T_GET_ID:
		o->o_data = vd->vd_serial;
		o->o_len = o->o_zero < sizeof(vd->vd_serial) ?
		    (size_t)o->o_zero : sizeof(vd->vd_serial);
		o->o_zero -= o->o_len;
		break;
	}
	return (status);
}

/* Read or write the data of rq, all of it, from or into vioblk_data. */
static int
vioblk_rw(struct vioblk_disk *vd, const struct vioblk_req *rq)
{
	size_t done;
	ssize_t n;
	off_t off;
	int in;

	in = rq->rq_type == VIRTIO_BLK_T_IN;
	off = (off_t)(rq->rq_sector * VIOBLK_SECTOR);
	for (done = 0; done < rq->rq_len; done += (size_t)n) {
		if (in)
			n = pread(vd->vd_fd, vioblk_data + done,
			    (size_t)rq->rq_len - done, off + (off_t)done);
		else
			n = pwrite(vd->vd_fd, vioblk_data + done,
			    (size_t)rq->rq_len - done, off + (off_t)done);
		if (n == -1 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0) {
			if (n == 0)
				errno = EIO;	/* the file shrank */
			vioblk_log(vd, 1, "\"%s\": %s of %llu bytes at sector "
			    "%llu", vd->vd_path, in ? "read" : "write",
			    (unsigned long long)rq->rq_len,
			    (unsigned long long)rq->rq_sector);
			return (-1);
		}
	}
	return (0);
}

/* COPY_DESC on the ring; -1: the device is gone (or was added again). */
static int
vioblk_copy(struct vioblk_disk *vd, struct iovec *iov, size_t n, int update,
    size_t *lenp)
{
	return (vio_copy(&vd->vd_vio, 0, iov, n, update, lenp));
}

/* One line for a refused request. */
static void
vioblk_refuse(struct vioblk_disk *vd, const struct vioblk_req *rq,
    enum vioblk_verdict vv)
{
	unsigned long long sector, len;

	sector = (unsigned long long)rq->rq_sector;
	len = (unsigned long long)rq->rq_len;
	switch (vv) {
	case VIOBLK_NOSTATUS:
		vioblk_log(vd, 0, "request with no status byte: dropped");
		break;
	case VIOBLK_SHORTHDR:
		vioblk_log(vd, 0, "request header of %llu bytes, not %d: "
		    "refused", (unsigned long long)rq->rq_rlen, VIOBLK_HDR);
		break;
	case VIOBLK_UNSUPP:
		vioblk_log(vd, 0, "request type 0x%x not supported",
		    rq->rq_type);
		break;
	case VIOBLK_TOOLONG:
		vioblk_log(vd, 0, "request of %llu bytes, more than %d: "
		    "refused", len, VIOBLK_DATA_MAX);
		break;
	case VIOBLK_UNALIGNED:
		vioblk_log(vd, 0, "request of %llu bytes, not a multiple of "
		    "%d: refused", len, VIOBLK_SECTOR);
		break;
	case VIOBLK_READONLY:
		vioblk_log(vd, 0, "write to a read-only disk (sector %llu, "
		    "%llu bytes): refused", sector, len);
		break;
	case VIOBLK_PASTEND:
		vioblk_log(vd, 0, "request past the end of the image (sector "
		    "%llu, %llu bytes): refused", sector, len);
		break;
	case VIOBLK_OK:
		break;
	}
}

/*
 * A line of log about disk vd, with strerror(errno) if witherr, as long
 * as the disk has not logged VIOBLK_LOG_BURST lines in this period.
 */
static void
vioblk_log(struct vioblk_disk *vd, int witherr, const char *fmt, ...)
{
	const char *card = vd->vd_vio.v_card->c_name;
	char msg[512];
	va_list ap;
	int errnum, rate;

	errnum = errno;
	rate = log_rate(&vd->vd_lograte, VIOBLK_LOG_BURST, VIOBLK_LOG_PERIOD);
	if (rate == -1)
		log_warnx("%s: %s: more bad requests, not logged for %d "
		    "seconds", card, vd->vd_name, VIOBLK_LOG_PERIOD);
	if (rate != 1)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (witherr)
		log_warnx("%s: %s: %s: %s", card, vd->vd_name, msg,
		    strerror(errnum));
	else
		log_warnx("%s: %s: %s", card, vd->vd_name, msg);
}

/*
 * What the host and the card share: pure functions over a request and
 * over the mapped ring, which the unit tests call directly.
 */

/*
 * Judge a request: rq's type, sector and chain lengths against a disk of
 * sectors sectors.  Sets rq_len to the data's length for a read or write.
 */
enum vioblk_verdict
vioblk_check(struct vioblk_req *rq, uint64_t sectors, int readonly)
{
	rq->rq_len = 0;
	if (rq->rq_wlen == 0)
		return (VIOBLK_NOSTATUS);
	if (rq->rq_rlen < VIOBLK_HDR)
		return (VIOBLK_SHORTHDR);
	switch (rq->rq_type) {
	case VIRTIO_BLK_T_IN:
		rq->rq_len = rq->rq_wlen - 1;
		if (rq->rq_rlen - VIOBLK_HDR > VIOBLK_DATA_MAX)
			return (VIOBLK_TOOLONG);
		break;
	case VIRTIO_BLK_T_OUT:
		rq->rq_len = rq->rq_rlen - VIOBLK_HDR;
		break;
	case VIRTIO_BLK_T_FLUSH:
	case VIRTIO_BLK_T_GET_ID:
		return (rq->rq_rlen - VIOBLK_HDR > VIOBLK_DATA_MAX ?
		    VIOBLK_TOOLONG : VIOBLK_OK);
	default:
		return (VIOBLK_UNSUPP);
	}
	if (rq->rq_len > VIOBLK_DATA_MAX)
		return (VIOBLK_TOOLONG);
	if (rq->rq_len % VIOBLK_SECTOR != 0)
		return (VIOBLK_UNALIGNED);
	if (rq->rq_type == VIRTIO_BLK_T_OUT && readonly)
		return (VIOBLK_READONLY);
	if (rq->rq_sector > sectors ||
	    rq->rq_len / VIOBLK_SECTOR > sectors - rq->rq_sector)
		return (VIOBLK_PASTEND);
	return (VIOBLK_OK);
}

/* The status byte of a verdict other than VIOBLK_OK; -1: none. */
int
vioblk_status(enum vioblk_verdict vv)
{
	switch (vv) {
	case VIOBLK_OK:
		return (VIRTIO_BLK_S_OK);
	case VIOBLK_NOSTATUS:
		return (-1);
	case VIOBLK_UNSUPP:
		return (VIRTIO_BLK_S_UNSUPP);
	default:
		return (VIRTIO_BLK_S_IOERR);
	}
}

/*
 * The first COPY_DESC of a chain with rlen >= VIOBLK_HDR readable bytes:
 * the header into hdr, then as much of the rest as buf (VIOBLK_DATA_MAX
 * bytes) holds.  Returns the number of iovecs.
 */
size_t
vioblk_head(struct iovec *iov, void *hdr, void *buf, uint64_t rlen)
{
	iov[0].iov_base = hdr;
	iov[0].iov_len = VIOBLK_HDR;
	if (rlen == VIOBLK_HDR)
		return (1);
	iov[1].iov_base = buf;
	iov[1].iov_len = rlen - VIOBLK_HDR > VIOBLK_DATA_MAX ?
	    VIOBLK_DATA_MAX : (size_t)(rlen - VIOBLK_HDR);
	return (2);
}

/*
 * The last COPY_DESC of a chain, into at most max iovecs: o_skip readable
 * bytes into sink, o_data, o_zero bytes from zero, the status byte, each
 * of the first and third in pieces of at most size.  There is always at
 * least one byte, so that the call completes the chain; with no status, a
 * zero byte, which is the card's own problem if it lands anywhere.
 * Returns the number of iovecs.
 */
size_t
vioblk_iov(struct iovec *iov, size_t max, const struct vioblk_out *o,
    void *sink, const void *zero, size_t size)
{
	static uint8_t status;
	uint64_t left;
	size_t n;

	n = 0;
	for (left = o->o_skip; left > 0 && n < max - 2; n++) {
		iov[n].iov_base = sink;
		iov[n].iov_len = left > size ? size : (size_t)left;
		left -= iov[n].iov_len;
	}
	if (o->o_len > 0) {
		iov[n].iov_base = (void *)(uintptr_t)o->o_data;
		iov[n++].iov_len = o->o_len;
	}
	for (left = o->o_zero; left > 0 && n < max - 1; n++) {
		iov[n].iov_base = (void *)(uintptr_t)zero;
		iov[n].iov_len = left > size ? size : (size_t)left;
		left -= iov[n].iov_len;
	}
	if (o->o_status >= 0) {
		status = (uint8_t)o->o_status;
		iov[n].iov_base = &status;
	} else
		iov[n].iov_base = (void *)(uintptr_t)zero;
	iov[n++].iov_len = 1;
	return (n);
}

/*
 * The serial (GET_ID) of the image at path: 8 hex digits of its FNV-1a
 * hash, '-', and its last component, cut at VIRTIO_BLK_ID_BYTES and
 * padded with NULs.  The same path gives the same serial on every card,
 * across restarts of micd and changes of the configuration.
 */
void
vioblk_serial(const char *path, uint8_t *serial)
{
	char buf[VIRTIO_BLK_ID_BYTES + 1];
	const char *base, *p;
	uint32_t h;

	h = 2166136261U;
	for (p = path; *p != '\0'; p++)
		h = (h ^ (uint8_t)*p) * 16777619U;
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	(void)snprintf(buf, sizeof(buf), "%08x-%s", (unsigned int)h, base);
	memset(serial, 0, VIRTIO_BLK_ID_BYTES);
	memcpy(serial, buf, strnlen(buf, VIRTIO_BLK_ID_BYTES));
}
