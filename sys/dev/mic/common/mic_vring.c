// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The host's ring walker, built into mic_host (through a wrapper file) and
 * into user space (unit tests, fuzzing).
 *
 * The ring lives in host memory and the card writes its descriptors and
 * avail entries across PCIe.  Every field the card writes is read with one
 * READ_ONCE() into a local and checked there, never read again: a chain is
 * taken whole into struct mic_vring_chain, checked, and then served from
 * that copy, so what the card writes later cannot move a buffer out of the
 * window.  The host writes only the used ring and the trailer's avail_idx,
 * at indexes it keeps itself.
 */
#include "mic_vring.h"
#include "mic_abi_check.h"

/*
 * The card is one more processor on a coherent link: its writes reach
 * host memory in order, so the barriers between processors (virtio's
 * weak barriers, virt_*mb() in the kernel) order the host's side.
 */
#ifdef __KERNEL__
#define mic_vring_rmb()	virt_rmb()	/* loads before, loads after */
#define mic_vring_wmb()	virt_wmb()	/* stores before, stores after */
#define mic_vring_mb()	virt_mb()	/* all before, all after */
#else
#define mic_vring_rmb()	rmb()		/* loads before, loads after */
#define mic_vring_wmb()	wmb()		/* stores before, stores after */
#define mic_vring_mb()	mb()		/* all before, all after */
#endif

/* The legacy split ring: <linux/virtio_ring.h> with explicit byte order. */
struct mic_vring_desc {
	__le64 addr;
	__le32 len;
	__le16 flags;
	__le16 next;
};

struct mic_vring_avail {
	__le16 flags;
	__le16 idx;
	__le16 ring[];
};

struct mic_vring_used_elem {
	__le32 id;
	__le32 len;
};

struct mic_vring_used {
	__le16 flags;
	__le16 idx;
	struct mic_vring_used_elem ring[];
};

MIC_ABI_ASSERT(sizeof(struct mic_vring_desc) == sizeof(struct vring_desc));
MIC_ABI_ASSERT(offsetof(struct mic_vring_desc, next) ==
	       offsetof(struct vring_desc, next));
MIC_ABI_ASSERT(offsetof(struct mic_vring_avail, ring) ==
	       offsetof(struct vring_avail, ring));
MIC_ABI_ASSERT(sizeof(struct mic_vring_used_elem) ==
	       sizeof(struct vring_used_elem));
MIC_ABI_ASSERT(offsetof(struct mic_vring_used, ring) ==
	       offsetof(struct vring_used, ring));
MIC_ABI_ASSERT(MIC_MAX_VRING_ENTRIES <= 0x8000);

/* The most bytes a chain may hold: its lengths add up in a u32. */
#define MIC_VRING_MAX_TOTAL	0xffffffffULL

static const char * const mic_vring_errstr[MIC_VRING_E_LAST] = {
	[MIC_VRING_OK] = "no error",
	[MIC_VRING_E_AVAIL_IDX] = "avail index moved by more than the ring size",
	[MIC_VRING_E_HEAD] = "head index out of range",
	[MIC_VRING_E_NEXT] = "next index out of range",
	[MIC_VRING_E_LOOP] = "descriptor chain longer than the ring",
	[MIC_VRING_E_WINDOW] = "buffer outside the card window",
	[MIC_VRING_E_TOTAL] = "descriptor chain of 4 GiB or more",
	[MIC_VRING_E_INDIRECT] = "indirect descriptor not negotiated",
	[MIC_VRING_E_INDIRECT_UNSUPP] = "indirect descriptors not supported",
	[MIC_VRING_E_ORDER] = "readable descriptor after a writable one",
};

static struct mic_vring_desc *mic_vring_desc(const struct mic_vring *vr)
{
	return (struct mic_vring_desc *)vr->base;
}

static struct mic_vring_avail *mic_vring_avail(const struct mic_vring *vr)
{
	return (struct mic_vring_avail *)(vr->base + 16 * vr->num);
}

static struct mic_vring_used *mic_vring_used(const struct mic_vring *vr)
{
	u32 avail_end = 16 * vr->num + 2 * (3 + vr->num);
	u32 off = (avail_end + MIC_VIRTIO_RING_ALIGN - 1) &
		  ~(u32)(MIC_VIRTIO_RING_ALIGN - 1);

	return (struct mic_vring_used *)(vr->base + off);
}

/*
 * The trailer's avail_idx.  mic_vring_size() is even and the ring
 * aligned, so this one field of the packed trailer is 2-aligned.
 */
static __le16 *mic_vring_info_idx(const struct mic_vring *vr)
{
	return (void *)(vr->base + mic_vring_size(vr->num));
}

