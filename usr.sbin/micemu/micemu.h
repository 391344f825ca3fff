/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micemu: the virtual X100 platform.
 */
#ifndef MICEMU_H
#define MICEMU_H

#include <sys/types.h>

#include <endian.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>

#define MICEMU_MAXCARDS		8
#define MICEMU_NVEC		16	/* ivshmem vectors of every peer */
#define MICEMU_MINMEM		(4ULL << 20)	/* a card's memory, -m */
#define MICEMU_MAXMEM		(2ULL << 30)	/* either's memory */
#define MICEMU_DEFMEM		(512ULL << 20)
#define MICEMU_MINHOSTMEM	(256ULL << 20)	/* the host guest's, -M */
#define MICEMU_DEFHOSTMEM	(512ULL << 20)
/*
 * Bytes of a command line, NUL included: the most the host may load
 * (ABI.md 6.4), and the most the card kernel takes (x86's
 * COMMAND_LINE_SIZE), micemu's own words included.
 */
#define MICEMU_CMDLINE_MAX	2048

/* The peers of one ivshmem server, by role (micemu 0, host 1). */
#define PEER_EMU		0
#define PEER_HOST		1
#define PEER_CARD		2
#define PEER_COUNT		3

/* micemu's own vectors (ABI: published in the vmic extension). */
#define MICEMU_RESET_VEC	0
#define MICEMU_BOOT_VEC		1
#define MICEMU_DMA_KICK_VEC	2
/* The host's vector for DMA interrupts, after the card doorbells'. */
#define MICEMU_DMA_VEC		4

struct peer {
	int		 p_id;		/* ivshmem peer id */
	int		 p_sock;	/* connection; -1: none or micemu */
	int		 p_efd[MICEMU_NVEC];	/* -1 when not connected */
};

/* One ivshmem server: the doorbell device of one card. */
struct ivserver {
	const char	*iv_name;
	int		 iv_lsock;
	int		 iv_shmfd;
	int		 iv_nextid;	/* the next card guest's peer id */
	struct peer	 iv_peer[PEER_COUNT];
	void		*iv_arg;
	/* Which peer a connecting pid is: PEER_HOST, PEER_CARD or -1. */
	int		(*iv_role)(void *, pid_t);
	/* A peer came (its peer id) or went (-1). */
	void		(*iv_change)(void *, int, int);
	/* One of micemu's own vectors was rung. */
	void		(*iv_ring)(void *, int);
};

/* What the host loaded into card memory, as files to boot. */
struct boot {
	const char	*b_name;
	int		 b_memfd;
	uint32_t	 b_dladdr;
	uint32_t	 b_size;	/* SPAD5 */
	char		 b_cmdline[MICEMU_CMDLINE_MAX];	/* the guest's whole */
	char		 b_image[PATH_MAX];
	char		 b_initrd[PATH_MAX];	/* "" without a ramdisk */
	const char	*b_kernel;	/* b_image, or micemu's vmlinux */
};

/* Global settings, filled by main(). */
struct micemu {
	int		 m_ncards;
	uint64_t	 m_cardmem;
	uint64_t	 m_hostmem;
	const char	*m_share;	/* -S, or NULL */
	const char	*m_script;	/* -s, or NULL */
	const char	*m_workdir;
	char		*m_memdir;	/* where memory files live */
	const char	*m_datadir;	/* the images */
	const char	*m_bzimage;	/* the kernel */
	const char	*m_vmlinux;	/* the same, uncompressed, or NULL */
	const char	*m_qemu;
	int		 m_verbose;
	int		 m_interactive;
	pid_t		 m_hostpid;
};

extern struct micemu micemu;

/* A little-endian 32-bit word of shared memory, read or written whole. */
static inline uint32_t
word_read(const uint8_t *base, uint32_t off)
{
	return (le32toh(__atomic_load_n((const uint32_t *)(const void *)
	    (base + off), __ATOMIC_ACQUIRE)));
}

static inline void
word_write(uint8_t *base, uint32_t off, uint32_t val)
{
	__atomic_store_n((uint32_t *)(void *)(base + off), htole32(val),
	    __ATOMIC_SEQ_CST);
}

/*
 * The memories the DMA engine sees: the register file
 * (MIC_VMIC_REGS_SIZE bytes), card memory, and host memory, where a
 * host address is an offset.
 */
struct dma_mem {
	uint8_t		*dm_regs;
	uint8_t		*dm_card;
	uint64_t	 dm_cardsize;
	uint8_t		*dm_host;
	uint64_t	 dm_hostsize;
};

/* micemu.c */
void	pidfile_write(const char *, pid_t);
int	listen_unix(const char *, const char *);
void	vlog(const char *, ...) __attribute__((format(printf, 1, 2)));

/* loop.c */
int	loop_add(int, void (*)(void *, int, short), void *);
void	loop_del(int);
void	loop_quit(int);
int	loop_run(void);

/* host.c */
int	host_start(void);
void	host_exited(int);
void	host_stop(void);

/* workdir.c */
void	workdir_init(const char *);
void	workdir_link(const char *);
void	workdir_clean(int);
char	*workdir_path(const char *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* A path in the work directory, or in the memory directory. */
#define path_work(...)	workdir_path(micemu.m_workdir, __VA_ARGS__)
#define path_mem(...)	workdir_path(micemu.m_memdir, __VA_ARGS__)

/* ivshmem.c */
int	ivshmem_open(struct ivserver *, const char *, int);
void	ivshmem_close(struct ivserver *);
int	ivshmem_ring(struct ivserver *, int, int);
void	ivshmem_drop(struct ivserver *, int);

/* bootstrap.c */
int	bootstrap_load(struct boot *);

/* card.c */
int	card_init(int);
void	card_fini(int);
int	card_reap(pid_t, int);

/*
 * A card's DMA engine at run time: a worker thread runs the channels
 * when kicked, so that a long copy never delays the event loop, and
 * tells the loop through a pipe which channels interrupt.
 */
struct dma_eng {
	struct dma_mem	 de_mem;
	const char	*de_name;
	char		*de_hostpath;	/* host memory, mapped at first use */
	pthread_t	 de_thread;
	pthread_mutex_t	 de_lock;
	pthread_cond_t	 de_cond;
	int		 de_started;
	int		 de_kick;	/* a pass is wanted */
	int		 de_busy;	/* a pass is running */
	int		 de_quit;
	int		 de_pipe[2];	/* worker -> loop */
	void		(*de_intr)(void *);	/* in the loop */
	void		*de_arg;
};

/* dma.c */
int	dma_run(const struct dma_mem *, unsigned int);

/* dmaeng.c */
int	dma_start(struct dma_eng *);
void	dma_kick(struct dma_eng *);
void	dma_quiesce(struct dma_eng *);
void	dma_stop(struct dma_eng *);

/* qemu.c */
pid_t	qemu_host(void);
pid_t	qemu_card(int, const char *, const char *, const char *);
int	qemu_card_cmdline(char *, size_t, const char *);
void	qemu_kill(pid_t);

#endif /* MICEMU_H */
