/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Logging: to stderr, one line per message as "micd: message", while micd
 * runs in the foreground (-d, -n, and until it daemonizes); to syslog(3)
 * otherwise.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "mic.h"
#include "micd.h"

#define LOG_LINE_MAX	1024

static void	log_vlog(int, int, const char *, va_list);

extern char *__progname;

static int	log_foreground = 1;
static int	log_verbose;

/* Log to stderr if foreground, else to syslog; log_debug() if verbose. */
void
log_init(int foreground, int verbose)
{
	log_foreground = foreground;
	log_verbose = verbose;
	if (!foreground)
		openlog(__progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/*
 * Log one message, with ": " and the text of errnum if errnum is not 0.
 * A line goes to stderr in one write(2), so that the lines of the card
 * processes do not mix.  errno is kept.
 */
static void
log_vlog(int pri, int errnum, const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX], line[LOG_LINE_MAX + 64];
	int saved, n;

	saved = errno;
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errnum != 0) {
		n = (int)strlen(msg);
		(void)snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s",
		    strerror(errnum));
	}
	if (log_foreground) {
		n = snprintf(line, sizeof(line), "%s: %s\n", __progname, msg);
		if (n > (int)sizeof(line) - 1)
			n = (int)sizeof(line) - 1;
		(void)write(STDERR_FILENO, line, (size_t)n);
	} else
		syslog(pri, "%s", msg);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_ERR, errno, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_ERR, 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_INFO, 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_vlog(LOG_DEBUG, 0, fmt, ap);
	va_end(ap);
}

/* Startup failures and broken invariants only: log and exit 1. */
void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_CRIT, errno, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_CRIT, 0, fmt, ap);
	va_end(ap);
	exit(1);
}

/*
 * A budget of lines for what a card may trigger at will: 1 while lr has
 * logged fewer than burst lines in this period of period seconds, -1 for
 * the first message over the budget (the caller says that more are not
 * logged), 0 after it.
 */
int
log_rate(struct lograte *lr, unsigned int burst, int period)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	if (lr->lr_lines == 0 || ts.tv_sec - lr->lr_start >= period) {
		lr->lr_start = ts.tv_sec;
		lr->lr_lines = 0;
	}
	if (++lr->lr_lines <= burst)
		return (1);
	return (lr->lr_lines == burst + 1 ? -1 : 0);
}
