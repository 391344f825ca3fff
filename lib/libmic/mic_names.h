/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libmic's own, not its API: the lookup in a table of the names of an
 * enum of mic.h, indexed by value from 0 (the states, the shutdown_status
 * values).  Inline, so that a file with such a table links alone.
 */

#ifndef MIC_NAMES_H
#define MIC_NAMES_H

#include <errno.h>
#include <string.h>

/* names[v] of the n names; "unknown" for any other v. */
static inline const char *
mic_names_name(const char *const *names, int n, int v)
{
	if (v < 0 || v >= n)
		return ("unknown");
	return (names[v]);
}

/*
 * The value of name (exact text, no newline) among the n names; for any
 * other text -1 with errno EINVAL.
 */
static inline int
mic_names_parse(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return (i);
	errno = EINVAL;
	return (-1);
}

#endif /* !MIC_NAMES_H */
