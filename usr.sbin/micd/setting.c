/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micd.conf(5): the settings, their setting_keywords, and the parsers of their
 * values.  parse.c reads a setting's keyword, calls its parser, which
 * reads the value and stores it in the block's struct cardconf, and then
 * reads the end of the line.
 */

#include <stdlib.h>
#include <string.h>

#include "mic.h"
#include "micd.h"

static void	setting_setstr(char **, const char *);
static int	setting_string(struct lex *);
static int	setting_path(struct lex *, const char *);
static int	setting_fwname(struct lex *, struct cardconf *,
		    const struct keyword *);
static int	setting_fwname_valid(const char *);
static int	setting_cmdline(struct lex *, struct cardconf *,
		    const struct keyword *);
static int	setting_address(struct lex *, struct cardconf *,
		    const struct keyword *);
static int	setting_lladdr(struct lex *, struct cardconf *,
		    const struct keyword *);
static int	setting_conslog(struct lex *, struct cardconf *,
		    const struct keyword *);
static int	setting_yesno(struct lex *, struct cardconf *,
		    const struct keyword *);
static int	setting_disk(struct lex *, struct cardconf *,
		    const struct keyword *);
static int	setting_user_valid(const char *);

/* In the order of enum conf_key. */
static const struct keyword setting_keywords[] = {
	{ "firmware",		CONF_FIRMWARE,	0, setting_fwname },
	{ "ramdisk",		CONF_RAMDISK,	0, setting_fwname },
	{ "cmdline",		CONF_CMDLINE,	0, setting_cmdline },
	{ "address",		CONF_ADDRESS,	1, setting_address },
	{ "host address",	CONF_HOSTADDR,	1, setting_address },
	{ "lladdr",		CONF_LLADDR,	1, setting_lladdr },
	{ "console log",	CONF_CONSLOG,	1, setting_conslog },
	{ "boot on start",	CONF_BOOT,	0, setting_yesno },
	{ "reboot on crash",	CONF_CRASHBOOT,	0, setting_yesno },
	{ "disk",		CONF_DISK,	1, setting_disk },
	{ NULL,			CONF_NKEYS,	0, NULL }
};

/* The keyword whose first word is word. */
const struct keyword *
setting_lookup(const char *word)
{
	const struct keyword *kw;
	size_t n;

	for (kw = setting_keywords; kw->k_name != NULL; kw++) {
		n = strcspn(kw->k_name, " ");
		if (strlen(word) == n && strncmp(word, kw->k_name, n) == 0)
			return (kw);
	}
	return (NULL);
}

/* Set a string value, or none if s is NULL; after an error, again. */
static void
setting_setstr(char **sp, const char *s)
{
	free(*sp);
	*sp = s != NULL ? config_strdup(s) : NULL;
}

/* The next token is a quoted string. */
static int
setting_string(struct lex *l)
{
	return (lex_expect(l, TOK_STRING, "a quoted string"));
}

/* The current string is an absolute path of at most MICD_PATHLEN_MAX. */
static int
setting_path(struct lex *l, const char *what)
{
	if (strlen(l->l_text) > MICD_PATHLEN_MAX)
		return (lex_error(l, "%s longer than %d bytes", what,
		    MICD_PATHLEN_MAX));
	if (l->l_text[0] != '/')
		return (lex_error(l, "%s \"%s\" is not an absolute path",
		    what, l->l_text));
	return (0);
}

/* firmware, ramdisk: a name below /lib/firmware, for request_firmware(). */
static int
setting_fwname(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	char **sp;

	if (setting_string(l) == -1)
		return (-1);
	if (strlen(l->l_text) > MICD_NAMELEN_MAX)
		return (lex_error(l, "%s longer than %d bytes", kw->k_name,
		    MICD_NAMELEN_MAX));
	if (!setting_fwname_valid(l->l_text))
		return (lex_error(l, "%s \"%s\" is not a relative name below "
		    "/lib/firmware", kw->k_name, l->l_text));
	sp = kw->k_key == CONF_FIRMWARE ? &cc->cc_firmware : &cc->cc_ramdisk;
	setting_setstr(sp, l->l_text);
	return (0);
}

/* Not empty, not absolute, no ".." component. */
static int
setting_fwname_valid(const char *s)
{
	size_t n;

	if (*s == '\0' || *s == '/')
		return (0);
	for (;;) {
		n = strcspn(s, "/");
		if (n == 2 && strncmp(s, "..", 2) == 0)
			return (0);
		if (s[n] == '\0')
			return (1);
		s += n + 1;
	}
}

static int
setting_cmdline(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	if (setting_string(l) == -1)
		return (-1);
	if (strlen(l->l_text) > MICD_CMDLINE_MAX)
		return (lex_error(l, "%s longer than %d bytes", kw->k_name,
		    MICD_CMDLINE_MAX));
	setting_setstr(&cc->cc_cmdline, l->l_text);
	return (0);
}

