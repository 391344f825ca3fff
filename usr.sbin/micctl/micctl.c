/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micctl: control Intel MIC cards through the sysfs class "mic".
 * The command table and main; card.c acts on cards, status.c and config.c
 * print.
 */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mic.h"
#include "micctl.h"

struct ctl {
	const char	*ctl_name;
	int		(*ctl_main)(const struct ctl *, int, char *[]);
	int		 ctl_min;	/* arguments after the options */
	int		 ctl_max;	/* likewise; -1: any number */
	const char	*ctl_usage;
};

/* The options of all commands; each command takes some of them. */
struct opts {
	int		o_json;
	int		o_raw;
	int		o_wait;
	int		o_timeout;
	enum mic_state	o_state;
};

static int		 ctl_boot(const struct ctl *, int, char *[]);
static int		 ctl_config(const struct ctl *, int, char *[]);
static int		 ctl_log(const struct ctl *, int, char *[]);
static int		 ctl_reboot(const struct ctl *, int, char *[]);
static int		 ctl_reset(const struct ctl *, int, char *[]);
static int		 ctl_shutdown(const struct ctl *, int, char *[]);
static int		 ctl_status(const struct ctl *, int, char *[]);
static int		 ctl_wait(const struct ctl *, int, char *[]);
static int		 ctl_power(const struct ctl *, int, char *[],
			    int (*)(struct card *, const char *),
			    const struct goal *);
static void		 ctl_getopt(const struct ctl *, const char *, int *,
			    char ***, struct opts *);
static int		 ctl_timeout(const struct ctl *, const char *);
static enum mic_state	 ctl_state(const struct ctl *, const char *);
static struct card	*ctl_cards(const struct ctl *, int, char *[], size_t *);
static struct card	*ctl_allcards(const struct ctl *, size_t *);
static int		 ctl_done(struct card *, size_t);
static const struct ctl	*ctl_lookup(const char *);
static _Noreturn void	 ctl_usage(const struct ctl *);
static _Noreturn void	 usage(void);

extern char *__progname;

static const struct ctl ctls[] = {
	{ "boot",	ctl_boot,	1, -1,	"[-w] [-t sec] mic ..." },
	{ "config",	ctl_config,	1, 3,	"mic [name [value]]" },
	{ "log",	ctl_log,	1, 1,	"[-r] mic" },
	{ "reboot",	ctl_reboot,	1, -1,	"[-w] [-t sec] mic ..." },
	{ "reset",	ctl_reset,	1, -1,	"[-w] [-t sec] mic ..." },
	{ "shutdown",	ctl_shutdown,	1, -1,	"[-w] [-t sec] mic ..." },
	{ "status",	ctl_status,	0, -1,	"[-j] [mic ...]" },
	{ "wait",	ctl_wait,	0, -1,	"[-s state] [-t sec] [mic ...]" },
	{ NULL,		NULL,		0, 0,	NULL }
};

static _Noreturn void
usage(void)
{
	const struct ctl *ctl;

	fprintf(stderr, "usage: %s command [arg ...]\n", __progname);
	for (ctl = ctls; ctl->ctl_name != NULL; ctl++)
		fprintf(stderr, "       %s %s %s\n", __progname, ctl->ctl_name,
		    ctl->ctl_usage);
	exit(2);
}

static _Noreturn void
ctl_usage(const struct ctl *ctl)
{
	fprintf(stderr, "usage: %s %s %s\n", __progname, ctl->ctl_name,
	    ctl->ctl_usage);
	exit(2);
}

static const struct ctl *
ctl_lookup(const char *name)
{
	const struct ctl *ctl;

	for (ctl = ctls; ctl->ctl_name != NULL; ctl++)
		if (strcmp(name, ctl->ctl_name) == 0)
			return (ctl);
	return (NULL);
}

/* A number of seconds, 0 to MICCTL_TIMEOUT_MAX. */
static int
ctl_timeout(const struct ctl *ctl, const char *arg)
{
	char *end;
	long sec;

	sec = strtol(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end != '\0' ||
	    sec > MICCTL_TIMEOUT_MAX) {
		warnx("%s: invalid timeout \"%s\"", ctl->ctl_name, arg);
		ctl_usage(ctl);
	}
	return ((int)sec);
}

/* A state name. */
static enum mic_state
ctl_state(const struct ctl *ctl, const char *arg)
{
	enum mic_state s;

	if (mic_state_parse(arg, &s) == -1) {
		warnx("%s: invalid state \"%s\"", ctl->ctl_name, arg);
		ctl_usage(ctl);
	}
	return (s);
}

