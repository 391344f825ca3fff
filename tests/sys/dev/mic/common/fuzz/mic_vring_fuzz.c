/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness of the host's ring walker (sys/dev/mic/common/
 * mic_vring.c), under ASan and UBSan.  The input is the card's side of a
 * ring and a sequence of operations (mic_vring_fuzz.h).
 *
 * Two oracles besides the sanitizers: a model of the walker, written
 * straight from the rules of ABI.md section 5, must agree with every
 * result (chain taken, its buffers, the broken rule, the position in the
 * chain); and a shadow of the ring memory must equal the ring after every
 * call: the walker writes nothing but the used ring and the trailer's
 * avail_idx, where the model says.  The ring is allocated to its exact
 * size, and so is a window of 64 KiB or less, through which the buffers
 * served are copied: ASan catches any access beyond either.
 */

#include <endian.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_ring.h>

#include "mic_vring.h"
#include "mic_vring_fuzz.h"

#define	MAGIC		MIC_VRING_MAGIC(2, 0)

/* The model's view of the walker. */
struct model {
	unsigned int	 m_num;
	uint64_t	 m_window;
	uint64_t	 m_features;
	uint16_t	 m_last;	/* avail index taken */
	uint16_t	 m_used;	/* used index given */
	int		 m_busy;
	int		 m_err;		/* enum mic_vring_err */
	uint16_t	 m_head;
	unsigned int	 m_ndesc, m_nread, m_cur;
	uint32_t	 m_off, m_read, m_written;
	struct mic_vring_buf m_buf[MIC_MAX_VRING_ENTRIES];
};

/* One run. */
struct run {
	struct mic_vring r_vr;
	struct model	 r_m;
	unsigned char	*r_ring;	/* the ring, RING_SIZE bytes */
	unsigned char	*r_shadow;	/* what it must hold */
	size_t		 r_size;
	unsigned char	*r_win;		/* the window, if small enough */
	const uint8_t	*r_in;
	size_t		 r_len;
};

int		LLVMFuzzerTestOneInput(const uint8_t *, size_t);
static void	check(int);
static int	arg(struct run *, size_t, uint64_t *);
static void	put16(struct run *, size_t, uint16_t);
static void	put32(struct run *, size_t, uint32_t);
static uint16_t	get16(const unsigned char *, size_t);
static size_t	used_off(unsigned int);
static int	ref_desc(struct model *, const unsigned char *, unsigned int,
		    struct mic_vring_buf *, unsigned int *);
static int	ref_next(struct model *, const unsigned char *);
static void	ref_skip(struct model *);
static void	op_next(struct run *);
static void	op_step(struct run *, unsigned int);
static void	op_done(struct run *, uint32_t);
static void	op_reset(struct run *);
static void	op_card(struct run *, size_t, const uint8_t *, size_t);
static void	op_pending(struct run *);
static void	op_notify(struct run *);
static void	run_ops(struct run *);
static void	*keep(void **, size_t, size_t);

static void
check(int ok)
{
	if (!ok)
		__builtin_trap();
}

/* Take n bytes of argument (little endian); 0 when the input ran out. */
static int
arg(struct run *r, size_t n, uint64_t *v)
{
	size_t i;

	if (r->r_len < n)
		return (0);
	*v = 0;
	for (i = 0; i < n; i++)
		*v |= (uint64_t)r->r_in[i] << (8 * i);
	r->r_in += n;
	r->r_len -= n;
	return (1);
}

static uint16_t
get16(const unsigned char *p, size_t off)
{
	return (p[off] | p[off + 1] << 8);
}

/* Offset of the used ring: it ends the vring. */
static size_t
used_off(unsigned int num)
{
	return (vring_size(num, MIC_VIRTIO_RING_ALIGN) - (6 + 8 * num));
}

/* The host writes: into the shadow, where the model expects them. */
static void
put16(struct run *r, size_t off, uint16_t v)
{
	r->r_shadow[off] = v;
	r->r_shadow[off + 1] = v >> 8;
}

static void
put32(struct run *r, size_t off, uint32_t v)
{
	put16(r, off, v);
	put16(r, off + 2, v >> 16);
}

