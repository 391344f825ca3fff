/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A fake sysfs class "mic" of plain files, in the test case's work
 * directory, for the libmic tests.
 */

#ifndef FAKESYSFS_H
#define FAKESYSFS_H

#include <sys/types.h>

void	 fakesysfs_init(void);
void	 fakesysfs_card(const char *, const char *, const char *);
void	 fakesysfs_put(const char *, const char *, const char *);
void	 fakesysfs_get(const char *, const char *, char *, size_t);
pid_t	 fakesysfs_later(int, const char *, const char *, const char *);
void	 fakesysfs_reap(pid_t);
long	 fakesysfs_ms(void);

#endif /* !FAKESYSFS_H */
