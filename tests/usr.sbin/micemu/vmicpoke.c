/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vmicpoke: drive a micemu virtual card from the host guest without the
 * mic_host driver, through the PCI resource files in sysfs.  For tests.
 *
 *	vmicpoke info K
 *	vmicpoke boot K image cmdline ramdisk
 *	vmicpoke reset K
 *	vmicpoke wait K state [seconds]	(state: ready running off failed)
 *	vmicpoke peek K offset
 *	vmicpoke poke K offset value
 *	vmicpoke aperread K offset length
 *	vmicpoke aperwrite K offset string
 *	vmicpoke doorbell K n			(host to card doorbell n)
 *	vmicpoke dma K src dst length	(DMA channel 0, card addresses)
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/mic_vmic.h>

#define PCIDIR		"/sys/bus/pci/devices/0000:00:%02x.%d"
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c

struct vcard {
	volatile uint8_t	*v_regs;	/* register file (BAR2) */
	volatile uint8_t	*v_bar0;	/* ivshmem registers */
	uint8_t			*v_aper;	/* aperture */
	uint64_t		 v_apersize;
	uint8_t			*v_host;	/* host page */
};

static void	*map_bar(int, int, int, size_t *);
static void	 vcard_open(struct vcard *, const char *);
static uint32_t	 rd(struct vcard *, uint32_t);
static void	 wr(struct vcard *, uint32_t, uint32_t);
static void	 ring(struct vcard *, uint32_t, uint32_t);
static int	 wait_state(struct vcard *, uint32_t, int);
static int	 wait_ready(struct vcard *, int);
static void	*slurp(const char *, size_t *);
static int	 cmd_info(struct vcard *);
static int	 cmd_boot(struct vcard *, char **);
static int	 cmd_reset(struct vcard *);
static int	 cmd_doorbell(struct vcard *, int);
static void	 dma_desc(struct vcard *, int, uint64_t, uint64_t);
static int	 cmd_dma(struct vcard *, char **);
static void	 usage(void) __attribute__((__noreturn__));

int
main(int argc, char *argv[])
{
	struct vcard v;
	const char *cmd;

	if (argc < 3)
		usage();
	cmd = argv[1];
	vcard_open(&v, argv[2]);
	if (strcmp(cmd, "info") == 0 && argc == 3)
		return (cmd_info(&v));
	if (strcmp(cmd, "boot") == 0 && argc == 6)
		return (cmd_boot(&v, argv + 3));
	if (strcmp(cmd, "reset") == 0 && argc == 3)
		return (cmd_reset(&v));
	if (strcmp(cmd, "wait") == 0 && (argc == 4 || argc == 5)) {
		if (strcmp(argv[3], "ready") == 0)
			return (wait_state(&v, MIC_VMIC_EMU_READY, argc == 5 ?
			    atoi(argv[4]) : 60));
		if (strcmp(argv[3], "running") == 0)
			return (wait_state(&v, MIC_VMIC_EMU_RUNNING,
			    argc == 5 ? atoi(argv[4]) : 60));
		if (strcmp(argv[3], "off") == 0)
			return (wait_state(&v, MIC_VMIC_EMU_OFF, argc == 5 ?
			    atoi(argv[4]) : 60));
		if (strcmp(argv[3], "failed") == 0)
			return (wait_state(&v, MIC_VMIC_EMU_FAILED, argc == 5 ?
			    atoi(argv[4]) : 60));
		usage();
	}
	if (strcmp(cmd, "peek") == 0 && argc == 4) {
		printf("%#x\n", rd(&v, (uint32_t)strtoul(argv[3], NULL, 0)));
		return (0);
	}
	if (strcmp(cmd, "poke") == 0 && argc == 5) {
		wr(&v, (uint32_t)strtoul(argv[3], NULL, 0),
		    (uint32_t)strtoul(argv[4], NULL, 0));
		return (0);
	}
	if (strcmp(cmd, "doorbell") == 0 && argc == 4)
		return (cmd_doorbell(&v, atoi(argv[3])));
	if (strcmp(cmd, "dma") == 0 && argc == 6)
		return (cmd_dma(&v, argv + 3));
	if (strcmp(cmd, "aperread") == 0 && argc == 5) {
		fwrite(v.v_aper + strtoull(argv[3], NULL, 0), 1,
		    strtoul(argv[4], NULL, 0), stdout);
		putchar('\n');
		return (0);
	}
	if (strcmp(cmd, "aperwrite") == 0 && argc == 5) {
		memcpy(v.v_aper + strtoull(argv[3], NULL, 0), argv[4],
		    strlen(argv[4]));
		return (0);
	}
	usage();
}