/*
 * The model, from ABI.md section 5.  Descriptor i as buffer b: 0, or the
 * rule it breaks; *next is num at the end of the chain.
 */
static int
ref_desc(struct model *m, const unsigned char *ring, unsigned int i,
    struct mic_vring_buf *b, unsigned int *next)
{
	const unsigned char *d = ring + 16 * i;
	uint64_t end;
	uint16_t flags;

	memcpy(&b->addr, d, 8);
	b->addr = le64toh(b->addr);
	memcpy(&b->len, d + 8, 4);
	b->len = le32toh(b->len);
	flags = get16(d, 12);
	*next = get16(d, 14);
	b->write = (flags & VRING_DESC_F_WRITE) != 0;
	if (flags & VRING_DESC_F_INDIRECT)
		return ((m->m_features & (1ull << VIRTIO_RING_F_INDIRECT_DESC))
		    ? MIC_VRING_E_INDIRECT_UNSUPP : MIC_VRING_E_INDIRECT);
	if (__builtin_add_overflow(b->addr, (uint64_t)b->len, &end) ||
	    end > m->m_window)
		return (MIC_VRING_E_WINDOW);
	if (!(flags & VRING_DESC_F_NEXT))
		*next = m->m_num;
	else if (*next >= m->m_num)
		return (MIC_VRING_E_NEXT);
	return (0);
}

/* 1 a chain, 0 none, or minus the rule broken. */
static int
ref_next(struct model *m, const unsigned char *ring)
{
	const unsigned char *avail = ring + 16 * m->m_num;
	struct mic_vring_buf *b;
	unsigned int i, n, err;
	uint64_t total = 0;
	uint16_t idx;

	idx = get16(avail, 2);
	if ((uint16_t)(idx - m->m_last) > m->m_num)
		return (-MIC_VRING_E_AVAIL_IDX);
	if (idx == m->m_last)
		return (0);
	i = get16(avail, 4 + 2 * (m->m_last % m->m_num));
	if (i >= m->m_num)
		return (-MIC_VRING_E_HEAD);
	m->m_head = i;
	m->m_nread = 0;
	for (n = 0; i < m->m_num; n++) {
		if (n == m->m_num)
			return (-MIC_VRING_E_LOOP);
		b = &m->m_buf[n];
		if ((err = ref_desc(m, ring, i, b, &i)) != 0)
			return (-(int)err);
		if (!b->write && n > m->m_nread)
			return (-MIC_VRING_E_ORDER);
		if (!b->write)
			m->m_nread++;
		total += b->len;
		if (total > UINT32_MAX)
			return (-MIC_VRING_E_TOTAL);
	}
	m->m_ndesc = n;
	m->m_cur = m->m_off = m->m_read = m->m_written = 0;
	return (1);
}

static void
ref_skip(struct model *m)
{
	while (m->m_cur < m->m_ndesc && m->m_off == m->m_buf[m->m_cur].len) {
		m->m_cur++;
		m->m_off = 0;
	}
}

static void
op_next(struct run *r)
{
	struct model *m = &r->r_m;
	const struct mic_vring_chain *c;
	unsigned int i;
	int got, want;

	got = mic_vring_next_chain(&r->r_vr);
	if (m->m_err != MIC_VRING_OK) {
		check(got == -EIO);
		return;
	}
	if (m->m_busy) {
		check(got == 1);
		return;
	}
	want = ref_next(m, r->r_ring);
	if (want < 0) {
		check(got == -EIO);
		m->m_err = -want;
		check(strcmp(mic_vring_strerror(-want), "unknown error") != 0);
		return;
	}
	check(got == want);
	if (want == 0)
		return;
	c = mic_vring_get_chain(&r->r_vr);
	check(c != NULL && c->head == m->m_head && c->ndesc == m->m_ndesc &&
	    c->nread == m->m_nread);
	for (i = 0; i < m->m_ndesc; i++)
		check(c->buf[i].addr == m->m_buf[i].addr &&
		    c->buf[i].len == m->m_buf[i].len &&
		    c->buf[i].write == m->m_buf[i].write);
	ref_skip(m);
	m->m_busy = 1;
	m->m_last++;
	put16(r, mic_vring_size(m->m_num), m->m_last);
}

