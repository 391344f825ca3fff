/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micctl log: the card's kernel log, from the log ring that mic_host
 * shows in debugfs (MIC_DEBUGFS_ROOT, /sys/kernel/debug by default).
 * The card writes the ring, so what it holds is not trusted to be text:
 * unless raw output is asked for, every byte that could drive the
 * terminal is printed as a visible escape instead (log_vis()).
 */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "mic.h"
#include "micctl.h"

#define LOG_DEBUGFS_ROOT	"/sys/kernel/debug"

static const char	*log_root(void);
static int		 log_copy(struct card *, int, const char *, int);
static size_t		 log_vis(char *, const char *, size_t);

/* The debugfs root: MIC_DEBUGFS_ROOT, or /sys/kernel/debug. */
static const char *
log_root(void)
{
	const char *root;

	root = getenv("MIC_DEBUGFS_ROOT");
	if (root == NULL || *root == '\0')
		root = LOG_DEBUGFS_ROOT;
	return (root);
}

/*
 * Encode the len bytes at src into dst, which holds 4 * len bytes, as
 * vis(1) -o does: printable ASCII, newline and tab as they are, a
 * backslash doubled, every other byte (control bytes, DEL, bytes from
 * 0x80) as a backslash and three octal digits.  Returns the bytes of dst.
 */
static size_t
log_vis(char *dst, const char *src, size_t len)
{
	unsigned char b;
	size_t i, n;

	for (i = n = 0; i < len; i++) {
		b = (unsigned char)src[i];
		if (b == '\\') {
			dst[n++] = '\\';
			dst[n++] = '\\';
		} else if ((b >= 0x20 && b < 0x7f) || b == '\n' || b == '\t')
			dst[n++] = (char)b;
		else {
			dst[n++] = '\\';
			dst[n++] = (char)('0' + (b >> 6));
			dst[n++] = (char)('0' + ((b >> 3) & 7));
			dst[n++] = (char)('0' + (b & 7));
		}
	}
	return (n);
}

/* Copy what fd holds to the standard output, encoded unless raw. */
static int
log_copy(struct card *c, int fd, const char *path, int raw)
{
	static char buf[16384], vis[4 * sizeof(buf)];
	const char *out;
	ssize_t n;
	size_t len;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			warn("%s: log: %s", c->c_name, path);
			return (-1);
		}
		out = buf;
		len = (size_t)n;
		if (!raw) {
			len = log_vis(vis, buf, len);
			out = vis;
		}
		if (fwrite(out, 1, len, stdout) != len)
			err(1, "stdout");
	}
	return (0);
}

/*
 * Print the log of card c, encoded unless raw; on failure, report it and
 * mark c failed.
 */
int
log_print(struct card *c, int raw)
{
	char path[MIC_ATTR_MAX];
	int fd, n, rv;

	n = snprintf(path, sizeof(path), "%s/mic_host/%s/log", log_root(),
	    c->c_name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		warnx("%s: log: debugfs path too long", c->c_name);
		c->c_failed = 1;
		return (-1);
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			warnx("%s: log: %s not found (is debugfs mounted?)",
			    c->c_name, path);
		else if (errno == ENODATA)
			warnx("%s: log: the card has published no log",
			    c->c_name);
		else if (errno == EBADMSG)
			warnx("%s: log: the card's log ring is not valid",
			    c->c_name);
		else
			warn("%s: log: %s", c->c_name, path);
		c->c_failed = 1;
		return (-1);
	}
	rv = log_copy(c, fd, path, raw);
	(void)close(fd);
	if (rv == -1)
		c->c_failed = 1;
	return (rv);
}