static void
usage(void)
{
	fprintf(stderr, "usage: vmicpoke info|boot|reset|wait|peek|poke|"
	    "aperread|aperwrite|dma card ...\n");
	exit(2);
}

/* Enable a function of card slot, map its BAR bar. */
static void *
map_bar(int slot, int fn, int bar, size_t *len)
{
	char path[128];
	struct stat st;
	void *p;
	int fd;

	(void)snprintf(path, sizeof(path), PCIDIR "/enable", slot, fn);
	if ((fd = open(path, O_WRONLY)) != -1) {
		(void)write(fd, "1", 1);
		(void)close(fd);
	}
	(void)snprintf(path, sizeof(path), PCIDIR "/resource%d", slot, fn,
	    bar);
	if ((fd = open(path, O_RDWR | O_SYNC)) == -1 || fstat(fd, &st) == -1)
		err(1, "%s", path);
	*len = (size_t)st.st_size;
	p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "%s: mmap", path);
	(void)close(fd);
	return (p);
}

static void
vcard_open(struct vcard *v, const char *arg)
{
	size_t len;
	int k = atoi(arg);

	if (k < 0 || k >= MIC_VMIC_MAX_CARDS)
		errx(2, "%s: not a card number", arg);
	v->v_regs = map_bar(MIC_VMIC_HOST_SLOT(k), MIC_VMIC_FN_REGS, 2, &len);
	if (len < MIC_VMIC_REGS_SIZE || rd(v, MIC_VMIC_EXT_MAGIC) !=
	    MIC_VMIC_MAGIC)
		errx(1, "card %d: no vmic signature", k);
	v->v_bar0 = map_bar(MIC_VMIC_HOST_SLOT(k), MIC_VMIC_FN_REGS, 0, &len);
	v->v_aper = map_bar(MIC_VMIC_HOST_SLOT(k), MIC_VMIC_FN_MEM, 2, &len);
	v->v_apersize = len;
	v->v_host = map_bar(MIC_VMIC_HOST_SLOT(k), MIC_VMIC_FN_HOST, 2, &len);
}

static uint32_t
rd(struct vcard *v, uint32_t off)
{
	return (*(volatile uint32_t *)(v->v_regs + off));
}

static void
wr(struct vcard *v, uint32_t off, uint32_t val)
{
	*(volatile uint32_t *)(v->v_regs + off) = val;
	__sync_synchronize();
}

static void
ring(struct vcard *v, uint32_t peer, uint32_t vec)
{
	*(volatile uint32_t *)(v->v_bar0 + MIC_VMIC_IVSHMEM_DOORBELL) =
	    MIC_VMIC_DOORBELL(peer, vec);
}

static int
wait_state(struct vcard *v, uint32_t state, int secs)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	long i;

	for (i = 0; i < secs * 100L; i++) {
		if (rd(v, MIC_VMIC_EXT_EMU_STATE) == state)
			return (0);
		nanosleep(&ts, NULL);
	}
	warnx("timeout: emu_state %u, not %u", rd(v, MIC_VMIC_EXT_EMU_STATE),
	    state);
	return (1);
}

static int
wait_ready(struct vcard *v, int secs)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	long i;

	for (i = 0; i < secs * 100L; i++) {
		if (rd(v, MIC_VMIC_SPAD(2)) & MIC_VMIC_SPAD2_READY)
			return (0);
		nanosleep(&ts, NULL);
	}
	warnx("timeout: SPAD2 %#x not ready", rd(v, MIC_VMIC_SPAD(2)));
	return (1);
}

