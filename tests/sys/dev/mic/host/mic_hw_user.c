/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fake register windows of mic_hw_user.h.  A window is zeroed memory;
 * reads return what is there, writes store into it, and every access is
 * appended to mic_hw_user_log.  An access outside every window, a full
 * log, or a lock taken twice aborts the test program.
 */

#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mic_hw_user.h"

struct mic_win {
	unsigned char	*w_base;
	size_t		 w_len;
};

struct mic_io		 mic_hw_user_log[MIC_HW_USER_LOG];
size_t			 mic_hw_user_nlog;
int			 mic_hw_user_locks;
int			 mic_hw_user_nmsg;

static struct mic_win	 mic_wins[MIC_HW_USER_WINS];

static int	mic_hw_user_find(const void *, size_t, uint64_t *);
static void	mic_hw_user_record(int, int, uint64_t, uint64_t);

/*
 * The window that holds [addr, addr + len), with the offset of addr in it.
 */
static int
mic_hw_user_find(const void *addr, size_t len, uint64_t *off)
{
	uintptr_t p = (uintptr_t)addr, base;
	int i;

	for (i = 0; i < MIC_HW_USER_WINS; i++) {
		base = (uintptr_t)mic_wins[i].w_base;
		if (base == 0 || p < base)
			continue;
		*off = p - base;
		if (*off <= mic_wins[i].w_len &&
		    len <= mic_wins[i].w_len - *off)
			return (i);
	}
	errx(2, "mic_hw_user: access to %p (%zu bytes) outside the windows",
	    addr, len);
}

static void
mic_hw_user_record(int win, int op, uint64_t off, uint64_t val)
{
	struct mic_io *io;

	if (mic_hw_user_nlog == MIC_HW_USER_LOG)
		errx(2, "mic_hw_user: the access log is full");
	io = &mic_hw_user_log[mic_hw_user_nlog++];
	io->io_win = win;
	io->io_op = op;
	io->io_off = off;
	io->io_val = val;
	io->io_locks = mic_hw_user_locks;
}

/*
 * Map window win, len zeroed bytes, in place of any window win was.
 */
void *
mic_hw_user_map(int win, size_t len)
{
	if (win < 0 || win >= MIC_HW_USER_WINS)
		errx(2, "mic_hw_user: no window %d", win);
	free(mic_wins[win].w_base);
	mic_wins[win].w_base = calloc(1, len);
	if (mic_wins[win].w_base == NULL)
		err(2, "mic_hw_user: window %d", win);
	mic_wins[win].w_len = len;
	return (mic_wins[win].w_base);
}

/*
 * Free every window and forget every access.
 */
void
mic_hw_user_unmap(void)
{
	int i;

	for (i = 0; i < MIC_HW_USER_WINS; i++) {
		free(mic_wins[i].w_base);
		mic_wins[i].w_base = NULL;
		mic_wins[i].w_len = 0;
	}
	mic_hw_user_clear();
}

/*
 * Forget the accesses recorded so far.
 */
void
mic_hw_user_clear(void)
{
	mic_hw_user_nlog = 0;
}

/*
 * Read or write a window without recording it: for setting up a test and
 * looking at the result.
 */
u32
mic_hw_user_peek32(int win, uint64_t off)
{
	u32 v;

	if (win < 0 || win >= MIC_HW_USER_WINS ||
	    mic_wins[win].w_base == NULL || off + 4 > mic_wins[win].w_len)
		errx(2, "mic_hw_user: peek outside window %d", win);
	memcpy(&v, mic_wins[win].w_base + off, sizeof(v));
	return (v);
}

void
mic_hw_user_poke32(int win, uint64_t off, u32 v)
{
	if (win < 0 || win >= MIC_HW_USER_WINS ||
	    mic_wins[win].w_base == NULL || off + 4 > mic_wins[win].w_len)
		errx(2, "mic_hw_user: poke outside window %d", win);
	memcpy(mic_wins[win].w_base + off, &v, sizeof(v));
}

u32
ioread32(const void __iomem *addr)
{
	uint64_t off;
	u32 v;
	int win;

	win = mic_hw_user_find(addr, sizeof(v), &off);
	memcpy(&v, addr, sizeof(v));
	mic_hw_user_record(win, MIC_IO_READ32, off, v);
	return (v);
}

void
iowrite32(u32 v, void __iomem *addr)
{
	uint64_t off;
	int win;

	win = mic_hw_user_find(addr, sizeof(v), &off);
	memcpy(addr, &v, sizeof(v));
	mic_hw_user_record(win, MIC_IO_WRITE32, off, v);
}

void
memcpy_toio(void __iomem *to, const void *from, size_t len)
{
	uint64_t off;
	int win;

	win = mic_hw_user_find(to, len, &off);
	memcpy(to, from, len);
	mic_hw_user_record(win, MIC_IO_TOIO, off, len);
}

void
memcpy_fromio(void *to, const void __iomem *from, size_t len)
{
	uint64_t off;
	int win;

	win = mic_hw_user_find(from, len, &off);
	memcpy(to, from, len);
	mic_hw_user_record(win, MIC_IO_FROMIO, off, len);
}

void
mic_hw_user_wmb(void)
{
	mic_hw_user_record(-1, MIC_IO_WMB, 0, 0);
}

void
msleep(unsigned int ms)
{
	mic_hw_user_record(-1, MIC_IO_MSLEEP, 0, ms);
}

void
mic_hw_user_lock(spinlock_t *l)
{
	if (*l != 0)
		errx(2, "mic_hw_user: spinlock %p taken twice", (void *)l);
	*l = 1;
	mic_hw_user_locks++;
}

void
mic_hw_user_unlock(spinlock_t *l)
{
	if (*l != 1)
		errx(2, "mic_hw_user: spinlock %p released, not held",
		    (void *)l);
	*l = 0;
	mic_hw_user_locks--;
}

/*
 * A kernel message: printed on stderr, and counted.
 */
void
mic_hw_user_printk(const char *level, const struct device *dev,
    const char *fmt, ...)
{
	va_list ap;

	(void)dev;
	mic_hw_user_nmsg++;
	fprintf(stderr, "%s: ", level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}