/* address, host address: a.b.c.d/len of a host, or none. */
static int
setting_address(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	struct inet4 *ip;
	uint32_t host, hostmask;

	if (lex_expect(l, TOK_WORD, "an address a.b.c.d/len or \"none\"") == -1)
		return (-1);
	ip = kw->k_key == CONF_ADDRESS ? &cc->cc_addr : &cc->cc_hostaddr;
	if (strcmp(l->l_text, "none") == 0) {
		ip->i_len = 0;
		return (0);
	}
	switch (addr_inet4_parse(l->l_text, ip)) {
	case -1:
		return (lex_error(l, "invalid %s \"%s\"", kw->k_name,
		    l->l_text));
	case -2:
		return (lex_error(l, "%s \"%s\" out of range", kw->k_name,
		    l->l_text));
	}
	hostmask = ~addr_inet4_mask(ip->i_len);
	host = ip->i_addr & hostmask;
	if (ip->i_len <= 30 && (host == 0 || host == hostmask))
		return (lex_error(l, "%s \"%s\" is a %s address", kw->k_name,
		    l->l_text, host == 0 ? "network" : "broadcast"));
	return (0);
}

/* lladdr xx:xx:xx:xx:xx:xx, unicast and not zero. */
static int
setting_lladdr(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	static const uint8_t zero[6];

	if (lex_expect(l, TOK_WORD, "an address xx:xx:xx:xx:xx:xx") == -1)
		return (-1);
	if (addr_lladdr_parse(l->l_text, cc->cc_lladdr) == -1)
		return (lex_error(l, "invalid %s \"%s\"", kw->k_name,
		    l->l_text));
	if ((cc->cc_lladdr[0] & 1) != 0 ||
	    memcmp(cc->cc_lladdr, zero, sizeof(zero)) == 0)
		return (lex_error(l, "%s \"%s\" is not a unicast address",
		    kw->k_name, l->l_text));
	return (0);
}

/* console log "/path", or none. */
static int
setting_conslog(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	if (lex_next(l) == TOK_WORD && strcmp(l->l_text, "none") == 0) {
		setting_setstr(&cc->cc_conslog, NULL);
		return (0);
	}
	if (l->l_tok != TOK_STRING)
		return (lex_unexpected(l, "a quoted path or \"none\""));
	if (setting_path(l, kw->k_name) == -1)
		return (-1);
	setting_setstr(&cc->cc_conslog, l->l_text);
	return (0);
}

/* boot on start, reboot on crash: yes or no. */
static int
setting_yesno(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	int *vp;

	vp = kw->k_key == CONF_BOOT ? &cc->cc_boot : &cc->cc_crashboot;
	if (lex_expect(l, TOK_WORD, "\"yes\" or \"no\"") == -1)
		return (-1);
	if (strcmp(l->l_text, "yes") == 0)
		*vp = 1;
	else if (strcmp(l->l_text, "no") == 0)
		*vp = 0;
	else
		return (lex_unexpected(l, "\"yes\" or \"no\""));
	return (0);
}

/* disk "/path" [readonly] */
static int
setting_disk(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	struct disk *d;
	size_t i;

	if (setting_string(l) == -1 || setting_path(l, kw->k_name) == -1)
		return (-1);
	for (i = 0; i < cc->cc_ndisks; i++)
		if (strcmp(cc->cc_disks[i].d_path, l->l_text) == 0)
			return (lex_error(l, "%s \"%s\" already set at line "
			    "%d", kw->k_name, l->l_text,
			    cc->cc_disks[i].d_line));
	if (cc->cc_ndisks == MICD_DISKS_MAX)
		return (lex_error(l, "too many disks (at most %d)",
		    MICD_DISKS_MAX));
	d = &cc->cc_disks[cc->cc_ndisks++];
	d->d_line = l->l_tokline;
	d->d_path = config_strdup(l->l_text);
	if (lex_next(l) != TOK_WORD) {
		lex_back(l);
		return (0);
	}
	if (strcmp(l->l_text, "readonly") != 0)
		return (lex_error(l, "unknown %s option \"%s\"", kw->k_name,
		    l->l_text));
	d->d_readonly = 1;
	return (0);
}

/*
 * user name (a word or a quoted string): the user the card processes run
 * as.  Whether it exists is seen when micd starts, not here.
 */
int
setting_user(struct lex *l, struct config *cf)
{
	if (lex_next(l) != TOK_WORD && l->l_tok != TOK_STRING)
		return (lex_unexpected(l, "a user name"));
	if (!setting_user_valid(l->l_text))
		return (lex_error(l, "invalid user name \"%s\"", l->l_text));
	setting_setstr(&cf->cf_user, l->l_text);
	return (0);
}

/*
 * At most MICD_USERLEN_MAX bytes of letters, digits, "_", "." and "-",
 * starting with a letter or "_".
 */
static int
setting_user_valid(const char *s)
{
	size_t n;

	n = strlen(s);
	if (n == 0 || n > MICD_USERLEN_MAX ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-") != n)
		return (0);
	return (s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z'));
}