static int
cmd_info(struct vcard *v)
{
	static const struct {
		const char	*name;
		uint32_t	 off;
	} f[] = {
		{ "magic", MIC_VMIC_EXT_MAGIC },
		{ "version", MIC_VMIC_EXT_VERSION },
		{ "card", MIC_VMIC_EXT_CARD },
		{ "nvectors", MIC_VMIC_EXT_NVECTORS },
		{ "emu_peer", MIC_VMIC_EXT_EMU_PEER },
		{ "host_peer", MIC_VMIC_EXT_HOST_PEER },
		{ "card_peer", MIC_VMIC_EXT_CARD_PEER },
		{ "emu_state", MIC_VMIC_EXT_EMU_STATE },
		{ "aper_size", MIC_VMIC_EXT_APER_SIZE },
		{ "hwin_size", MIC_VMIC_EXT_HWIN_SIZE },
		{ "aper_devfn", MIC_VMIC_EXT_APER_DEVFN },
		{ "hwin_devfn", MIC_VMIC_EXT_HWIN_DEVFN },
		{ "reset_vec", MIC_VMIC_EXT_RESET_VEC },
		{ "boot_vec", MIC_VMIC_EXT_BOOT_VEC },
		{ "boots", MIC_VMIC_EXT_BOOTS },
		{ "resets", MIC_VMIC_EXT_RESETS },
		{ "spad2", MIC_VMIC_SPAD(2) },
		{ "ivposition", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]) - 1; i++)
		printf("%s=%#x\n", f[i].name, rd(v, f[i].off));
	printf("ivposition=%#x\n", *(volatile uint32_t *)(v->v_bar0 +
	    MIC_VMIC_IVSHMEM_IVPOSITION));
	printf("aperture=%#llx\n", (unsigned long long)v->v_apersize);
	printf("host_magic=%#x\nhost_emu_state=%#x\nhost_resets=%#x\n",
	    *(volatile uint32_t *)(v->v_host + MIC_VMIC_HOST_MAGIC_OFF),
	    *(volatile uint32_t *)(v->v_host + MIC_VMIC_HOST_EMU_STATE),
	    *(volatile uint32_t *)(v->v_host + MIC_VMIC_HOST_RESETS));
	return (0);
}

static void *
slurp(const char *path, size_t *len)
{
	struct stat st;
	void *p;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1)
		err(1, "%s", path);
	*len = (size_t)st.st_size;
	if ((p = malloc(*len + 1)) == NULL)
		err(1, NULL);
	if (read(fd, p, *len) != (ssize_t)*len)
		err(1, "%s: read", path);
	(void)close(fd);
	return (p);
}

/* ABI.md 6.4: image, command line, ramdisk, sizes, bootstrap IPI. */
static int
cmd_boot(struct vcard *v, char **av)
{
	size_t ilen, rlen, clen = strlen(av[1]) + 1;
	uint32_t spad2, dl, rdaddr;
	uint8_t *img, *rdisk;

	if (wait_ready(v, 60) != 0)
		return (1);
	spad2 = rd(v, MIC_VMIC_SPAD(2));
	dl = MIC_VMIC_SPAD2_ADDR(spad2);
	rdaddr = 2 * dl;
	img = slurp(av[0], &ilen);
	rdisk = slurp(av[2], &rlen);
	if (dl + ilen + clen > rdaddr || rdaddr + rlen > v->v_apersize)
		errx(1, "image, command line or ramdisk too large");
	memcpy(v->v_aper + dl, img, ilen);
	memcpy(v->v_aper + dl + BP_RAMDISK_IMAGE, &rdaddr, 4);
	memcpy(v->v_aper + dl + BP_RAMDISK_SIZE, &rlen, 4);
	memcpy(v->v_aper + dl + ilen, av[1], clen);
	memcpy(v->v_aper + rdaddr, rdisk, rlen);
	wr(v, MIC_VMIC_SPAD(5), (uint32_t)ilen);
	wr(v, MIC_VMIC_APICICR_HI(MIC_VMIC_BOOT_APICICR),
	    MIC_VMIC_SPAD2_APICID(spad2));
	wr(v, MIC_VMIC_APICICR(MIC_VMIC_BOOT_APICICR),
	    MIC_VMIC_BOOT_VECTOR | MIC_VMIC_APICICR_SEND);
	ring(v, rd(v, MIC_VMIC_EXT_EMU_PEER), rd(v, MIC_VMIC_EXT_BOOT_VEC));
	printf("boot: image %zu bytes at %#x, ramdisk %zu bytes at %#x\n",
	    ilen, dl, rlen, rdaddr);
	return (0);
}