/* Break the ring: every later call fails until mic_vring_reset(). */
static int mic_vring_break(struct mic_vring *vr, enum mic_vring_err err)
{
	vr->err = err;
	vr->busy = false;
	return -EIO;
}

/**
 * mic_vring_init() - set up the host's side of a vring
 * @vr: the walker state, filled in
 * @base: the ring in host memory, mic_vring_size(@num) bytes plus the
 *	8-byte &struct mic_vring_info trailer, aligned to MIC_VIRTIO_RING_ALIGN
 *	(the layout puts the used ring at an aligned address)
 * @num: entries in the ring: a power of two from 1 to MIC_MAX_VRING_ENTRIES
 * @window: bytes of the card window; every buffer must lie in [0, @window)
 *
 * The ring's memory is not touched: see mic_vring_format() for a new ring.
 * No ring features are enabled until mic_vring_set_features().
 *
 * Return: 0, or -EINVAL if @num or the alignment of @base is wrong.
 */
int mic_vring_init(struct mic_vring *vr, void *base, unsigned int num,
		   u64 window)
{
	if (num == 0 || num > MIC_MAX_VRING_ENTRIES || (num & (num - 1)))
		return -EINVAL;
	if ((unsigned long)base & (MIC_VIRTIO_RING_ALIGN - 1))
		return -EINVAL;
	memset(vr, 0, sizeof(*vr));
	vr->base = base;
	vr->num = num;
	vr->window = window;
	vr->err = MIC_VRING_OK;
	return 0;
}

/**
 * mic_vring_format() - write a new, empty ring
 * @vr: the walker, from mic_vring_init()
 * @magic: the trailer's magic, MIC_VRING_MAGIC() of the device type and
 *	the ring's index
 *
 * The whole ring is zeroed, then the trailer gets avail_idx 0 and @magic;
 * the walker starts again as after mic_vring_reset().  For a ring the card
 * cannot see yet.
 */
void mic_vring_format(struct mic_vring *vr, u32 magic)
{
	struct mic_vring_info info;

	memset(vr->base, 0, mic_vring_size(vr->num));
	memset(&info, 0, sizeof(info));
	info.magic = cpu_to_le32(magic);
	memcpy(vr->base + mic_vring_size(vr->num), &info, sizeof(info));
	mic_vring_reset(vr);
}

/**
 * mic_vring_reset() - start the ring again, from index 0
 * @vr: the walker, from mic_vring_init()
 *
 * For the card's device reset: the chain in progress is dropped, the broken
 * mark cleared, and the indexes the host keeps are zeroed, in the walker
 * and in the ring (used flags and index, the trailer's avail_idx).  The
 * card's side of the ring is the card's to zero.
 */
void mic_vring_reset(struct mic_vring *vr)
{
	struct mic_vring_used *used = mic_vring_used(vr);

	vr->last_avail = 0;
	vr->used_idx = 0;
	vr->busy = false;
	vr->err = MIC_VRING_OK;
	WRITE_ONCE(used->flags, cpu_to_le16(0));
	WRITE_ONCE(used->idx, cpu_to_le16(0));
	WRITE_ONCE(*mic_vring_info_idx(vr), cpu_to_le16(0));
}

/**
 * mic_vring_set_features() - tell the walker the negotiated ring features
 * @vr: the walker
 * @features: the features both sides agreed on: what the host offered and
 *	the card accepted, never the card's word alone
 *
 * Only VIRTIO_RING_F_INDIRECT_DESC matters: without it an indirect
 * descriptor breaks the ring with MIC_VRING_E_INDIRECT.  (With it, too, for
 * now, with MIC_VRING_E_INDIRECT_UNSUPP: no host offers it yet.)
 */
void mic_vring_set_features(struct mic_vring *vr, u64 features)
{
	vr->features = features;
}

/*
 * Read descriptor @i once into @b and check it; *@next is set to the index
 * of the next descriptor, or to the ring size at the end of the chain.
 */
static enum mic_vring_err mic_vring_read_desc(struct mic_vring *vr,
					      unsigned int i,
					      struct mic_vring_buf *b,
					      u16 *next)
{
	struct mic_vring_desc *d = &mic_vring_desc(vr)[i];
	u16 flags;

	b->addr = le64_to_cpu(READ_ONCE(d->addr));
	b->len = le32_to_cpu(READ_ONCE(d->len));
	flags = le16_to_cpu(READ_ONCE(d->flags));
	*next = le16_to_cpu(READ_ONCE(d->next));
	b->write = flags & VRING_DESC_F_WRITE;

	if (flags & VRING_DESC_F_INDIRECT) {
		if (!(vr->features & (1ULL << VIRTIO_RING_F_INDIRECT_DESC)))
			return MIC_VRING_E_INDIRECT;
		return MIC_VRING_E_INDIRECT_UNSUPP;
	}
	if (b->len > vr->window || b->addr > vr->window - b->len)
		return MIC_VRING_E_WINDOW;
	if (!(flags & VRING_DESC_F_NEXT))
		*next = vr->num;	/* the end of the chain */
	else if (*next >= vr->num)
		return MIC_VRING_E_NEXT;
	return MIC_VRING_OK;
}

