/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One virtual card: its register file (the vmic layout of
 * <linux/mic_vmic.h>), its memory file, its ivshmem server, and the
 * life of its guest: the flash bootstrap (SPAD2 handshake, image,
 * command line and ramdisk taken from card memory), reset, power off.
 * The host page, which only micemu and the host guest map, says what
 * micemu did with the card guest in words the card cannot forge.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <endian.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/mic_vmic.h>

#include "micemu.h"

#define CARD_DLADDR_MAX		(64U << 20)

struct card {
	int		 c_index;
	char		 c_name[8];
	struct ivserver	 c_iv;
	int		 c_ivopen;	/* c_iv is set up, close it */
	uint8_t		*c_regs;
	uint8_t		*c_host;	/* the host page */
	int		 c_regfd;
	int		 c_memfd;
	int		 c_hostfd;
	pid_t		 c_pid;		/* the card guest, or 0 */
	uint32_t	 c_dladdr;	/* bootstrap download address */
	uint8_t		*c_mem;		/* card memory */
	struct dma_eng	 c_dma;
};

static struct card cards[MICEMU_MAXCARDS];

/* The header's struct and its offsets describe the same layout. */
#define EXT_AT(f, off)	_Static_assert(offsetof(struct mic_vmic_ext, f) + \
			    MIC_VMIC_EXT == (off), #f)
EXT_AT(magic, MIC_VMIC_EXT_MAGIC);
EXT_AT(emu_state, MIC_VMIC_EXT_EMU_STATE);
EXT_AT(aper_size, MIC_VMIC_EXT_APER_SIZE);
EXT_AT(hwin_devfn, MIC_VMIC_EXT_HWIN_DEVFN);
EXT_AT(boot_vec, MIC_VMIC_EXT_BOOT_VEC);
EXT_AT(c2h_vec, MIC_VMIC_EXT_C2H_VEC(0));
EXT_AT(h2c_vec, MIC_VMIC_EXT_H2C_VEC(0));
EXT_AT(c2h_db, MIC_VMIC_EXT_C2H_DB(0));
EXT_AT(h2c_db, MIC_VMIC_EXT_H2C_DB(0));
EXT_AT(resets, MIC_VMIC_EXT_RESETS);
EXT_AT(dma_kick, MIC_VMIC_EXT_DMA_KICK);
EXT_AT(dma_vec, MIC_VMIC_EXT_DMA_VEC);
_Static_assert(sizeof(struct mic_vmic_ext) == MIC_VMIC_EXT_SIZE, "ext size");

static uint32_t	reg_read(struct card *, uint32_t);
static void	reg_write(struct card *, uint32_t, uint32_t);
static void	card_state(struct card *, uint32_t);
static uint8_t	*card_map(const char *, int, size_t);
static int	card_role(void *, pid_t);
static void	card_change(void *, int, int);
static void	card_ring(void *, int);
static void	card_ext_init(struct card *);
static void	card_reset(struct card *);
static void	card_kill(struct card *);
static void	card_boot(struct card *);
static int	card_dma_start(struct card *);
static void	card_dma_intr(void *);
static int	card_file(const char *, uint64_t);

int
card_init(int k)
{
	struct card *c = &cards[k];
	char *path;

	c->c_index = k;
	(void)snprintf(c->c_name, sizeof(c->c_name), "mic%d", k);
	c->c_dladdr = micemu.m_cardmem / 4;
	if (c->c_dladdr > CARD_DLADDR_MAX)
		c->c_dladdr = CARD_DLADDR_MAX;
	c->c_regfd = card_file(path_mem("%s.regs", c->c_name),
	    MIC_VMIC_REGS_SIZE);
	c->c_memfd = card_file(path_mem("%s.mem", c->c_name),
	    micemu.m_cardmem);
	c->c_hostfd = card_file(path_mem("%s.host", c->c_name),
	    MIC_VMIC_HOST_PAGE_SIZE);
	if (c->c_regfd == -1 || c->c_memfd == -1 || c->c_hostfd == -1)
		return (-1);
	c->c_regs = card_map(c->c_name, c->c_regfd, MIC_VMIC_REGS_SIZE);
	c->c_host = card_map(c->c_name, c->c_hostfd, MIC_VMIC_HOST_PAGE_SIZE);
	if (c->c_regs == NULL || c->c_host == NULL)
		return (-1);
	word_write(c->c_host, MIC_VMIC_HOST_MAGIC_OFF, MIC_VMIC_HOST_MAGIC);
	card_ext_init(c);
	card_reset(c);
	c->c_iv.iv_name = c->c_name;
	c->c_iv.iv_arg = c;
	c->c_iv.iv_role = card_role;
	c->c_iv.iv_change = card_change;
	c->c_iv.iv_ring = card_ring;
	path = path_work("%s.sock", c->c_name);
	c->c_ivopen = 1;
	if (ivshmem_open(&c->c_iv, path, c->c_regfd) == -1)
		return (-1);
	return (card_dma_start(c));
}

