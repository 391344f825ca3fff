/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Card names, enumeration of the cards in the sysfs class, and the path of a
 * card's character device.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mic.h"

#define MIC_CARD_DIGITS	(MIC_NAME_MAX - 4)	/* less "mic" and the NUL */

static int	mic_card_cmp(const void *, const void *);
static int	mic_card_append(char ***, size_t *, size_t *, const char *);

/*
 * A card name is "mic" followed by 1 to 9 decimal digits.  Return 0 if name
 * is one, else -1 with errno EINVAL.
 */
int
mic_card_valid(const char *name)
{
	size_t i;

	if (name == NULL || strncmp(name, "mic", 3) != 0)
		goto invalid;
	for (i = 3; name[i] != '\0'; i++)
		if (name[i] < '0' || name[i] > '9')
			goto invalid;
	if (i == 3 || i - 3 > MIC_CARD_DIGITS)
		goto invalid;
	return (0);
invalid:
	errno = EINVAL;
	return (-1);
}

/* Store the number N of card name micN in *unitp. */
int
mic_card_unit(const char *name, int *unitp)
{
	const char *p;
	int unit;

	if (mic_card_valid(name) == -1)
		return (-1);
	unit = 0;
	for (p = name + 3; *p != '\0'; p++)
		unit = unit * 10 + (*p - '0');
	*unitp = unit;
	return (0);
}

/*
 * Return 0 if the sysfs class has a directory for card name, else -1 with
 * errno EINVAL (not a card name), ENOENT (no such card) or another errno
 * from stat(2).
 */
int
mic_card_exists(const char *name)
{
	char path[MIC_ATTR_MAX];
	struct stat sb;

	if (mic_sysfs_path(name, NULL, path, sizeof(path)) == -1)
		return (-1);
	if (stat(path, &sb) == -1)
		return (-1);
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOENT;
		return (-1);
	}
	return (0);
}

/* Order card names by number (mic2 before mic10), then as strings. */
static int
mic_card_cmp(const void *a, const void *b)
{
	const char *na = *(const char *const *)a;
	const char *nb = *(const char *const *)b;
	int ua, ub;

	ua = ub = 0;	/* never used: both are card names */
	(void)mic_card_unit(na, &ua);
	(void)mic_card_unit(nb, &ub);
	if (ua != ub)
		return (ua < ub ? -1 : 1);
	return (strcmp(na, nb));
}

/* Append a copy of name to the array *vp of *np names, *capp slots. */
static int
mic_card_append(char ***vp, size_t *np, size_t *capp, const char *name)
{
	char **v;
	size_t cap;

	if (*np + 1 >= *capp) {
		cap = *capp * 2;
		if ((v = reallocarray(*vp, cap, sizeof(*v))) == NULL)
			return (-1);
		*vp = v;
		*capp = cap;
	}
	if (((*vp)[*np] = strdup(name)) == NULL)
		return (-1);
	(*np)++;
	(*vp)[*np] = NULL;
	return (0);
}

/*
 * List the cards of the sysfs class: the entries whose name is a card name,
 * in numeric order.  *namesp is a NULL-terminated array (also when there is
 * no card) to free with mic_card_list_free(); *countp, if countp is not NULL,
 * the number of names.
 */
int
mic_card_list(char ***namesp, size_t *countp)
{
	DIR *dir;
	struct dirent *de;
	char **v;
	size_t n, cap;
	int serrno;

	if ((dir = opendir(mic_sysfs_root())) == NULL)
		return (-1);
	n = 0;
	cap = 1;
	if ((v = calloc(cap, sizeof(*v))) == NULL)
		goto fail;
	errno = 0;
	while ((de = readdir(dir)) != NULL) {
		if (mic_card_valid(de->d_name) == 0 &&
		    mic_card_append(&v, &n, &cap, de->d_name) == -1)
			goto fail;
		errno = 0;
	}
	if (errno != 0)
		goto fail;
	closedir(dir);
	qsort(v, n, sizeof(*v), mic_card_cmp);
	*namesp = v;
	if (countp != NULL)
		*countp = n;
	return (0);
fail:
	serrno = errno;
	mic_card_list_free(v);
	closedir(dir);
	errno = serrno;
	return (-1);
}

/* Free an array from mic_card_list(). */
void
mic_card_list_free(char **names)
{
	char **p;

	if (names == NULL)
		return;
	for (p = names; *p != NULL; p++)
		free(*p);
	free(names);
}

/* The directory of the character devices: MIC_DEV_ROOT, or /dev. */
const char *
mic_card_devroot(void)
{
	const char *root;

	root = getenv("MIC_DEV_ROOT");
	if (root == NULL || *root == '\0')
		root = MIC_DEV_ROOT_DEFAULT;
	return (root);
}

/* Store the path of card name's character device in buf. */
int
mic_card_devpath(const char *name, char *buf, size_t len)
{
	int n;

	if (mic_card_valid(name) == -1)
		return (-1);
	n = snprintf(buf, len, "%s/%s", mic_card_devroot(), name);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	return (0);
}