/*
 * Take the chain at @head into vr->chain, checking every descriptor.
 */
static enum mic_vring_err mic_vring_take(struct mic_vring *vr, u16 head)
{
	struct mic_vring_chain *c = &vr->chain;
	struct mic_vring_buf *b;
	enum mic_vring_err err;
	u64 total = 0;
	u16 i, n;

	c->head = head;
	c->nread = 0;
	for (i = head, n = 0; i < vr->num; n++) {
		if (n == vr->num)
			return MIC_VRING_E_LOOP;
		b = &c->buf[n];
		err = mic_vring_read_desc(vr, i, b, &i);
		if (err != MIC_VRING_OK)
			return err;
		if (!b->write && n != c->nread)
			return MIC_VRING_E_ORDER;
		if (!b->write)
			c->nread++;
		total += b->len;
		if (total > MIC_VRING_MAX_TOTAL)
			return MIC_VRING_E_TOTAL;
	}
	c->ndesc = n;
	c->cur = 0;
	c->off = 0;
	c->read = 0;
	c->written = 0;
	return MIC_VRING_OK;
}

/* Step over the consumed and the empty buffers. */
static void mic_vring_skip(struct mic_vring_chain *c)
{
	while (c->cur < c->ndesc && c->off == c->buf[c->cur].len) {
		c->cur++;
		c->off = 0;
	}
}

/**
 * mic_vring_next_chain() - take the next available chain, or keep the one
 *	in progress
 * @vr: the walker
 *
 * If no chain is in progress and the card made one available, the chain
 * is read and checked whole (ABI.md section 5): the avail index moved by
 * at most the ring size, head and next indexes below it, at most as many
 * descriptors as the ring has, every buffer inside the card window, no
 * indirect descriptor unless negotiated, no readable buffer after a
 * writable one.  It becomes the chain in progress, served by
 * mic_vring_cur() and mic_vring_advance() until mic_vring_complete(), and
 * the trailer's avail_idx moves past it.
 *
 * Return: 1 if a chain is in progress, 0 if none is available, -EIO if the
 * ring is broken (mic_vring_error() tells why).
 */
int mic_vring_next_chain(struct mic_vring *vr)
{
	struct mic_vring_avail *avail = mic_vring_avail(vr);
	enum mic_vring_err err;
	u16 idx, head;

	if (vr->err != MIC_VRING_OK)
		return -EIO;
	if (vr->busy)
		return 1;
	idx = le16_to_cpu(READ_ONCE(avail->idx));
	if ((u16)(idx - vr->last_avail) > vr->num)
		return mic_vring_break(vr, MIC_VRING_E_AVAIL_IDX);
	if (idx == vr->last_avail)
		return 0;
	/* The entry and its descriptors were written before the index. */
	mic_vring_rmb();
	head = le16_to_cpu(READ_ONCE(avail->ring[vr->last_avail &
						  (vr->num - 1)]));
	if (head >= vr->num)
		return mic_vring_break(vr, MIC_VRING_E_HEAD);
	err = mic_vring_take(vr, head);
	if (err != MIC_VRING_OK)
		return mic_vring_break(vr, err);
	mic_vring_skip(&vr->chain);
	vr->last_avail++;
	WRITE_ONCE(*mic_vring_info_idx(vr), cpu_to_le16(vr->last_avail));
	vr->busy = true;
	return 1;
}

/**
 * mic_vring_get_chain() - the chain in progress
 * @vr: the walker
 *
 * Return: the checked copy of the chain in progress, whose buffers may be
 * read, or NULL if there is none.
 */
const struct mic_vring_chain *mic_vring_get_chain(const struct mic_vring *vr)
{
	return vr->busy ? &vr->chain : NULL;
}

/**
 * mic_vring_cur() - where the chain in progress goes on
 * @vr: the walker
 * @b: filled with the part of the current buffer not yet consumed: its
 *	card address, its length (never 0) and its direction
 *
 * Buffers are served in chain order, the readable ones first; a buffer of
 * length 0 is skipped.
 *
 * Return: true if @b was filled, false if there is no chain in progress or
 * all of it was consumed.
 */
