/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Card state names, and the current state of a card.
 */

#include "mic.h"
#include "mic_names.h"

static const char *const state_names[MIC_STATE_COUNT] = {
	[MIC_STATE_READY] = "ready",
	[MIC_STATE_BOOTING] = "booting",
	[MIC_STATE_ONLINE] = "online",
	[MIC_STATE_SHUTTING_DOWN] = "shutting_down",
	[MIC_STATE_RESETTING] = "resetting",
	[MIC_STATE_RESET_FAILED] = "reset_failed"
};

/* The name of state s as sysfs shows it; "unknown" for any other value. */
const char *
mic_state_name(enum mic_state s)
{
	return (mic_names_name(state_names, MIC_STATE_COUNT, (int)s));
}

/*
 * Store in *sp the state named name (exact text, no newline).  For any
 * other text store MIC_STATE_UNKNOWN and return -1 with errno EINVAL.
 */
int
mic_state_parse(const char *name, enum mic_state *sp)
{
	int i;

	i = mic_names_parse(state_names, MIC_STATE_COUNT, name);
	*sp = i == -1 ? MIC_STATE_UNKNOWN : (enum mic_state)i;
	return (i == -1 ? -1 : 0);
}

/*
 * Read the state and the shutdown_status of card into *csp.  Text that
 * names no state or status is stored as MIC_STATE_UNKNOWN or
 * MIC_SHUTDOWN_UNKNOWN and is not an error: only a failed read is.
 */
int
mic_state_get(const char *card, struct mic_cardstate *csp)
{
	char buf[MIC_ATTR_MAX];

	if (mic_sysfs_read(card, "state", buf, sizeof(buf)) == -1)
		return (-1);
	(void)mic_state_parse(buf, &csp->cs_state);
	if (mic_sysfs_read(card, "shutdown_status", buf, sizeof(buf)) == -1)
		return (-1);
	(void)mic_shutdown_parse(buf, &csp->cs_shutdown);
	return (0);
}