/*
 * Parse the options in optstr ("+:" first: options end at the first card,
 * and getopt(3) prints nothing) into *o; leave in *argcp and *argvp what
 * follows them, which must be ctl_min to ctl_max arguments.
 */
static void
ctl_getopt(const struct ctl *ctl, const char *optstr, int *argcp,
    char ***argvp, struct opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->o_timeout = MICCTL_TIMEOUT;
	o->o_state = MIC_STATE_ONLINE;
	optind = 1;
	opterr = 0;
	while ((ch = getopt(*argcp, *argvp, optstr)) != -1) {
		switch (ch) {
		case 'j':
			o->o_json = 1;
			break;
		case 'r':
			o->o_raw = 1;
			break;
		case 's':
			o->o_state = ctl_state(ctl, optarg);
			break;
		case 't':
			o->o_timeout = ctl_timeout(ctl, optarg);
			break;
		case 'w':
			o->o_wait = 1;
			break;
		case ':':
			warnx("%s: option \"-%c\" needs an argument",
			    ctl->ctl_name, optopt);
			ctl_usage(ctl);
		default:
			warnx("%s: unknown option \"-%c\"", ctl->ctl_name,
			    optopt);
			ctl_usage(ctl);
		}
	}
	*argcp -= optind;
	*argvp += optind;
	if (*argcp < ctl->ctl_min ||
	    (ctl->ctl_max != -1 && *argcp > ctl->ctl_max))
		ctl_usage(ctl);
}

/*
 * The cards named in argv, or with none every card (ctl_allcards()).  A
 * bad name is a usage error, checked before anything is done; a card that
 * does not exist is reported and failed.
 */
static struct card *
ctl_cards(const struct ctl *ctl, int argc, char *argv[], size_t *np)
{
	struct card *cards;
	int i;

	if (argc <= 0)
		return (ctl_allcards(ctl, np));
	for (i = 0; i < argc; i++) {
		if (mic_card_valid(argv[i]) == -1) {
			warnx("%s: invalid card name \"%s\"", ctl->ctl_name,
			    argv[i]);
			ctl_usage(ctl);
		}
	}
	if ((cards = calloc((size_t)argc + 1, sizeof(*cards))) == NULL)
		err(1, "%s", ctl->ctl_name);
	for (i = 0; i < argc; i++)
		(void)card_open(&cards[i], argv[i]);
	*np = (size_t)argc;
	return (cards);
}

/* Every card of the class, in numeric order; NULL if none can be listed. */
static struct card *
ctl_allcards(const struct ctl *ctl, size_t *np)
{
	struct card *cards;
	char **names;
	size_t i, n;

	if (mic_card_list(&names, &n) == -1) {
		warn("%s: %s", ctl->ctl_name, mic_sysfs_root());
		return (NULL);
	}
	if ((cards = calloc(n + 1, sizeof(*cards))) == NULL)
		err(1, "%s", ctl->ctl_name);
	for (i = 0; i < n; i++)
		(void)card_open(&cards[i], names[i]);
	mic_card_list_free(names);
	*np = n;
	return (cards);
}

/* The exit status: 1 if any card failed. */
static int
ctl_done(struct card *cards, size_t n)
{
	size_t i;
	int rv;

	rv = 0;
	for (i = 0; i < n; i++)
		if (cards[i].c_failed)
			rv = 1;
	free(cards);
	return (rv);
}

/* boot, shutdown, reset: act on every card, then wait for each with -w. */
static int
ctl_power(const struct ctl *ctl, int argc, char *argv[],
    int (*act)(struct card *, const char *), const struct goal *goal)
{
	struct opts o;
	struct card *cards;
	long long deadline;
	size_t i, n;

	ctl_getopt(ctl, "+:t:w", &argc, &argv, &o);
	cards = ctl_cards(ctl, argc, argv, &n);
	for (i = 0; i < n; i++)
		if (!cards[i].c_failed)
			(void)act(&cards[i], ctl->ctl_name);
	if (o.o_wait) {
		deadline = card_deadline(o.o_timeout);
		for (i = 0; i < n; i++)
			if (!cards[i].c_failed)
				(void)card_wait(&cards[i], ctl->ctl_name,
				    goal, deadline);
	}
	return (ctl_done(cards, n));
}

static int
ctl_boot(const struct ctl *ctl, int argc, char *argv[])
{
	return (ctl_power(ctl, argc, argv, card_boot, &goal_boot));
}