/* Copy up to n bytes of the current buffer (n of 255: all of it). */
static void
op_step(struct run *r, unsigned int n)
{
	static unsigned char scratch[65536];
	struct model *m = &r->r_m;
	struct mic_vring_buf b, *mb;
	uint32_t len;
	int got;

	got = mic_vring_cur(&r->r_vr, &b);
	if (!m->m_busy || m->m_err != MIC_VRING_OK ||
	    m->m_cur >= m->m_ndesc) {
		check(!got);
		mic_vring_advance(&r->r_vr, n);
		return;
	}
	mb = &m->m_buf[m->m_cur];
	check(got && b.len > 0 && b.addr == mb->addr + m->m_off &&
	    b.len == mb->len - m->m_off && b.write == mb->write);
	len = n == 255 ? b.len : n;
	mic_vring_advance(&r->r_vr, len);
	if (len > b.len)
		len = b.len;
	if (r->r_win != NULL) {
		/* What the host driver would copy (the window is small). */
		check(len <= sizeof(scratch));
		if (b.write)
			memset(r->r_win + b.addr, 0x5a, len);
		else
			memcpy(scratch, r->r_win + b.addr, len);
	}
	m->m_off += len;
	if (mb->write)
		m->m_written += len;
	else
		m->m_read += len;
	ref_skip(m);
}

static void
op_done(struct run *r, uint32_t len)
{
	struct model *m = &r->r_m;
	size_t used;
	int got;

	got = mic_vring_complete(&r->r_vr, len);
	if (m->m_err != MIC_VRING_OK) {
		check(got == -EIO);
		return;
	}
	if (!m->m_busy) {
		check(got == -EINVAL);
		return;
	}
	check(got == 0);
	used = used_off(m->m_num);
	put32(r, used + 4 + 8 * (m->m_used % m->m_num), m->m_head);
	put32(r, used + 8 + 8 * (m->m_used % m->m_num), len);
	m->m_used++;
	put16(r, used + 2, m->m_used);
	m->m_busy = 0;
}

static void
op_reset(struct run *r)
{
	struct model *m = &r->r_m;
	size_t used;

	mic_vring_reset(&r->r_vr);
	m->m_last = m->m_used = 0;
	m->m_busy = 0;
	m->m_err = MIC_VRING_OK;
	used = used_off(m->m_num);
	put16(r, used, 0);
	put16(r, used + 2, 0);
	put16(r, mic_vring_size(m->m_num), 0);
}

/* The card writes n bytes at off of its side of the ring. */
static void
op_card(struct run *r, size_t off, const uint8_t *p, size_t n)
{
	size_t image = FUZZ_IMAGE(r->r_m.m_num);

	off %= image;
	if (n > image - off)
		n = image - off;
	memcpy(r->r_ring + off, p, n);
	memcpy(r->r_shadow + off, p, n);
}

static void
op_pending(struct run *r)
{
	struct model *m = &r->r_m;
	int want;

	want = m->m_err != MIC_VRING_OK || m->m_busy ||
	    get16(r->r_ring, 16 * m->m_num + 2) != m->m_last;
	check(mic_vring_pending(&r->r_vr) == want);
}

static void
op_notify(struct run *r)
{
	struct model *m = &r->r_m;
	int want;

	want = m->m_err == MIC_VRING_OK &&
	    !(get16(r->r_ring, 16 * m->m_num) & VRING_AVAIL_F_NO_INTERRUPT);
	check(mic_vring_need_notify(&r->r_vr) == want);
}

