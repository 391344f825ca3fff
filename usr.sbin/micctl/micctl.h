/* SPDX-License-Identifier: BSD-2-Clause */

#ifndef MICCTL_H
#define MICCTL_H

#define MICCTL_TIMEOUT		120	/* seconds a -w wait lasts by default */
#define MICCTL_TIMEOUT_MAX	86400

/* reboot: the steps, in order; a card starts at the one its state needs. */
enum reboot_step {
	REBOOT_SHUTDOWN,
	REBOOT_SHUTDOWN_WAIT,
	REBOOT_RESET,
	REBOOT_RESET_WAIT,
	REBOOT_BOOT,
	REBOOT_BOOT_WAIT,
	REBOOT_DONE
};

/* A card named on the command line. */
struct card {
	char			 c_name[MIC_NAME_MAX];
	enum mic_state		 c_state;	/* as last read */
	enum mic_shutdown	 c_shutdown;	/* as last read */
	enum reboot_step	 c_step;	/* reboot: the step it is at */
	int			 c_failed;	/* something failed: exit 1 */
};

/* What a wait is for. */
struct goal {
	const char	*g_want;	/* the state wanted, for messages */
	unsigned int	 g_done;	/* states that end it: success */
	unsigned int	 g_fail;	/* states that end it: failure */
	int		 g_final;	/* a set shutdown_status ends it too */
	int		 g_crash;	/* and a crashed card is a failure */
};

extern const struct goal	goal_boot;
extern const struct goal	goal_reset;
extern const struct goal	goal_shutdown;

/* card.c */
int	card_open(struct card *, const char *);
int	card_attr(struct card *, const char *, const char *, char *, size_t);
int	card_boot(struct card *, const char *);
int	card_shutdown(struct card *, const char *);
int	card_reset(struct card *, const char *);
int	card_wait(struct card *, const char *, const struct goal *, long long);
int	card_reboot_start(struct card *);
int	card_reboot_step(struct card *, enum reboot_step, long long);
long long card_deadline(int);

/* config.c */
int	config_valid(const char *);
void	config_print(struct card *, const char *);
void	config_set(struct card *, const char *, const char *);

/* log.c */
int	log_print(struct card *, int);

/* status.c */
void	status_table(struct card *, size_t);
void	status_json(struct card *, size_t);

#endif /* !MICCTL_H */
