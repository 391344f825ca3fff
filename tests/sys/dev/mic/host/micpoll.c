/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micpoll: a test tool run in micemu's host guest.  It prints the value
 * of a sysfs attribute, then blocks in poll(2) for POLLPRI | POLLERR, and
 * prints the value again after each wakeup in which it changed: only
 * sysfs_notify() wakes it, nothing re-reads the file on a timer.
 *	micpoll file value seconds
 * It exits 0 once it has printed value, 1 if seconds pass first.
 */

#include <err.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void	micpoll_read(int, const char *, char *, size_t);

static void
micpoll_read(int fd, const char *path, char *buf, size_t len)
{
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) == -1)
		err(1, "%s", path);
	if ((n = read(fd, buf, len - 1)) == -1)
		err(1, "%s", path);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

int
main(int argc, char *argv[])
{
	char cur[256], last[256];
	struct pollfd pfd;
	time_t end;
	int fd, ms;

	if (argc != 4)
		errx(2, "usage: micpoll file value seconds");
	end = time(NULL) + strtol(argv[3], NULL, 10);
	if ((fd = open(argv[1], O_RDONLY)) == -1)
		err(1, "%s", argv[1]);
	micpoll_read(fd, argv[1], last, sizeof(last));
	printf("%s\n", last);
	fflush(stdout);
	while (strcmp(last, argv[2]) != 0) {
		ms = (int)(end - time(NULL)) * 1000;
		if (ms <= 0)
			errx(1, "%s: timeout, still \"%s\"", argv[1], last);
		pfd.fd = fd;
		pfd.events = POLLPRI | POLLERR;
		if (poll(&pfd, 1, ms) == -1)
			err(1, "poll");
		if (pfd.revents == 0)
			continue;
		micpoll_read(fd, argv[1], cur, sizeof(cur));
		if (strcmp(cur, last) == 0)
			continue;
		printf("%s\n", cur);
		fflush(stdout);
		memcpy(last, cur, sizeof(last));
	}
	return (0);
}
