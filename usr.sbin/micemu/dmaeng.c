/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The DMA engine of one card at run time.  The event loop sees the
 * host's kick (dma_kick in the vmic extension) and wakes the card's
 * worker thread; the worker zeroes the kick word and runs the host
 * channels until the word stays 0, sets SICR0 bit 8 + ch for each
 * channel that interrupts, and writes a byte to a pipe; the loop then
 * rings the host (only the loop touches the ivshmem peers).  A reset
 * waits for the running pass with dma_quiesce().
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/mic_vmic.h>

#include "micemu.h"

static void	 dma_set(struct dma_eng *, int *);
static void	*dma_main(void *);
static uint32_t	 dma_pass(struct dma_eng *);
static void	 dma_host_map(struct dma_eng *);
static void	 dma_readable(void *, int, short);

int
dma_start(struct dma_eng *e)
{
	sigset_t all, old;
	int i;

	if (pipe2(e->de_pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		warn("%s: pipe", e->de_name);
		return (-1);
	}
	if (loop_add(e->de_pipe[0], dma_readable, e) == -1)
		return (-1);
	(void)pthread_mutex_init(&e->de_lock, NULL);
	(void)pthread_cond_init(&e->de_cond, NULL);
	/* Signals are the loop's: the worker blocks them all. */
	(void)sigfillset(&all);
	(void)pthread_sigmask(SIG_SETMASK, &all, &old);
	i = pthread_create(&e->de_thread, NULL, dma_main, e);
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (i != 0) {
		errno = i;
		warn("%s: DMA thread", e->de_name);
		return (-1);
	}
	e->de_started = 1;
	return (0);
}

/* In the loop: the host asked for a pass. */
void
dma_kick(struct dma_eng *e)
{
	if (e->de_started)
		dma_set(e, &e->de_kick);
}

/* Wait until no pass runs or is wanted. */
void
dma_quiesce(struct dma_eng *e)
{
	if (!e->de_started)
		return;
	(void)pthread_mutex_lock(&e->de_lock);
	while (e->de_busy || e->de_kick)
		(void)pthread_cond_wait(&e->de_cond, &e->de_lock);
	(void)pthread_mutex_unlock(&e->de_lock);
}

void
dma_stop(struct dma_eng *e)
{
	if (!e->de_started)
		return;
	dma_set(e, &e->de_quit);
	(void)pthread_join(e->de_thread, NULL);
	loop_del(e->de_pipe[0]);
	(void)close(e->de_pipe[0]);
	(void)close(e->de_pipe[1]);
	if (e->de_mem.dm_host != NULL)
		(void)munmap(e->de_mem.dm_host, e->de_mem.dm_hostsize);
	e->de_mem.dm_host = NULL;
	free(e->de_hostpath);
	e->de_hostpath = NULL;
	e->de_started = 0;
}

/* Raise one of the worker's flags and wake it. */
static void
dma_set(struct dma_eng *e, int *flag)
{
	(void)pthread_mutex_lock(&e->de_lock);
	*flag = 1;
	(void)pthread_cond_broadcast(&e->de_cond);
	(void)pthread_mutex_unlock(&e->de_lock);
}

static void *
dma_main(void *arg)
{
	struct dma_eng *e = arg;
	char one = 1;

	(void)pthread_mutex_lock(&e->de_lock);
	for (;;) {
		while (!e->de_kick && !e->de_quit)
			(void)pthread_cond_wait(&e->de_cond, &e->de_lock);
		if (e->de_quit)
			break;
		e->de_kick = 0;
		e->de_busy = 1;
		(void)pthread_mutex_unlock(&e->de_lock);
		/* A full pipe already has the loop's attention. */
		if (dma_pass(e) != 0)
			(void)write(e->de_pipe[1], &one, 1);
		(void)pthread_mutex_lock(&e->de_lock);
		e->de_busy = 0;
		(void)pthread_cond_broadcast(&e->de_cond);
	}
	(void)pthread_mutex_unlock(&e->de_lock);
	return (NULL);
}

/* Run the host channels while kicked: the SICR0 bits set. */
static uint32_t
dma_pass(struct dma_eng *e)
{
	uint8_t *regs = e->de_mem.dm_regs;
	uint32_t bits;
	unsigned int ch;

	if (e->de_mem.dm_host == NULL)
		dma_host_map(e);
	bits = 0;
	while (__atomic_exchange_n((uint32_t *)(void *)(regs +
	    MIC_VMIC_EXT_DMA_KICK), 0, __ATOMIC_SEQ_CST) != 0)
		for (ch = 0; ch < MIC_VMIC_DMA_HOST_CHANNELS; ch++)
			if (dma_run(&e->de_mem, ch))
				bits |= MIC_VMIC_SICR0_DMA(ch);
	if (bits != 0)
		(void)__atomic_fetch_or((uint32_t *)(void *)(regs +
		    MIC_VMIC_SICR0), htole32(bits), __ATOMIC_SEQ_CST);
	return (bits);
}

/*
 * Host memory is the host guest's memory file, whole, which exists
 * once the host guest runs; until it is mapped, host addresses map
 * nothing.
 */
static void
dma_host_map(struct dma_eng *e)
{
	struct stat st;
	void *p;
	int fd;

	if ((fd = open(e->de_hostpath, O_RDWR | O_CLOEXEC)) == -1)
		return;
	if (fstat(fd, &st) == -1 || st.st_size <= 0) {
		(void)close(fd);
		return;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	(void)close(fd);
	if (p == MAP_FAILED)
		return;
	e->de_mem.dm_host = p;
	e->de_mem.dm_hostsize = (uint64_t)st.st_size;
}

/* In the loop: the worker set SICR0 bits; ring the host. */
static void
dma_readable(void *arg, int fd, short events)
{
	struct dma_eng *e = arg;
	char buf[64];

	(void)events;
	while (read(fd, buf, sizeof(buf)) > 0)
		continue;
	e->de_intr(e->de_arg);
}
