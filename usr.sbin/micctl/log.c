/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micctl log: the card's kernel log, from the log ring that mic_host
 * shows in debugfs (MIC_DEBUGFS_ROOT, /sys/kernel/debug by default).
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
static int		 log_copy(struct card *, int, const char *);

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

/* Copy what fd holds to the standard output. */
static int
log_copy(struct card *c, int fd, const char *path)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			warn("%s: log: %s", c->c_name, path);
			return (-1);
		}
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			err(1, "stdout");
	}
	return (0);
}

/* Print the log of card c; on failure, report it and mark c failed. */
int
log_print(struct card *c)
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
	rv = log_copy(c, fd, path);
	(void)close(fd);
	if (rv == -1)
		c->c_failed = 1;
	return (rv);
}