static void
run_ops(struct run *r)
{
	struct model *m = &r->r_m;
	uint64_t v, n;
	uint8_t k[2];
	unsigned int i;

	while (r->r_len > 0) {
		v = *r->r_in++;
		r->r_len--;
		switch (v % FUZZ_NOPS) {
		case FUZZ_STEP:
			if (arg(r, 1, &v))
				op_step(r, v);
			break;
		case FUZZ_DRAIN:
			for (i = 0; i <= MIC_MAX_VRING_ENTRIES; i++)
				op_step(r, 255);
			break;
		case FUZZ_DONE:
			op_done(r, m->m_written);
			break;
		case FUZZ_DONE_LEN:
			if (arg(r, 4, &v))
				op_done(r, v);
			break;
		case FUZZ_RESET:
			op_reset(r);
			break;
		case FUZZ_POKE:
			if (arg(r, 2, &v) && arg(r, 1, &n)) {
				n = n % 17 < r->r_len ? n % 17 : r->r_len;
				op_card(r, v, r->r_in, n);
				r->r_in += n;
				r->r_len -= n;
			}
			break;
		case FUZZ_POST:
			if (arg(r, 1, &v)) {
				v += get16(r->r_ring, 16 * m->m_num + 2);
				k[0] = v;
				k[1] = v >> 8;
				op_card(r, 16 * m->m_num + 2, k, 2);
			}
			break;
		case FUZZ_PENDING:
			op_pending(r);
			break;
		case FUZZ_NOTIFY:
			op_notify(r);
			break;
		case FUZZ_FEATURES:
			if (arg(r, 1, &v)) {
				m->m_features = (v & 1 ? 1ull <<
				    VIRTIO_RING_F_INDIRECT_DESC : 0) |
				    (v & 2 ? 1ull << VIRTIO_RING_F_EVENT_IDX :
				    0);
				mic_vring_set_features(&r->r_vr, m->m_features);
			}
			break;
		default:
			op_next(r);
			break;
		}
		check((int)mic_vring_error(&r->r_vr) == m->m_err);
		check(memcmp(r->r_ring, r->r_shadow, r->r_size) == 0);
	}
}

/*
 * An allocation of exactly size bytes, kept from one run to the next (the
 * runs are many and short): ASan still sees its end.
 */
static void *
keep(void **p, size_t size, size_t align)
{
	if (*p == NULL)
		check(posix_memalign(p, align, size ? size : 1) == 0);
	return (*p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t windows[] = FUZZ_WINDOWS;
	static void *rings[8], *shadows[8], *wins[8];
	static struct run run;
	struct run *r = &run;
	struct model *m;
	size_t image;
	unsigned int i, w;

	if (size < 1)
		return (0);
	memset(r, 0, sizeof(*r));
	m = &r->r_m;
	m->m_num = 1u << (data[0] & 7);
	w = (data[0] >> 4) & 7;
	m->m_window = windows[w];
	m->m_features = data[0] & 8 ? 1ull << VIRTIO_RING_F_INDIRECT_DESC : 0;
	r->r_size = mic_vring_size(m->m_num) + sizeof(struct mic_vring_info);
	r->r_ring = keep(&rings[data[0] & 7], r->r_size, MIC_VIRTIO_RING_ALIGN);
	r->r_shadow = keep(&shadows[data[0] & 7], r->r_size, 16);
	memset(r->r_shadow, 0, r->r_size);
	if (m->m_window <= 65536)
		r->r_win = keep(&wins[w], m->m_window, 16);
	check(mic_vring_init(&r->r_vr, r->r_ring, m->m_num, m->m_window) ==
	    0);
	memset(r->r_ring, 0xee, r->r_size);
	mic_vring_format(&r->r_vr, MAGIC);
	mic_vring_set_features(&r->r_vr, m->m_features);
	put32(r, mic_vring_size(m->m_num) + 4, MAGIC);
	check(memcmp(r->r_ring, r->r_shadow, r->r_size) == 0);

	image = FUZZ_IMAGE(m->m_num);
	op_card(r, 0, data + 1, size - 1 < image ? size - 1 : image);
	r->r_in = data + 1 + (size - 1 < image ? size - 1 : image);
	r->r_len = size - (r->r_in - data);
	run_ops(r);

	/* Drain: whatever is available is taken and given back. */
	for (i = 0; i < 2 * m->m_num + 2; i++) {
		op_next(r);
		if (!m->m_busy)
			break;
		while (m->m_busy && m->m_cur < m->m_ndesc)
			op_step(r, 255);
		op_notify(r);
		op_done(r, m->m_written);
		op_pending(r);
		check(memcmp(r->r_ring, r->r_shadow, r->r_size) == 0);
	}
	check((int)mic_vring_error(&r->r_vr) == m->m_err);
	check(memcmp(r->r_ring, r->r_shadow, r->r_size) == 0);
	return (0);
}
