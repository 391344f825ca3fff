/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names of the shutdown_status values.
 */

#include <errno.h>
#include <string.h>

#include "mic.h"

static const char *const shutdown_names[MIC_SHUTDOWN_COUNT] = {
	[MIC_SHUTDOWN_NOP] = "nop",
	[MIC_SHUTDOWN_CRASHED] = "crashed",
	[MIC_SHUTDOWN_HALTED] = "halted",
	[MIC_SHUTDOWN_POWEROFF] = "poweroff",
	[MIC_SHUTDOWN_RESTART] = "restart"
};

/* The name of status s as sysfs shows it; "unknown" for any other value. */
const char *
mic_shutdown_name(enum mic_shutdown s)
{
	if ((int)s < 0 || (int)s >= MIC_SHUTDOWN_COUNT)
		return ("unknown");
	return (shutdown_names[s]);
}

/*
 * Store in *sp the status named name (exact text, no newline).  For any
 * other text store MIC_SHUTDOWN_UNKNOWN and return -1 with errno EINVAL.
 */
int
mic_shutdown_parse(const char *name, enum mic_shutdown *sp)
{
	int i;

	for (i = 0; i < MIC_SHUTDOWN_COUNT; i++) {
		if (strcmp(name, shutdown_names[i]) == 0) {
			*sp = (enum mic_shutdown)i;
			return (0);
		}
	}
	*sp = MIC_SHUTDOWN_UNKNOWN;
	errno = EINVAL;
	return (-1);
}
