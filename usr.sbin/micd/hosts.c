/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micd's block in /etc/hosts ($MICD_HOSTS): "address<TAB>micN" for every
 * card that is there or that micd.conf names, and that has an address,
 * between a line that starts with HOSTS_BEGIN and the line HOSTS_END.
 * The parent writes it at start and after each reload; it stays when micd
 * exits (the names keep resolving, and the next start rewrites it).
 * Every other line is kept as it is.  The file is replaced atomically (a
 * temporary file in its directory, then rename(2)) with its mode and
 * owner, and only when its text changes.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mic.h"
#include "micd.h"

#define HOSTS_MAX	(64 * 1024 * 1024)	/* a larger file is left be */

static int	hosts_block(struct config *, FILE *);
static int	hosts_read(const char *, char **, size_t *, struct stat *);
static int	hosts_write(const char *, const char *, size_t,
		    const struct stat *);
static int	hosts_replace(int, const char *, size_t);
static int	hosts_fail(const char *, int);
static size_t	hosts_line(const char *, const char *);
static int	hosts_is_end(const char *, size_t);

/*
 * Bring the block of the hosts file up to date with cf: 0, or -1 (logged).
 */
int
hosts_update(struct config *cf)
{
	char *old, *new, *block, path[PATH_MAX];
	const char *env;
	size_t oldlen, newlen, blocklen;
	struct stat st;
	FILE *fp;
	int n, rv;

	if ((env = getenv(MICD_HOSTS_ENV)) == NULL || *env == '\0')
		env = MICD_HOSTS;
	if (realpath(env, path) == NULL &&
	    snprintf(path, sizeof(path), "%s", env) >= (int)sizeof(path)) {
		log_warnx("hosts: %s: path too long", env);
		return (-1);
	}
	if (hosts_read(path, &old, &oldlen, &st) == -1)
		return (-1);
	if ((fp = open_memstream(&block, &blocklen)) == NULL)
		fatal("hosts");
	n = hosts_block(cf, fp);
	if (fclose(fp) == EOF || (fp = open_memstream(&new, &newlen)) == NULL)
		fatal("hosts");
	(void)hosts_edit(old, oldlen, block, fp);
	if (fclose(fp) == EOF)
		fatal("hosts");
	rv = 0;
	if (newlen != oldlen || memcmp(new, old, newlen) != 0) {
		rv = hosts_write(path, new, newlen, &st);
		if (rv == 0)
			log_info("hosts: %s: %d card%s", path, n,
			    n == 1 ? "" : "s");
	}
	free(old);
	free(new);
	free(block);
	return (rv);
}

/*
 * The block for cf into fp: the number of cards in it.  Nothing at all
 * if there is none.
 */
static int
hosts_block(struct config *cf, FILE *fp)
{
	const struct cardconf *cc;
	char there[MICD_UNITS], **names, **np;
	uint32_t a;
	int unit, n;

	memset(there, 0, sizeof(there));
	if (mic_card_list(&names, NULL) == 0) {
		for (np = names; *np != NULL; np++)
			if (mic_card_unit(*np, &unit) == 0 && unit < MICD_UNITS)
				there[unit] = 1;
		mic_card_list_free(names);
	}
	for (unit = n = 0; unit < MICD_UNITS; unit++) {
		if (!there[unit] && (cf->cf_cards[unit] == NULL ||
		    cf->cf_cards[unit]->cc_line == 0))
			continue;
		cc = config_card(cf, unit);
		if (cc->cc_addr.i_len == 0)
			continue;
		if (n++ == 0)
			fprintf(fp, "%s: micd(8) rewrites these lines\n",
			    HOSTS_BEGIN);
		a = cc->cc_addr.i_addr;
		fprintf(fp, "%u.%u.%u.%u\t%s\n", a >> 24, (a >> 16) & 0xff,
		    (a >> 8) & 0xff, a & 0xff, cc->cc_name);
	}
	if (n > 0)
		fprintf(fp, "%s\n", HOSTS_END);
	return (n);
}

/* The length of the line at p (before end), with its newline. */
static size_t
hosts_line(const char *p, const char *end)
{
	const char *nl;

	nl = memchr(p, '\n', (size_t)(end - p));
	return (nl == NULL ? (size_t)(end - p) : (size_t)(nl - p) + 1);
}

/* Whether a line (with its newline, if any) is HOSTS_END. */
static int
hosts_is_end(const char *p, size_t len)
{
	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r' ||
	    p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	return (len == strlen(HOSTS_END) && memcmp(p, HOSTS_END, len) == 0);
}

