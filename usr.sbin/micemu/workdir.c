/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The work directory: logs, sockets, pid files, extracted card images.
 * Memory files (host.mem, micK.mem, micK.regs, micK.host) must be on
 * tmpfs: if the work directory is not, they live in a directory of their
 * own under /dev/shm, with symbolic links to them in the work directory.
 */
#include <sys/stat.h>
#include <sys/vfs.h>

#include <err.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "micemu.h"

#define TMPFS_MAGIC	0x01021994
#define WORKDIR_SHM	"/dev/shm/micemu."
#define PATH_RING	16
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

static const char *workdir_card_files[] = {
	"sock", "regs", "mem", "host", "pid", "monitor", "kernel", "initrd", "log"
};
static const char *workdir_host_files[] = {
	"host.mem", "host.pid", "out.sock", "host.log"
};

static int	workdir_temp;		/* made by micemu: remove it all */

static void	workdir_unlink(const char *, int);

/* Make or take the work directory, and clear what an earlier run left. */
void
workdir_init(const char *dir)
{
	char tmpl[PATH_MAX], *real;
	struct statfs sfs;
	const char *tmp;

	if (dir == NULL) {
		tmp = getenv("TMPDIR");
		(void)snprintf(tmpl, sizeof(tmpl), "%s/micemu.XXXXXX",
		    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
		if (mkdtemp(tmpl) == NULL)
			err(1, "%s", tmpl);
		dir = tmpl;
		workdir_temp = 1;
	} else if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		err(1, "-w: \"%s\"", dir);
	if ((real = realpath(dir, NULL)) == NULL)
		err(1, "-w: \"%s\"", dir);
	micemu.m_workdir = real;
	micemu.m_memdir = real;
	workdir_clean(0);
	if (statfs(real, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC)
		return;
	(void)snprintf(tmpl, sizeof(tmpl), "%sXXXXXX", WORKDIR_SHM);
	if (mkdtemp(tmpl) == NULL) {
		warn("%s: memory files stay in %s", tmpl, real);
		return;
	}
	if ((micemu.m_memdir = strdup(tmpl)) == NULL)
		err(1, NULL);
}

/* Point the work directory at memory files kept elsewhere. */
void
workdir_link(const char *name)
{
	char *target;

	if (strcmp(micemu.m_memdir, micemu.m_workdir) == 0)
		return;
	if ((target = strdup(path_mem("%s", name))) == NULL)
		err(1, NULL);
	if (symlink(target, path_work("%s", name)) == -1)
		warn("%s", path_work("%s", name));
	free(target);
}

/*
 * Remove what a run leaves: at start everything (final == 0), at the
 * end everything but the serial logs, or the whole directory if micemu
 * made it.
 */
void
workdir_clean(int final)
{
	char name[32];
	size_t i, j;
	int k;

	for (i = 0; i < nitems(workdir_host_files); i++)
		workdir_unlink(workdir_host_files[i], final);
	for (k = 0; k < MICEMU_MAXCARDS; k++) {
		for (j = 0; j < nitems(workdir_card_files); j++) {
			(void)snprintf(name, sizeof(name), "mic%d.%s", k,
			    workdir_card_files[j]);
			workdir_unlink(name, final);
		}
	}
	if (!final)
		return;
	if (strcmp(micemu.m_memdir, micemu.m_workdir) != 0)
		(void)rmdir(micemu.m_memdir);
	if (workdir_temp)
		(void)rmdir(micemu.m_workdir);
}

/*
 * Unlink a file of the work directory, and what a link points to if it
 * is one of our memory files.
 */
static void
workdir_unlink(const char *name, int final)
{
	char target[PATH_MAX], *path;
	struct stat st;
	ssize_t n;

	if (final && !workdir_temp && strstr(name, ".log") != NULL)
		return;
	if (final && strcmp(micemu.m_memdir, micemu.m_workdir) != 0)
		(void)unlink(path_mem("%s", name));
	path = path_work("%s", name);
	if (lstat(path, &st) == -1)
		return;
	if (S_ISLNK(st.st_mode)) {
		n = readlink(path, target, sizeof(target) - 1);
		if (n > (ssize_t)strlen(WORKDIR_SHM) &&
		    strncmp(target, WORKDIR_SHM, strlen(WORKDIR_SHM)) == 0) {
			target[n] = '\0';
			(void)unlink(target);
			(void)rmdir(dirname(target));
		}
	}
	(void)unlink(path);
}

/*
 * A path in directory dir (path_work(), path_mem()); valid for the next
 * PATH_RING calls.
 */
char *
workdir_path(const char *dir, const char *fmt, ...)
{
	static char ring[PATH_RING][PATH_MAX];
	static int next;
	char *p = ring[next++ % PATH_RING];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = snprintf(p, PATH_MAX, "%s/", dir);
	if (n < 0 || n >= PATH_MAX ||
	    vsnprintf(p + n, (size_t)(PATH_MAX - n), fmt, ap) >= PATH_MAX - n)
		errx(1, "%s: path too long", dir);
	va_end(ap);
	return (p);
}