/* ABI.md 6.5, with a short poll: tests want to be quick. */
static int
cmd_reset(struct vcard *v)
{
	wr(v, MIC_VMIC_SPAD(2), 0);
	wr(v, MIC_VMIC_RGCR, rd(v, MIC_VMIC_RGCR) | MIC_VMIC_RGCR_RESET);
	ring(v, rd(v, MIC_VMIC_EXT_EMU_PEER), rd(v, MIC_VMIC_EXT_RESET_VEC));
	if (wait_ready(v, 60) != 0)
		return (1);
	printf("reset: ready, spad2 %#x\n", rd(v, MIC_VMIC_SPAD(2)));
	return (0);
}

/* The doorbell protocol of <linux/mic_vmic.h>: state first, then ring. */
static int
cmd_doorbell(struct vcard *v, int n)
{
	if (n < 0 || n >= MIC_VMIC_H2C_DBS)
		errx(2, "%d: not a doorbell", n);
	wr(v, MIC_VMIC_EXT_H2C_DB(n), 1);
	ring(v, rd(v, MIC_VMIC_EXT_CARD_PEER), rd(v, MIC_VMIC_EXT_H2C_VEC(n)));
	return (0);
}

/*
 * One MEMCPY, then an interrupting STATUS, on DMA channel 0 with a ring
 * at DMA_RING in card memory; the channel is reset first (disabled,
 * DCHERR and the indices zeroed, enabled).  Prints what the engine did.
 */
#define DMA_RING	0x300000
#define DMA_STATUS	(DMA_RING + 0x100)

static void
dma_desc(struct vcard *v, int i, uint64_t qw0, uint64_t qw1)
{
	uint64_t d[2] = { qw0, qw1 };

	memcpy(v->v_aper + DMA_RING + 16 * i, d, sizeof(d));
}

static int
cmd_dma(struct vcard *v, char **av)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	uint64_t src, dst, len, st;
	long i;

	src = strtoull(av[0], NULL, 0);
	dst = strtoull(av[1], NULL, 0);
	len = strtoull(av[2], NULL, 0);
	wr(v, MIC_VMIC_DCR, 0);
	wr(v, MIC_VMIC_DCHERR(0), 0);
	wr(v, MIC_VMIC_DTPR(0), 0);
	wr(v, MIC_VMIC_DHPR(0), 0);
	wr(v, MIC_VMIC_DSTAT(0), 0);
	wr(v, MIC_VMIC_SICR0, 0);
	memset(v->v_aper + DMA_STATUS, 0, 8);
	dma_desc(v, 0, src | (len / 64) << 46,
	    (uint64_t)MIC_VMIC_DESC_MEMCPY << 60 | dst);
	dma_desc(v, 1, 0x600d, (uint64_t)MIC_VMIC_DESC_STATUS << 60 |
	    MIC_VMIC_DESC_INTR | DMA_STATUS);
	wr(v, MIC_VMIC_DRAR_LO(0), DMA_RING);
	wr(v, MIC_VMIC_DRAR_HI(0), 8 << 4);
	wr(v, MIC_VMIC_DCR, MIC_VMIC_DCR_HOST(0) | MIC_VMIC_DCR_EN(0));
	__sync_synchronize();
	wr(v, MIC_VMIC_DHPR(0), 2);
	wr(v, MIC_VMIC_EXT_DMA_KICK, 1);
	ring(v, rd(v, MIC_VMIC_EXT_EMU_PEER), rd(v, MIC_VMIC_EXT_DMA_KICK_VEC));
	for (i = 0; i < 6000; i++) {
		if (rd(v, MIC_VMIC_DTPR(0)) == 2 ||
		    rd(v, MIC_VMIC_DCHERR(0)) != 0)
			break;
		nanosleep(&ts, NULL);
	}
	memcpy(&st, v->v_aper + DMA_STATUS, sizeof(st));
	printf("dma: dtpr=%u dstat=%#x dcherr=%#x sicr0=%#x status=%#llx\n",
	    rd(v, MIC_VMIC_DTPR(0)), rd(v, MIC_VMIC_DSTAT(0)),
	    rd(v, MIC_VMIC_DCHERR(0)), rd(v, MIC_VMIC_SICR0),
	    (unsigned long long)st);
	return (0);
}