/*
 * Write the text in (len bytes) to fp with micd's block replaced by block
 * (a whole block, or "" for none): where the first old block was, else
 * at the end.  Old blocks go, from their begin line to their end line; a
 * begin line without an end line goes alone.  Every other line stays.
 * Returns 1 if there was an old block.
 */
int
hosts_edit(const char *in, size_t len, const char *block, FILE *fp)
{
	const char *p, *q, *end;
	size_t n, m;
	int found;

	found = 0;
	end = in + len;
	for (p = in; p < end; p += n) {
		n = hosts_line(p, end);
		if (n < strlen(HOSTS_BEGIN) ||
		    memcmp(p, HOSTS_BEGIN, strlen(HOSTS_BEGIN)) != 0) {
			fwrite(p, 1, n, fp);
			continue;
		}
		if (!found)
			fputs(block, fp);
		found = 1;
		for (q = p + n; q < end; q += m) {
			m = hosts_line(q, end);
			if (hosts_is_end(q, m)) {
				n = (size_t)(q + m - p);
				break;
			}
		}
	}
	if (!found && *block != '\0') {
		if (len > 0 && in[len - 1] != '\n')
			fputc('\n', fp);
		fputs(block, fp);
	}
	return (found);
}

/* Read the file (none: empty, mode 0644, ours). */
static int
hosts_read(const char *path, char **bufp, size_t *lenp, struct stat *st)
{
	char *buf;
	ssize_t n;
	size_t len, size;
	int fd;

	*bufp = NULL;
	*lenp = 0;
	memset(st, 0, sizeof(*st));
	st->st_mode = 0644;
	st->st_uid = geteuid();
	st->st_gid = getegid();
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (errno == ENOENT ? 0 : hosts_fail(path, -1));
	if (fstat(fd, st) == -1)
		return (hosts_fail(path, fd));
	if (st->st_size > HOSTS_MAX) {
		errno = EFBIG;
		return (hosts_fail(path, fd));
	}
	size = (size_t)st->st_size + 1;		/* to see it grow */
	if ((buf = malloc(size)) == NULL)
		fatal("hosts");
	for (len = 0; len < size; len += (size_t)n) {
		while ((n = read(fd, buf + len, size - len)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
	}
	if (n == -1 || len == size) {
		if (len == size)
			errno = EAGAIN;		/* it grew while read */
		free(buf);
		return (hosts_fail(path, fd));
	}
	(void)close(fd);
	*bufp = buf;
	*lenp = len;
	return (0);
}

/* Log a failure on path, close fd (unless -1): -1. */
static int
hosts_fail(const char *path, int fd)
{
	log_warn("hosts: %s", path);
	if (fd != -1)
		(void)close(fd);
	return (-1);
}

/*
 * Replace the file with len bytes of text: a new file in its directory,
 * with its mode and owner, renamed over it.  A file that cannot be
 * replaced (a mount point, as in containers) is rewritten in place.
 */
static int
hosts_write(const char *path, const char *text, size_t len,
    const struct stat *st)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	int fd, serrno;

	(void)snprintf(dir, sizeof(dir), "%s", path);
	if (snprintf(tmp, sizeof(tmp), "%s/.hosts.micd.XXXXXX",
	    dirname(dir)) >= (int)sizeof(tmp) || (fd = mkstemp(tmp)) == -1) {
		log_warn("hosts: %s: temporary file", path);
		return (-1);
	}
	if (fchmod(fd, st->st_mode & 07777) == -1 ||
	    (fchown(fd, st->st_uid, st->st_gid) == -1 && errno != EPERM) ||
	    hosts_replace(fd, text, len) == -1 || fsync(fd) == -1) {
		(void)unlink(tmp);
		return (hosts_fail(tmp, fd));
	}
	(void)close(fd);
	if (rename(tmp, path) == 0)
		return (0);
	serrno = errno;
	(void)unlink(tmp);
	errno = serrno;
	if (errno != EBUSY && errno != EXDEV)
		return (hosts_fail(path, -1));
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1 ||
	    hosts_replace(fd, text, len) == -1)
		return (hosts_fail(path, fd));
	return (close(fd) == 0 ? 0 : hosts_fail(path, -1));
}

/* Write the text from the start of fd, and cut what follows. */
static int
hosts_replace(int fd, const char *text, size_t len)
{
	ssize_t n;
	size_t off;

	for (off = 0; off < len; off += (size_t)n)
		if ((n = pwrite(fd, text + off, len - off, (off_t)off)) == -1 &&
		    errno != EINTR)
			return (-1);
		else if (n == -1)
			n = 0;
	return (ftruncate(fd, (off_t)len));
}
