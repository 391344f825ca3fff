/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading and writing the attributes of a card in the sysfs class.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mic.h"

static int	mic_sysfs_attr_valid(const char *);

/* The sysfs class directory: MIC_SYSFS_ROOT, or /sys/class/mic. */
const char *
mic_sysfs_root(void)
{
	const char *root;

	root = getenv("MIC_SYSFS_ROOT");
	if (root == NULL || *root == '\0')
		root = MIC_SYSFS_ROOT_DEFAULT;
	return (root);
}

/* An attribute name is one non-empty path component. */
static int
mic_sysfs_attr_valid(const char *attr)
{
	if (*attr == '\0' || strchr(attr, '/') != NULL ||
	    strcmp(attr, ".") == 0 || strcmp(attr, "..") == 0) {
		errno = EINVAL;
		return (-1);
	}
	return (0);
}

/*
 * Store in buf the path of attribute attr of card, or of the card's
 * directory if attr is NULL.  EINVAL for a bad card or attribute name,
 * ENAMETOOLONG if buf is too small.
 */
int
mic_sysfs_path(const char *card, const char *attr, char *buf, size_t len)
{
	int n;

	if (mic_card_valid(card) == -1)
		return (-1);
	if (attr == NULL)
		n = snprintf(buf, len, "%s/%s", mic_sysfs_root(), card);
	else if (mic_sysfs_attr_valid(attr) == -1)
		return (-1);
	else
		n = snprintf(buf, len, "%s/%s/%s", mic_sysfs_root(), card,
		    attr);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	return (0);
}

/* Open attribute attr of card with open(2) flags; return the descriptor. */
int
mic_sysfs_open(const char *card, const char *attr, int flags)
{
	char path[MIC_ATTR_MAX];

	if (mic_sysfs_path(card, attr, path, sizeof(path)) == -1)
		return (-1);
	return (open(path, flags | O_CLOEXEC));
}

/*
 * Read the whole attribute open on fd, from its start, into buf as a
 * string, less one trailing newline.  EOVERFLOW if it does not fit in len
 * bytes with the NUL.  Reading again re-reads the attribute, as poll(2) on
 * a sysfs attribute wants.
 */
int
mic_sysfs_readfd(int fd, char *buf, size_t len)
{
	size_t off;
	ssize_t n;
	char c;

	if (len == 0) {
		errno = EINVAL;
		return (-1);
	}
	off = 0;
	while (off < len - 1) {
		n = pread(fd, buf + off, len - 1 - off, (off_t)off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (-1);
		if (n == 0)
			break;
		off += (size_t)n;
	}
	if (off == len - 1 && pread(fd, &c, 1, (off_t)off) > 0) {
		errno = EOVERFLOW;
		return (-1);
	}
	if (off > 0 && buf[off - 1] == '\n')
		off--;
	buf[off] = '\0';
	return (0);
}

/* Read attribute attr of card into buf, as mic_sysfs_readfd() does. */
int
mic_sysfs_read(const char *card, const char *attr, char *buf, size_t len)
{
	int fd, rv, serrno;

	if ((fd = mic_sysfs_open(card, attr, O_RDONLY)) == -1)
		return (-1);
	rv = mic_sysfs_readfd(fd, buf, len);
	serrno = errno;
	close(fd);
	errno = serrno;
	return (rv);
}

/*
 * Write value and a newline to attribute attr of card in one write(2), as
 * echo(1) would: sysfs ignores an empty write, and every attribute of the
 * class drops or accepts one trailing newline.  The attribute must exist.
 * EMSGSIZE if the value does not fit in a page, EIO on a short write, else
 * the errno of open(2), write(2) or close(2): the kernel's answer.
 */
int
mic_sysfs_write(const char *card, const char *attr, const char *value)
{
	char buf[MIC_ATTR_MAX];
	ssize_t n;
	size_t len;
	int fd, serrno;

	len = strlen(value);
	if (len + 1 >= sizeof(buf)) {
		errno = EMSGSIZE;
		return (-1);
	}
	memcpy(buf, value, len);
	buf[len++] = '\n';
	if ((fd = mic_sysfs_open(card, attr, O_WRONLY | O_TRUNC)) == -1)
		return (-1);
	while ((n = write(fd, buf, len)) == -1 && errno == EINTR)
		continue;
	serrno = errno;
	if (close(fd) == -1 && n != -1)
		return (-1);
	if (n == -1) {
		errno = serrno;
		return (-1);
	}
	if ((size_t)n != len) {
		errno = EIO;
		return (-1);
	}
	return (0);
}
