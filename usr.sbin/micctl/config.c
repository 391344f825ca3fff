/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micctl config: the boot configuration attributes of a card.
 */

#include <err.h>
#include <stdio.h>
#include <string.h>

#include "mic.h"
#include "micctl.h"

static const char *const config_names[] = {
	"bootmode", "cmdline", "firmware", "ipaddr", "ramdisk", NULL
};

/* Return 0 if name is a configuration attribute, else -1. */
int
config_valid(const char *name)
{
	const char *const *p;

	for (p = config_names; *p != NULL; p++)
		if (strcmp(name, *p) == 0)
			return (0);
	return (-1);
}

/* Print the value of name, or every attribute as name=value if NULL. */
void
config_print(struct card *c, const char *name)
{
	char buf[MIC_ATTR_MAX];
	const char *const *p;

	if (name != NULL) {
		if (card_attr(c, "config", name, buf, sizeof(buf)) == 0)
			printf("%s\n", buf);
		return;
	}
	for (p = config_names; *p != NULL; p++)
		if (card_attr(c, "config", *p, buf, sizeof(buf)) == 0)
			printf("%s=%s\n", *p, buf);
}

/* Write value to attribute name; the kernel checks it. */
void
config_set(struct card *c, const char *name, const char *value)
{
	if (mic_sysfs_write(c->c_name, name, value) == -1) {
		warn("%s: config: %s", c->c_name, name);
		c->c_failed = 1;
	}
}
