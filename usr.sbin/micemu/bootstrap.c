/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The card's flash bootstrap: take what the host loaded into card
 * memory (ABI.md 6.4) out of the card memory file, into files QEMU
 * boots: the image (SPAD5 bytes at the download address), the command
 * line (right after it, NUL-terminated) and the ramdisk (where the
 * image's setup header, patched by the host, says).  Everything is
 * checked against the card memory first, and the command line, with
 * micemu's own words, against the card kernel's limit.
 *
 * When the image is micemu's own kernel (the bzImage of MICEMU_KERNEL,
 * setup header aside), the guest boots its uncompressed copy instead:
 * the same kernel, without decompressing it under emulation.
 */
#include <endian.h>
#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "micemu.h"

/* The x86 boot protocol's setup header, inside the kernel image. */
#define BP_HDR_START		0x1f1
#define BP_HDR_MAGIC		0x202	/* "HdrS" */
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c
#define BP_HDR_END		0x300	/* past the header, for compares */
#define BP_MAGIC		0x53726448
#define COPY_CHUNK		(1 << 20)

static int	bootstrap_cmdline(struct boot *);
static int	bootstrap_copy(struct boot *, uint64_t, uint32_t,
		    const char *);
static int	bootstrap_same(const char *, const char *);
static uint32_t	le32at(const uint8_t *);

int
bootstrap_load(struct boot *b)
{
	uint8_t hdr[BP_HDR_END];
	uint32_t rdaddr, rdsize;
	uint64_t mem = micemu.m_cardmem;

	if (b->b_size < BP_HDR_END || b->b_size > mem - b->b_dladdr) {
		warnx("%s: bootstrap: image size %u does not fit the card "
		    "memory", b->b_name, b->b_size);
		return (-1);
	}
	if (pread(b->b_memfd, hdr, sizeof(hdr), b->b_dladdr) !=
	    (ssize_t)sizeof(hdr)) {
		warn("%s: bootstrap: card memory", b->b_name);
		return (-1);
	}
	if (le32at(hdr + BP_HDR_MAGIC) != BP_MAGIC) {
		warnx("%s: bootstrap: not an x86 kernel image", b->b_name);
		return (-1);
	}
	rdaddr = le32at(hdr + BP_RAMDISK_IMAGE);
	rdsize = le32at(hdr + BP_RAMDISK_SIZE);
	if (rdsize != 0 && (rdaddr > mem || rdsize > mem - rdaddr)) {
		warnx("%s: bootstrap: ramdisk at %#x size %u outside the card "
		    "memory", b->b_name, rdaddr, rdsize);
		return (-1);
	}
	(void)snprintf(b->b_image, sizeof(b->b_image), "%s",
	    path_work("%s.kernel", b->b_name));
	if (bootstrap_cmdline(b) == -1 ||
	    bootstrap_copy(b, b->b_dladdr, b->b_size, b->b_image) == -1)
		return (-1);
	if (rdsize != 0) {
		(void)snprintf(b->b_initrd, sizeof(b->b_initrd), "%s",
		    path_work("%s.initrd", b->b_name));
		if (bootstrap_copy(b, rdaddr, rdsize, b->b_initrd) == -1)
			return (-1);
	}
	b->b_kernel = b->b_image;
	if (micemu.m_vmlinux != NULL &&
	    bootstrap_same(b->b_image, micemu.m_bzimage))
		b->b_kernel = micemu.m_vmlinux;
	vlog("%s: bootstrap: image %u bytes, ramdisk %u bytes at %#x, "
	    "booting %s", b->b_name, b->b_size, rdsize, rdaddr, b->b_kernel);
	return (0);
}

/*
 * The host's command line, with micemu's words before it, must fit the
 * card kernel's MICEMU_CMDLINE_MAX bytes: a longer line hangs the
 * kernel before it prints anything.  The words cannot go elsewhere:
 * the card kernel (Debian's) has a VT console, so that without
 * console=ttyS0 nothing reaches micK.log; it has neither a built-in
 * command line nor bootconfig; and the limit is a constant on x86.  So
 * such a bootstrap is refused, as a bad image is.
 */
static int
bootstrap_cmdline(struct boot *b)
{
	char host[MICEMU_CMDLINE_MAX];
	uint64_t off = (uint64_t)b->b_dladdr + b->b_size;
	size_t len = sizeof(host);
	ssize_t n;
	int whole;

	if (micemu.m_cardmem - off < len)
		len = (size_t)(micemu.m_cardmem - off);
	n = pread(b->b_memfd, host, len, (off_t)off);
	if (n == -1) {
		warn("%s: bootstrap: card memory", b->b_name);
		return (-1);
	}
	if (memchr(host, '\0', (size_t)n) == NULL) {
		warnx("%s: bootstrap: command line not terminated within %zu "
		    "bytes", b->b_name, len);
		return (-1);
	}
	whole = qemu_card_cmdline(b->b_cmdline, sizeof(b->b_cmdline), host);
	if (whole < 0 || (size_t)whole >= sizeof(b->b_cmdline)) {
		warnx("%s: bootstrap: command line too long: %d bytes with "
		    "micemu's own", b->b_name, whole + 1);
		return (-1);
	}
	return (0);
}

static int
bootstrap_copy(struct boot *b, uint64_t off, uint32_t len, const char *path)
{
	static char buf[COPY_CHUNK];
	ssize_t n;
	size_t want;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1) {
		warn("%s", path);
		return (-1);
	}
	while (len > 0) {
		want = len < sizeof(buf) ? len : sizeof(buf);
		n = pread(b->b_memfd, buf, want, (off_t)off);
		if (n <= 0 || write(fd, buf, (size_t)n) != n) {
			warn("%s: bootstrap: %s", b->b_name, path);
			(void)close(fd);
			return (-1);
		}
		off += (uint64_t)n;
		len -= (uint32_t)n;
	}
	return (close(fd));
}

/* Whether two kernel images are the same but for their setup header. */
static int
bootstrap_same(const char *a, const char *b)
{
	static char ba[COPY_CHUNK], bb[COPY_CHUNK];
	ssize_t na, nb;
	off_t off = 0;
	int fa, fb, same = 0;

	fa = open(a, O_RDONLY | O_CLOEXEC);
	fb = open(b, O_RDONLY | O_CLOEXEC);
	while (fa != -1 && fb != -1) {
		na = read(fa, ba, sizeof(ba));
		nb = read(fb, bb, sizeof(bb));
		if (na != nb || na < 0)
			break;
		if (na == 0) {
			same = 1;
			break;
		}
		if (off == 0 && na >= BP_HDR_END) {
			memset(ba + BP_HDR_START, 0, BP_HDR_END - BP_HDR_START);
			memset(bb + BP_HDR_START, 0, BP_HDR_END - BP_HDR_START);
		}
		if (memcmp(ba, bb, (size_t)na) != 0)
			break;
		off += na;
	}
	if (fa != -1)
		(void)close(fa);
	if (fb != -1)
		(void)close(fb);
	return (same);
}

static uint32_t
le32at(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return (le32toh(v));
}
