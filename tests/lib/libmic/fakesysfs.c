/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A fake sysfs class "mic" of plain files, in the test case's work
 * directory: "sys/micN/attribute", with MIC_SYSFS_ROOT pointing at it.
 */

#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "fakesysfs.h"

static void	fakesysfs_path(char *, size_t, const char *, const char *);
static int	fakesysfs_write(const char *, const char *);

static void
fakesysfs_path(char *buf, size_t len, const char *card, const char *attr)
{
	int n;

	if (attr == NULL)
		n = snprintf(buf, len, "sys/%s", card);
	else
		n = snprintf(buf, len, "sys/%s/%s", card, attr);
	ATF_REQUIRE(n > 0 && (size_t)n < len);
}

/* Write text to path, replacing what it held; 0 or -1. */
static int
fakesysfs_write(const char *path, const char *text)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		return (-1);
	n = write(fd, text, strlen(text));
	if (close(fd) == -1 || n != (ssize_t)strlen(text))
		return (-1);
	return (0);
}

/* Create an empty class directory "sys" and point MIC_SYSFS_ROOT at it. */
void
fakesysfs_init(void)
{
	char cwd[PATH_MAX], root[PATH_MAX + 8];

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	ATF_REQUIRE(snprintf(root, sizeof(root), "%s/sys", cwd) > 0);
	ATF_REQUIRE(mkdir(root, 0755) == 0);
	ATF_REQUIRE(setenv("MIC_SYSFS_ROOT", root, 1) == 0);
}

/* Create card name with the given state and shutdown_status. */
void
fakesysfs_card(const char *name, const char *state, const char *shutdown)
{
	char path[PATH_MAX], text[64];

	fakesysfs_path(path, sizeof(path), name, NULL);
	ATF_REQUIRE(mkdir(path, 0755) == 0);
	ATF_REQUIRE(snprintf(text, sizeof(text), "%s\n", state) > 0);
	fakesysfs_put(name, "state", text);
	ATF_REQUIRE(snprintf(text, sizeof(text), "%s\n", shutdown) > 0);
	fakesysfs_put(name, "shutdown_status", text);
	fakesysfs_put(name, "family", "x100\n");
	fakesysfs_put(name, "stepping", "B1\n");
}

/* Set attribute attr of card to exactly text. */
void
fakesysfs_put(const char *card, const char *attr, const char *text)
{
	char path[PATH_MAX];

	fakesysfs_path(path, sizeof(path), card, attr);
	ATF_REQUIRE(fakesysfs_write(path, text) == 0);
}

/* Read the exact text of attribute attr of card. */
void
fakesysfs_get(const char *card, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	fakesysfs_path(path, sizeof(path), card, attr);
	ATF_REQUIRE((fd = open(path, O_RDONLY)) != -1);
	ATF_REQUIRE((n = read(fd, buf, len - 1)) >= 0);
	buf[n] = '\0';
	ATF_REQUIRE(close(fd) == 0);
}

/*
 * Fork a child that, ms milliseconds from now, rewrites attribute attr of
 * card in place with text, as a kernel changing state would.
 */
pid_t
fakesysfs_later(int ms, const char *card, const char *attr, const char *text)
{
	char path[PATH_MAX];
	pid_t pid;

	fakesysfs_path(path, sizeof(path), card, attr);
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		usleep((useconds_t)ms * 1000);
		_exit(fakesysfs_write(path, text) == 0 ? 0 : 1);
	}
	return (pid);
}

/* Wait for a child of fakesysfs_later(); it must have succeeded. */
void
fakesysfs_reap(pid_t pid)
{
	int status;

	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	ATF_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Milliseconds on the monotonic clock. */
long
fakesysfs_ms(void)
{
	struct timespec ts;

	ATF_REQUIRE(clock_gettime(CLOCK_MONOTONIC, &ts) == 0);
	return ((long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}