void
card_fini(int k)
{
	struct card *c = &cards[k];

	if (c->c_name[0] == '\0')
		return;
	card_kill(c);
	dma_stop(&c->c_dma);
	if (c->c_mem != NULL)
		(void)munmap(c->c_mem, micemu.m_cardmem);
	c->c_mem = NULL;
	if (c->c_ivopen)
		ivshmem_close(&c->c_iv);
	c->c_ivopen = 0;
	if (c->c_regs != NULL)
		(void)munmap(c->c_regs, MIC_VMIC_REGS_SIZE);
	if (c->c_host != NULL)
		(void)munmap(c->c_host, MIC_VMIC_HOST_PAGE_SIZE);
	c->c_regs = c->c_host = NULL;
	if (c->c_regfd != -1)
		(void)close(c->c_regfd);
	if (c->c_memfd != -1)
		(void)close(c->c_memfd);
	if (c->c_hostfd != -1)
		(void)close(c->c_hostfd);
	c->c_regfd = c->c_memfd = c->c_hostfd = -1;
}

/* A child exited: if it was a card guest, the card is powered off. */
int
card_reap(pid_t pid, int status)
{
	struct card *c;
	int k;

	for (k = 0; k < micemu.m_ncards; k++) {
		c = &cards[k];
		if (c->c_pid != pid || pid == 0)
			continue;
		c->c_pid = 0;
		(void)unlink(path_work("%s.pid", c->c_name));
		ivshmem_drop(&c->c_iv, PEER_CARD);
		card_state(c, MIC_VMIC_EMU_OFF);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			vlog("%s: card guest powered off", c->c_name);
		else
			warnx("%s: card guest exited with status %d",
			    c->c_name, WIFEXITED(status) ?
			    WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return (1);
	}
	return (0);
}

static uint32_t
reg_read(struct card *c, uint32_t off)
{
	return (word_read(c->c_regs, off));
}

static void
reg_write(struct card *c, uint32_t off, uint32_t val)
{
	word_write(c->c_regs, off, val);
}

/* What micemu did with the card guest: in the extension and the host page. */
static void
card_state(struct card *c, uint32_t state)
{
	reg_write(c, MIC_VMIC_EXT_EMU_STATE, state);
	word_write(c->c_host, MIC_VMIC_HOST_EMU_STATE, state);
}

static int
card_role(void *arg, pid_t pid)
{
	struct card *c = arg;

	if (pid == micemu.m_hostpid)
		return (PEER_HOST);
	if (pid == c->c_pid)
		return (PEER_CARD);
	return (-1);
}

static void
card_change(void *arg, int role, int id)
{
	struct card *c = arg;
	uint32_t off;

	off = role == PEER_HOST ? MIC_VMIC_EXT_HOST_PEER :
	    MIC_VMIC_EXT_CARD_PEER;
	reg_write(c, off, id == -1 ? MIC_VMIC_PEER_NONE : (uint32_t)id);
}

/* A guest rang micemu: look at every request, whatever the vector. */
static void
card_ring(void *arg, int vec)
{
	struct card *c = arg;
	uint32_t icr;

	(void)vec;
	if (reg_read(c, MIC_VMIC_EXT_DMA_KICK) != 0)
		dma_kick(&c->c_dma);
	if (reg_read(c, MIC_VMIC_RGCR) & MIC_VMIC_RGCR_RESET)
		card_reset(c);
	icr = reg_read(c, MIC_VMIC_APICICR(MIC_VMIC_BOOT_APICICR));
	if (icr & MIC_VMIC_APICICR_SEND) {
		reg_write(c, MIC_VMIC_APICICR(MIC_VMIC_BOOT_APICICR),
		    icr & ~MIC_VMIC_APICICR_SEND);
		card_boot(c);
	}
}

/* The extension, magic last: the file is complete once it is there. */
static void
card_ext_init(struct card *c)
{
	uint64_t hwin = micemu.m_hostmem, aper = micemu.m_cardmem;
	int i;

	memset(c->c_regs, 0, MIC_VMIC_REGS_SIZE);
	reg_write(c, MIC_VMIC_EXT_VERSION, MIC_VMIC_VERSION);
	reg_write(c, MIC_VMIC_EXT_CARD, (uint32_t)c->c_index);
	reg_write(c, MIC_VMIC_EXT_NVECTORS, MICEMU_NVEC);
	reg_write(c, MIC_VMIC_EXT_EMU_PEER, PEER_EMU);
	reg_write(c, MIC_VMIC_EXT_HOST_PEER, MIC_VMIC_PEER_NONE);
	reg_write(c, MIC_VMIC_EXT_CARD_PEER, MIC_VMIC_PEER_NONE);
	reg_write(c, MIC_VMIC_EXT_APER_SIZE, (uint32_t)aper);
	reg_write(c, MIC_VMIC_EXT_APER_SIZE + 4, (uint32_t)(aper >> 32));
	reg_write(c, MIC_VMIC_EXT_HWIN_SIZE, (uint32_t)hwin);
	reg_write(c, MIC_VMIC_EXT_HWIN_SIZE + 4, (uint32_t)(hwin >> 32));
	reg_write(c, MIC_VMIC_EXT_APER_DEVFN,
	    MIC_VMIC_HOST_SLOT(c->c_index) << 3 | MIC_VMIC_FN_MEM);
	reg_write(c, MIC_VMIC_EXT_HWIN_DEVFN,
	    MIC_VMIC_CARD_SLOT << 3 | MIC_VMIC_FN_MEM);
	reg_write(c, MIC_VMIC_EXT_RESET_VEC, MICEMU_RESET_VEC);
	reg_write(c, MIC_VMIC_EXT_BOOT_VEC, MICEMU_BOOT_VEC);
	reg_write(c, MIC_VMIC_EXT_DMA_KICK_VEC, MICEMU_DMA_KICK_VEC);
	reg_write(c, MIC_VMIC_EXT_DMA_VEC, MICEMU_DMA_VEC);
	for (i = 0; i < MIC_VMIC_C2H_DBS; i++)
		reg_write(c, MIC_VMIC_EXT_C2H_VEC(i), (uint32_t)i);
	for (i = 0; i < MIC_VMIC_H2C_DBS; i++)
		reg_write(c, MIC_VMIC_EXT_H2C_VEC(i), (uint32_t)i);
	reg_write(c, MIC_VMIC_EXT_MAGIC, MIC_VMIC_MAGIC);
}

/* The DMA engine: card memory mapped, the worker started. */
static int
card_dma_start(struct card *c)
{
	struct dma_eng *e = &c->c_dma;

	if ((c->c_mem = card_map(c->c_name, c->c_memfd,
	    micemu.m_cardmem)) == NULL)
		return (-1);
	e->de_name = c->c_name;
	if ((e->de_hostpath = strdup(path_mem("host.mem"))) == NULL) {
		warn("%s: DMA", c->c_name);
		return (-1);
	}
	e->de_mem.dm_regs = c->c_regs;
	e->de_mem.dm_card = c->c_mem;
	e->de_mem.dm_cardsize = micemu.m_cardmem;
	e->de_intr = card_dma_intr;
	e->de_arg = c;
	return (dma_start(e));
}

/* Channels interrupted (SICR0 bits set): tell the host. */
static void
card_dma_intr(void *arg)
{
	struct card *c = arg;

	(void)ivshmem_ring(&c->c_iv, PEER_HOST, MICEMU_DMA_VEC);
}

/*
 * Reset: the guest goes, the scratchpads but the kept ones are zeroed
 * with the interrupt state, and SPAD2 says ready last.  Card memory and
 * the SMPT stay.
 */
static void
card_reset(struct card *c)
{
	uint32_t i;

	vlog("%s: reset", c->c_name);
	card_kill(c);
	/* No transfer outlives the reset: DCR 0 stops every channel. */
	dma_quiesce(&c->c_dma);
	memset(c->c_regs + MIC_VMIC_DMA_CH(0), 0,
	    MIC_VMIC_DMA_CH(MIC_VMIC_DMA_CHANNELS) - MIC_VMIC_DMA_CH(0));
	reg_write(c, MIC_VMIC_DCR, 0);
	reg_write(c, MIC_VMIC_EXT_DMA_KICK, 0);
	reg_write(c, MIC_VMIC_SICR0, reg_read(c, MIC_VMIC_SICR0) &
	    ~(MIC_VMIC_SICR0_DMA(MIC_VMIC_DMA_CHANNELS) - MIC_VMIC_SICR0_DMA(0)));
	for (i = 0; i < MIC_VMIC_SPAD_COUNT; i++)
		if ((MIC_VMIC_SPAD_KEEP & (1U << i)) == 0)
			reg_write(c, MIC_VMIC_SPAD(i), 0);
	for (i = 0; i < 8; i++) {
		reg_write(c, MIC_VMIC_APICICR(i), 0);
		reg_write(c, MIC_VMIC_APICICR_HI(i), 0);
	}
	for (i = 0; i < MIC_VMIC_H2C_DBS; i++)
		reg_write(c, MIC_VMIC_EXT_H2C_DB(i), 0);
	for (i = 0; i < MIC_VMIC_C2H_DBS; i++)
		reg_write(c, MIC_VMIC_EXT_C2H_DB(i), 0);
	reg_write(c, MIC_VMIC_RGCR,
	    reg_read(c, MIC_VMIC_RGCR) & ~MIC_VMIC_RGCR_RESET);
	reg_write(c, MIC_VMIC_EXT_RESETS, reg_read(c, MIC_VMIC_EXT_RESETS) + 1);
	card_state(c, MIC_VMIC_EMU_READY);
	reg_write(c, MIC_VMIC_SPAD(2), c->c_dladdr | MIC_VMIC_SPAD2_READY);
	word_write(c->c_host, MIC_VMIC_HOST_RESETS,
	    word_read(c->c_host, MIC_VMIC_HOST_RESETS) + 1);
}

static void
card_kill(struct card *c)
{
	if (c->c_pid == 0)
		return;
	vlog("%s: card guest killed", c->c_name);
	qemu_kill(c->c_pid);
	c->c_pid = 0;
	(void)unlink(path_work("%s.pid", c->c_name));
	ivshmem_drop(&c->c_iv, PEER_CARD);
}

/* The bootstrap IPI: start the card guest on what the host loaded. */
static void
card_boot(struct card *c)
{
	struct boot b;
	pid_t pid;

	vlog("%s: bootstrap IPI", c->c_name);
	if (c->c_pid != 0 ||
	    (reg_read(c, MIC_VMIC_SPAD(2)) & MIC_VMIC_SPAD2_READY) == 0) {
		warnx("%s: bootstrap: card not reset: IPI ignored", c->c_name);
		return;
	}
	reg_write(c, MIC_VMIC_SPAD(2), 0);
	memset(&b, 0, sizeof(b));
	b.b_name = c->c_name;
	b.b_memfd = c->c_memfd;
	b.b_dladdr = c->c_dladdr;
	b.b_size = reg_read(c, MIC_VMIC_SPAD(5));
	/* The host must never see ready while a card guest may run. */
	card_state(c, MIC_VMIC_EMU_RUNNING);
	if (bootstrap_load(&b) == -1 || (pid = qemu_card(c->c_index,
	    b.b_kernel, b.b_initrd[0] != '\0' ? b.b_initrd : NULL,
	    b.b_cmdline)) == -1) {
		card_state(c, MIC_VMIC_EMU_FAILED);
		return;
	}
	c->c_pid = pid;
	pidfile_write(path_work("%s.pid", c->c_name), pid);
	reg_write(c, MIC_VMIC_EXT_BOOTS, reg_read(c, MIC_VMIC_EXT_BOOTS) + 1);
	word_write(c->c_host, MIC_VMIC_HOST_BOOTS,
	    word_read(c->c_host, MIC_VMIC_HOST_BOOTS) + 1);
	vlog("%s: card guest started, pid %d", c->c_name, (int)pid);
}

/* Map a card's shared memory file. */
static uint8_t *
card_map(const char *name, int fd, size_t size)
{
	void *p;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		warn("%s: mmap", name);
		return (NULL);
	}
	return (p);
}

/* A fresh shared memory file of the given size: old contents go. */
static int
card_file(const char *path, uint64_t size)
{
	int fd;

	(void)unlink(path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1 || ftruncate(fd, (off_t)size) == -1) {
		warn("%s", path);
		if (fd != -1)
			(void)close(fd);
		return (-1);
	}
	return (fd);
}
