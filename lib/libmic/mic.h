/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libmic: user-space access to Intel MIC cards through the sysfs class
 * "mic" (ABI.md section 1).  Internal static library: it never prints and
 * never exits.  Functions return 0 (or a file descriptor), or -1 with
 * errno set, unless their comment says otherwise.
 *
 * The roots come from the environment, read at every call:
 *	MIC_SYSFS_ROOT	the sysfs class directory (default /sys/class/mic)
 *	MIC_DEV_ROOT	the directory of the character devices (default /dev)
 * An empty variable counts as unset.
 */

#ifndef MIC_H
#define MIC_H

#include <stddef.h>

#define MIC_SYSFS_ROOT_DEFAULT	"/sys/class/mic"
#define MIC_DEV_ROOT_DEFAULT	"/dev"

#define MIC_NAME_MAX	13	/* "mic" and at most 9 digits, with the NUL */
#define MIC_ATTR_MAX	4096	/* a sysfs attribute: a page, with the NUL */

/* The card states (ABI.md section 1).  The values are libmic's own. */
enum mic_state {
	MIC_STATE_UNKNOWN = -1,		/* text that is none of these */
	MIC_STATE_READY = 0,
	MIC_STATE_BOOTING,
	MIC_STATE_ONLINE,
	MIC_STATE_SHUTTING_DOWN,
	MIC_STATE_RESETTING,
	MIC_STATE_RESET_FAILED
};
#define MIC_STATE_COUNT		6
#define MIC_STATE_MASK(s)	(1U << (s))	/* s a known state */

/* The shutdown_status values, in the order of mic_status in the ABI. */
enum mic_shutdown {
	MIC_SHUTDOWN_UNKNOWN = -1,	/* text that is none of these */
	MIC_SHUTDOWN_NOP = 0,
	MIC_SHUTDOWN_CRASHED,
	MIC_SHUTDOWN_HALTED,
	MIC_SHUTDOWN_POWEROFF,
	MIC_SHUTDOWN_RESTART,
	MIC_SHUTDOWN_LOST		/* the host's: no heartbeat */
};
#define MIC_SHUTDOWN_COUNT	6

/* The state and shutdown_status of a card, read one after the other. */
struct mic_cardstate {
	enum mic_state		cs_state;
	enum mic_shutdown	cs_shutdown;
};

/* mic_wait() re-reads a card at least this often, even without a wakeup. */
#define MIC_WAIT_PERIOD_MS	200

/* mic_card.c: card names, enumeration, the character device. */
int		 mic_card_valid(const char *);
int		 mic_card_unit(const char *, int *);
int		 mic_card_exists(const char *);
int		 mic_card_list(char ***, size_t *);
void		 mic_card_list_free(char **);
const char	*mic_card_devroot(void);
int		 mic_card_devpath(const char *, char *, size_t);

/* mic_sysfs.c: attribute access. */
const char	*mic_sysfs_root(void);
int		 mic_sysfs_path(const char *, const char *, char *, size_t);
int		 mic_sysfs_open(const char *, const char *, int);
int		 mic_sysfs_readfd(int, char *, size_t);
int		 mic_sysfs_read(const char *, const char *, char *, size_t);
int		 mic_sysfs_write(const char *, const char *, const char *);

/* mic_state.c: state names, and a card's current state. */
const char	*mic_state_name(enum mic_state);
int		 mic_state_parse(const char *, enum mic_state *);
int		 mic_state_get(const char *, struct mic_cardstate *);

/* mic_shutdown.c: shutdown_status names. */
const char	*mic_shutdown_name(enum mic_shutdown);
int		 mic_shutdown_parse(const char *, enum mic_shutdown *);

/* mic_wait.c: waiting for a card's state. */
long long	 mic_wait_now(void);
int		 mic_wait(const char *,
		    int (*)(const struct mic_cardstate *, void *), void *, int,
		    struct mic_cardstate *);
int		 mic_wait_state(const char *, unsigned int, int,
		    enum mic_state *);

#endif /* !MIC_H */
