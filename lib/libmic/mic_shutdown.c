/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names of the shutdown_status values.
 */

#include "mic.h"
#include "mic_names.h"

static const char *const shutdown_names[MIC_SHUTDOWN_COUNT] = {
	[MIC_SHUTDOWN_NOP] = "nop",
	[MIC_SHUTDOWN_CRASHED] = "crashed",
	[MIC_SHUTDOWN_HALTED] = "halted",
	[MIC_SHUTDOWN_POWEROFF] = "poweroff",
	[MIC_SHUTDOWN_RESTART] = "restart",
	[MIC_SHUTDOWN_LOST] = "lost"
};

/* The name of status s as sysfs shows it; "unknown" for any other value. */
const char *
mic_shutdown_name(enum mic_shutdown s)
{
	return (mic_names_name(shutdown_names, MIC_SHUTDOWN_COUNT, (int)s));
}

/*
 * Store in *sp the status named name (exact text, no newline).  For any
 * other text store MIC_SHUTDOWN_UNKNOWN and return -1 with errno EINVAL.
 */
int
mic_shutdown_parse(const char *name, enum mic_shutdown *sp)
{
	int i;

	i = mic_names_parse(shutdown_names, MIC_SHUTDOWN_COUNT, name);
	*sp = i == -1 ? MIC_SHUTDOWN_UNKNOWN : (enum mic_shutdown)i;
	return (i == -1 ? -1 : 0);
}