bool mic_vring_cur(const struct mic_vring *vr, struct mic_vring_buf *b)
{
	const struct mic_vring_chain *c = &vr->chain;
	const struct mic_vring_buf *cur;

	if (!vr->busy || c->cur >= c->ndesc)
		return false;
	cur = &c->buf[c->cur];
	b->addr = cur->addr + c->off;
	b->len = cur->len - c->off;
	b->write = cur->write;
	return true;
}

/**
 * mic_vring_advance() - consume bytes of the current buffer
 * @vr: the walker
 * @n: bytes copied from or into the buffer mic_vring_cur() returned; at
 *	most its length (more is taken as all of it)
 *
 * The position stays in the chain in progress across calls, so that a
 * chain can be consumed over several COPY_DESC calls.
 */
void mic_vring_advance(struct mic_vring *vr, u32 n)
{
	struct mic_vring_chain *c = &vr->chain;
	const struct mic_vring_buf *cur;

	if (!vr->busy || c->cur >= c->ndesc)
		return;
	cur = &c->buf[c->cur];
	if (n > cur->len - c->off)
		n = cur->len - c->off;
	c->off += n;
	if (cur->write)
		c->written += n;
	else
		c->read += n;
	mic_vring_skip(c);
}

/**
 * mic_vring_complete() - give the chain in progress back to the card
 * @vr: the walker
 * @len: the length for the used ring: the bytes written into the chain's
 *	writable buffers (&mic_vring_chain.written), as virtio expects
 *
 * The chain need not be consumed whole.  The used entry (head, @len) is
 * written, then, after a write barrier, the used index.  The card should
 * be notified afterwards if mic_vring_need_notify() says so.
 *
 * Return: 0; -EIO if the ring is broken; -EINVAL if no chain is in
 * progress.
 */
int mic_vring_complete(struct mic_vring *vr, u32 len)
{
	struct mic_vring_used *used = mic_vring_used(vr);
	struct mic_vring_used_elem *e;

	if (vr->err != MIC_VRING_OK)
		return -EIO;
	if (!vr->busy)
		return -EINVAL;
	e = &used->ring[vr->used_idx & (vr->num - 1)];
	WRITE_ONCE(e->id, cpu_to_le32(vr->chain.head));
	WRITE_ONCE(e->len, cpu_to_le32(len));
	/* The entry before the index that publishes it. */
	mic_vring_wmb();
	vr->used_idx++;
	WRITE_ONCE(used->idx, cpu_to_le16(vr->used_idx));
	vr->busy = false;
	return 0;
}

/**
 * mic_vring_pending() - whether the ring has work for the host
 * @vr: the walker
 *
 * For a level-triggered poll.  The card's avail index is only a hint here:
 * a value that breaks the rules counts as work, so that the next
 * mic_vring_next_chain() reports it.
 *
 * Return: true if a chain is in progress or available, or the ring is
 * broken; false otherwise.
 */
bool mic_vring_pending(const struct mic_vring *vr)
{
	u16 idx;

	if (vr->err != MIC_VRING_OK || vr->busy)
		return true;
	idx = le16_to_cpu(READ_ONCE(mic_vring_avail(vr)->idx));
	return idx != vr->last_avail;
}

/**
 * mic_vring_need_notify() - whether the card wants a doorbell for used
 *	buffers
 * @vr: the walker
 *
 * Call it after mic_vring_complete(): a full barrier orders the used index
 * written before the card's flags are read.
 *
 * Return: false if the ring is broken or the card set
 * VRING_AVAIL_F_NO_INTERRUPT, true otherwise.
 */
bool mic_vring_need_notify(const struct mic_vring *vr)
{
	u16 flags;

	if (vr->err != MIC_VRING_OK)
		return false;
	mic_vring_mb();
	flags = le16_to_cpu(READ_ONCE(mic_vring_avail(vr)->flags));
	return !(flags & VRING_AVAIL_F_NO_INTERRUPT);
}

/**
 * mic_vring_error() - the rule that broke the ring
 * @vr: the walker
 *
 * Return: MIC_VRING_OK while the ring is usable, else the rule the card
 * broke, until mic_vring_reset().
 */
enum mic_vring_err mic_vring_error(const struct mic_vring *vr)
{
	return vr->err;
}

/**
 * mic_vring_strerror() - name a broken rule, for one line of log
 * @err: a value of mic_vring_error()
 *
 * Return: a static string, such as "next index out of range".
 */
const char *mic_vring_strerror(enum mic_vring_err err)
{
	if ((unsigned int)err >= MIC_VRING_E_LAST)
		return "unknown error";
	return mic_vring_errstr[err];
}