static int
ctl_shutdown(const struct ctl *ctl, int argc, char *argv[])
{
	return (ctl_power(ctl, argc, argv, card_shutdown, &goal_shutdown));
}

static int
ctl_reset(const struct ctl *ctl, int argc, char *argv[])
{
	return (ctl_power(ctl, argc, argv, card_reset, &goal_reset));
}

/*
 * reboot: take all cards through the steps together; each waiting step
 * gets the whole timeout.  The last wait (for online) only with -w.
 */
static int
ctl_reboot(const struct ctl *ctl, int argc, char *argv[])
{
	struct opts o;
	struct card *cards;
	long long deadline;
	size_t i, n;
	int step;

	ctl_getopt(ctl, "+:t:w", &argc, &argv, &o);
	cards = ctl_cards(ctl, argc, argv, &n);
	for (i = 0; i < n; i++)
		if (!cards[i].c_failed)
			(void)card_reboot_start(&cards[i]);
	for (step = REBOOT_SHUTDOWN; step < REBOOT_DONE; step++) {
		if (step == REBOOT_BOOT_WAIT && !o.o_wait)
			break;
		deadline = card_deadline(o.o_timeout);
		for (i = 0; i < n; i++)
			(void)card_reboot_step(&cards[i],
			    (enum reboot_step)step, deadline);
	}
	return (ctl_done(cards, n));
}

/* wait: until every card is in the state; reset_failed ends it early. */
static int
ctl_wait(const struct ctl *ctl, int argc, char *argv[])
{
	struct opts o;
	struct goal g;
	struct card *cards;
	long long deadline;
	size_t i, n;

	ctl_getopt(ctl, "+:s:t:", &argc, &argv, &o);
	if ((cards = ctl_cards(ctl, argc, argv, &n)) == NULL)
		return (1);
	memset(&g, 0, sizeof(g));
	g.g_want = mic_state_name(o.o_state);
	g.g_done = MIC_STATE_MASK(o.o_state);
	if (o.o_state != MIC_STATE_RESET_FAILED)
		g.g_fail = MIC_STATE_MASK(MIC_STATE_RESET_FAILED);
	deadline = card_deadline(o.o_timeout);
	for (i = 0; i < n; i++)
		if (!cards[i].c_failed)
			(void)card_wait(&cards[i], ctl->ctl_name, &g,
			    deadline);
	return (ctl_done(cards, n));
}

static int
ctl_status(const struct ctl *ctl, int argc, char *argv[])
{
	struct opts o;
	struct card *cards;
	size_t n;

	ctl_getopt(ctl, "+:j", &argc, &argv, &o);
	if ((cards = ctl_cards(ctl, argc, argv, &n)) == NULL)
		return (1);
	if (o.o_json)
		status_json(cards, n);
	else
		status_table(cards, n);
	return (ctl_done(cards, n));
}

/* config mic [name [value]]: print all, print one, or write one. */
static int
ctl_config(const struct ctl *ctl, int argc, char *argv[])
{
	struct opts o;
	struct card *cards;
	size_t n;

	ctl_getopt(ctl, "+:", &argc, &argv, &o);
	if (argc > 1 && config_valid(argv[1]) == -1) {
		warnx("%s: unknown attribute \"%s\"", ctl->ctl_name, argv[1]);
		ctl_usage(ctl);
	}
	cards = ctl_cards(ctl, 1, argv, &n);
	if (!cards[0].c_failed && argc < 3)
		config_print(&cards[0], argc > 1 ? argv[1] : NULL);
	else if (!cards[0].c_failed)
		config_set(&cards[0], argv[1], argv[2]);
	return (ctl_done(cards, n));
}

/* log [-r] mic: the card's kernel log, made visible unless raw. */
static int
ctl_log(const struct ctl *ctl, int argc, char *argv[])
{
	struct opts o;
	struct card *cards;
	size_t n;

	ctl_getopt(ctl, "+:r", &argc, &argv, &o);
	cards = ctl_cards(ctl, 1, argv, &n);
	if (!cards[0].c_failed)
		(void)log_print(&cards[0], o.o_raw);
	return (ctl_done(cards, n));
}

int
main(int argc, char *argv[])
{
	const struct ctl *ctl;
	int rv;

	opterr = 0;
	if (getopt(argc, argv, "+") != -1) {
		warnx("unknown option \"-%c\"", optopt);
		usage();
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if ((ctl = ctl_lookup(argv[0])) == NULL) {
		warnx("unknown command \"%s\"", argv[0]);
		usage();
	}
	rv = ctl->ctl_main(ctl, argc, argv);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return (rv);
}
