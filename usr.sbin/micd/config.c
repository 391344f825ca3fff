/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micd.conf(5): the lexer, the parser, the defaults, the checks, and the
 * canonical form that micd -n prints and that parses back to itself.
 * Errors are logged as "file:line: message"; parsing goes on at the next
 * line, so that one run shows them all.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mic.h"
#include "micd.h"

#define LEX_TOKEN_MAX	4096	/* a word or a string, with the NUL */

enum tok {
	TOK_EOF,
	TOK_NL,
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_WORD,
	TOK_STRING,
	TOK_ERROR	/* already reported */
};

struct lex {
	const char	*l_name;	/* of the file, for messages */
	const char	*l_p;		/* the next byte */
	const char	*l_end;
	int		 l_line;	/* of the next byte */
	int		 l_tokline;	/* of the current token */
	enum tok	 l_tok;		/* the current token */
	int		 l_back;	/* lex_next() returns it again */
	int		 l_errors;
	char		 l_text[LEX_TOKEN_MAX];	/* of a word or string */
};

/* A setting: its keyword (one or more words) and its value's parser. */
struct keyword {
	const char	*k_name;
	enum conf_key	 k_key;
	int		 k_cardonly;	/* not in the default block */
	int		(*k_parse)(struct lex *, struct cardconf *,
			    const struct keyword *);
};

#define lex_error(l, ...)	conf_error((l), (l)->l_tokline, __VA_ARGS__)

static int		 conf_error(struct lex *, int, const char *, ...)
			    __attribute__((__format__(__printf__, 3, 4)));
static void		*conf_calloc(size_t);
static char		*conf_strdup(const char *);
static void		 conf_setstr(char **, const char *);
static char		*conf_printf(const char *, ...)
			    __attribute__((__format__(__printf__, 1, 2)));
static int		 conf_read(int, char **, size_t *);
static int		 conf_line(const struct cardconf *, enum conf_key);
static void		 conf_print_quoted(FILE *, const char *);
static void		 conf_print_str(FILE *, const char *, const char *);
static void		 conf_print_default(FILE *, const struct cardconf *);

static enum tok		 lex_next(struct lex *);
static void		 lex_back(struct lex *);
static void		 lex_skipspace(struct lex *);
static int		 lex_isword(int);
static enum tok		 lex_word(struct lex *);
static enum tok		 lex_string(struct lex *);
static int		 lex_strchar(struct lex *, int, int);
static const char	*lex_desc(struct lex *, char *, size_t);

static void		 parse_file(struct lex *, struct config *);
static void		 parse_default(struct lex *, struct config *);
static void		 parse_card(struct lex *, struct config *);
static int		 parse_cardname(struct lex *, struct config *,
			    struct cardconf *);
static void		 parse_block(struct lex *, struct cardconf *);
static void		 parse_setting(struct lex *, struct cardconf *);
static int		 parse_allowed(struct lex *, const struct cardconf *,
			    const struct keyword *, int);
static int		 parse_kwrest(struct lex *, const struct keyword *);
static int		 parse_string(struct lex *);
static int		 parse_word(struct lex *, const char *);
static int		 parse_path(struct lex *, const char *);
static int		 parse_eol(struct lex *);
static int		 parse_unexpected(struct lex *, const char *);
static void		 parse_bad(struct lex *, const char *);
static void		 parse_skip(struct lex *);
static int		 parse_fwname(struct lex *, struct cardconf *,
			    const struct keyword *);
static int		 parse_cmdline(struct lex *, struct cardconf *,
			    const struct keyword *);
static int		 parse_address(struct lex *, struct cardconf *,
			    const struct keyword *);
static int		 parse_lladdr(struct lex *, struct cardconf *,
			    const struct keyword *);
static int		 parse_conslog(struct lex *, struct cardconf *,
			    const struct keyword *);
static int		 parse_yesno(struct lex *, struct cardconf *,
			    const struct keyword *);
static int		 parse_disk(struct lex *, struct cardconf *,
			    const struct keyword *);
static const struct keyword *keyword_lookup(const char *);

static int		 fwname_valid(const char *);
static int		 inet4_num(const char **);
static int		 inet4_parse(const char *, struct inet4 *);
static uint32_t		 inet4_mask(int);
static struct inet4	 inet4_peer(const struct inet4 *);
static int		 inet4_net(const struct cardconf *, struct inet4 *);
static int		 inet4_overlap(const struct inet4 *,
			    const struct inet4 *);
static int		 lladdr_hex(int);
static int		 lladdr_parse(const char *, uint8_t *);
static void		 lladdr_print(const uint8_t *, char *, size_t);

static void		 cardconf_clear(struct cardconf *);
static void		 cardconf_resolve(const struct cardconf *,
			    struct cardconf *);
static void		 cardconf_resolvenet(struct cardconf *);
static void		 config_resolve(struct config *);
static void		 config_check(struct lex *, const struct config *);
static void		 config_check_card(struct lex *,
			    const struct cardconf *);
static void		 config_check_pair(struct lex *,
			    const struct cardconf *, const struct cardconf *);
static void		 config_check_disks(struct lex *,
			    const struct cardconf *, const struct cardconf *);

/* In the order of enum conf_key. */
static const struct keyword keywords[] = {
	{ "firmware",		CONF_FIRMWARE,	0, parse_fwname },
	{ "ramdisk",		CONF_RAMDISK,	0, parse_fwname },
	{ "cmdline",		CONF_CMDLINE,	0, parse_cmdline },
	{ "address",		CONF_ADDRESS,	1, parse_address },
	{ "host address",	CONF_HOSTADDR,	1, parse_address },
	{ "lladdr",		CONF_LLADDR,	1, parse_lladdr },
	{ "console log",	CONF_CONSLOG,	1, parse_conslog },
	{ "boot on start",	CONF_BOOT,	0, parse_yesno },
	{ "reboot on crash",	CONF_CRASHBOOT,	0, parse_yesno },
	{ "disk",		CONF_DISK,	1, parse_disk },
	{ NULL,			CONF_NKEYS,	0, NULL }
};

/* Log "file:line: message"; count it; return -1. */
static int
conf_error(struct lex *l, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s:%d: %s", l->l_name, line, msg);
	l->l_errors++;
	return (-1);
}

static void *
conf_calloc(size_t size)
{
	void *p;

	if ((p = calloc(1, size)) == NULL)
		fatal("config");
	return (p);
}

static char *
conf_strdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		fatal("config");
	return (p);
}

/* Set a string value, or none if s is NULL; after an error, again. */
static void
conf_setstr(char **sp, const char *s)
{
	free(*sp);
	*sp = s != NULL ? conf_strdup(s) : NULL;
}

/* A default name or path, made from a card name: it fits. */
static char *
conf_printf(const char *fmt, ...)
{
	char buf[MICD_PATHLEN_MAX + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		fatalx("config: \"%s\" too long", fmt);
	return (conf_strdup(buf));
}

/* The line of a card's setting, or of its block if it was not set. */
static int
conf_line(const struct cardconf *cc, enum conf_key key)
{
	return (cc->cc_lines[key] != 0 ? cc->cc_lines[key] : cc->cc_line);
}

/* The lexer. */

static void
lex_back(struct lex *l)
{
	l->l_back = 1;
}

/* Skip blanks and a comment, up to the end of the line. */
static void
lex_skipspace(struct lex *l)
{
	while (l->l_p < l->l_end) {
		if (*l->l_p == '#') {
			while (l->l_p < l->l_end && *l->l_p != '\n')
				l->l_p++;
		} else if (*l->l_p == ' ' || *l->l_p == '\t' ||
		    *l->l_p == '\r')
			l->l_p++;
		else
			break;
	}
}

/* A word is made of printable bytes other than {}"#. */
static int
lex_isword(int c)
{
	return (c > ' ' && c != 0x7f && strchr("{}\"#", c) == NULL);
}

static enum tok
lex_next(struct lex *l)
{
	int c;

	if (l->l_back) {
		l->l_back = 0;
		return (l->l_tok);
	}
	lex_skipspace(l);
	l->l_tokline = l->l_line;
	l->l_text[0] = '\0';
	if (l->l_p == l->l_end) {
		if (l->l_line > 1 && l->l_p[-1] == '\n')
			l->l_tokline--;	/* the last line, not the next */
		return (l->l_tok = TOK_EOF);
	}
	c = (unsigned char)*l->l_p;
	if (c == '"')
		return (l->l_tok = lex_string(l));
	if (lex_isword(c))
		return (l->l_tok = lex_word(l));
	l->l_p++;
	if (c == '\n') {
		l->l_line++;
		return (l->l_tok = TOK_NL);
	}
	if (c == '{' || c == '}')
		return (l->l_tok = c == '{' ? TOK_LBRACE : TOK_RBRACE);
	lex_error(l, "invalid character 0x%02x", c);
	return (l->l_tok = TOK_ERROR);
}

static enum tok
lex_word(struct lex *l)
{
	size_t n;

	for (n = 0; l->l_p < l->l_end && lex_isword((unsigned char)*l->l_p);
	    l->l_p++) {
		if (n < sizeof(l->l_text) - 1)
			l->l_text[n] = *l->l_p;
		n++;
	}
	if (n >= sizeof(l->l_text)) {
		l->l_text[0] = '\0';
		lex_error(l, "word longer than %zu bytes",
		    sizeof(l->l_text) - 1);
		return (TOK_ERROR);
	}
	l->l_text[n] = '\0';
	return (TOK_WORD);
}

/*
 * A string in double quotes, on one line; \" and \\ stand for " and \.
 * Only its first error is reported.
 */
static enum tok
lex_string(struct lex *l)
{
	size_t n;
	int c, bad;

	l->l_p++;
	n = 0;
	bad = 0;
	for (;;) {
		if (l->l_p == l->l_end || *l->l_p == '\n') {
			lex_error(l, "missing closing quote");
			return (TOK_ERROR);
		}
		c = (unsigned char)*l->l_p++;
		if (c == '"')
			break;
		if ((c = lex_strchar(l, c, bad)) == -1)
			bad = 1;
		else if (n < sizeof(l->l_text) - 1)
			l->l_text[n++] = (char)c;
		else if (!bad)
			bad = lex_error(l, "string longer than %zu bytes",
			    sizeof(l->l_text) - 1);
	}
	l->l_text[n] = '\0';
	return (bad ? TOK_ERROR : TOK_STRING);
}

/* Byte c of a string, and what follows a backslash; -1 if invalid. */
static int
lex_strchar(struct lex *l, int c, int quiet)
{
	if (c == '\\') {
		if (l->l_p < l->l_end && (*l->l_p == '"' || *l->l_p == '\\'))
			return ((unsigned char)*l->l_p++);
		if (!quiet)
			lex_error(l, "invalid escape in string: only \\\" and "
			    "\\\\ are allowed");
		return (-1);
	}
	if (c < ' ' || c == 0x7f) {
		if (!quiet)
			lex_error(l, "invalid character 0x%02x in string", c);
		return (-1);
	}
	return (c);
}

/* The current token, as messages show it. */
static const char *
lex_desc(struct lex *l, char *buf, size_t len)
{
	switch (l->l_tok) {
	case TOK_EOF:
		return ("end of file");
	case TOK_NL:
		return ("end of line");
	case TOK_LBRACE:
		return ("\"{\"");
	case TOK_RBRACE:
		return ("\"}\"");
	default:
		(void)snprintf(buf, len, "%s\"%.64s%s\"",
		    l->l_tok == TOK_STRING ? "the quoted string " : "",
		    l->l_text, strlen(l->l_text) > 64 ? "..." : "");
		return (buf);
	}
}

/* The parser. */

/* The file: default and card blocks. */
static void
parse_file(struct lex *l, struct config *cf)
{
	enum tok tok;

	while ((tok = lex_next(l)) != TOK_EOF) {
		if (tok == TOK_WORD && strcmp(l->l_text, "card") == 0)
			parse_card(l, cf);
		else if (tok == TOK_WORD && strcmp(l->l_text, "default") == 0)
			parse_default(l, cf);
		else if (tok == TOK_WORD && keyword_lookup(l->l_text) != NULL) {
			lex_error(l, "\"%s\" outside a block", l->l_text);
			parse_skip(l);
		} else if (tok == TOK_WORD) {
			lex_error(l, "unknown keyword \"%s\"", l->l_text);
			parse_skip(l);
		} else if (tok == TOK_RBRACE)
			lex_error(l, "\"}\" outside a block");
		else if (tok != TOK_NL)
			parse_bad(l, "\"card\" or \"default\"");
	}
}

/* default { settings }: the one default block. */
static void
parse_default(struct lex *l, struct config *cf)
{
	struct cardconf *cc;
	int line;

	line = l->l_tokline;
	cc = conf_calloc(sizeof(*cc));
	cc->cc_unit = -1;
	cc->cc_line = line;
	if (cf->cf_default.cc_line != 0)
		lex_error(l, "default block already defined at line %d",
		    cf->cf_default.cc_line);
	if (lex_next(l) != TOK_LBRACE) {
		parse_bad(l, "\"{\"");
		cardconf_clear(cc);
		free(cc);
		return;
	}
	parse_block(l, cc);
	if (cf->cf_default.cc_line != 0) {
		cardconf_clear(cc);
		free(cc);
		return;
	}
	cf->cf_default = *cc;
	free(cc);
}

/* card micN { settings } */
static void
parse_card(struct lex *l, struct config *cf)
{
	struct cardconf *cc;
	int rv;

	cc = conf_calloc(sizeof(*cc));
	cc->cc_line = l->l_tokline;
	if ((rv = parse_cardname(l, cf, cc)) == -2 ||
	    lex_next(l) != TOK_LBRACE) {
		if (rv != -2)
			parse_bad(l, "\"{\"");
		cardconf_clear(cc);
		free(cc);
		return;
	}
	parse_block(l, cc);
	if (rv == 0) {
		cf->cf_cards[cc->cc_unit] = cc;
		return;
	}
	cardconf_clear(cc);
	free(cc);
}

/*
 * The name after "card": 0 if good, -1 if bad (its block is parsed all
 * the same), -2 if there is none (the line was skipped).
 */
static int
parse_cardname(struct lex *l, struct config *cf, struct cardconf *cc)
{
	const char *name;
	int unit;

	if (lex_next(l) != TOK_WORD && l->l_tok != TOK_STRING) {
		if (l->l_tok == TOK_LBRACE) {
			lex_error(l, "expected a card name, got \"{\"");
			lex_back(l);
			return (-1);
		}
		parse_bad(l, "a card name");
		return (-2);
	}
	name = l->l_text;
	if (mic_card_unit(name, &unit) == -1 ||
	    (name[3] == '0' && name[4] != '\0'))
		return (lex_error(l, "invalid card name \"%s\"", name));
	if (unit >= MICD_UNITS)
		return (lex_error(l, "card \"%s\" out of range (mic0 to "
		    "mic%d)", name, MICD_UNITS - 1));
	if (cf->cf_cards[unit] != NULL)
		return (lex_error(l, "card \"%s\" already defined at line %d",
		    name, cf->cf_cards[unit]->cc_line));
	memcpy(cc->cc_name, name, strlen(name) + 1);	/* a card name fits */
	cc->cc_unit = unit;
	return (0);
}

/* The settings of a block, up to its "}". */
static void
parse_block(struct lex *l, struct cardconf *cc)
{
	enum tok tok;

	for (;;) {
		tok = lex_next(l);
		if (tok == TOK_RBRACE) {
			if (parse_eol(l) == -1)
				parse_skip(l);
			return;
		}
		if (tok == TOK_EOF || (tok == TOK_WORD &&
		    (strcmp(l->l_text, "card") == 0 ||
		    strcmp(l->l_text, "default") == 0))) {
			lex_error(l, "missing \"}\" of the block at line %d",
			    cc->cc_line);
			lex_back(l);
			return;
		}
		if (tok == TOK_WORD)
			parse_setting(l, cc);
		else if (tok != TOK_NL)
			parse_bad(l, "a setting or \"}\"");
	}
}

/* One setting, its keyword the current token, to the end of its line. */
static void
parse_setting(struct lex *l, struct cardconf *cc)
{
	const struct keyword *kw;
	int line;

	line = l->l_tokline;
	if ((kw = keyword_lookup(l->l_text)) == NULL) {
		lex_error(l, "unknown keyword \"%s\"", l->l_text);
		parse_skip(l);
		return;
	}
	if (parse_kwrest(l, kw) == -1 ||
	    parse_allowed(l, cc, kw, line) == -1 ||
	    kw->k_parse(l, cc, kw) == -1 || parse_eol(l) == -1) {
		parse_skip(l);
		return;
	}
	cc->cc_lines[kw->k_key] = line;
}

/* May the setting be in this block? */
static int
parse_allowed(struct lex *l, const struct cardconf *cc,
    const struct keyword *kw, int line)
{
	if (kw->k_cardonly && cc->cc_unit == -1)
		return (conf_error(l, line, "\"%s\" is not allowed in the "
		    "default block", kw->k_name));
	if (kw->k_key != CONF_DISK && cc->cc_lines[kw->k_key] != 0)
		return (conf_error(l, line, "\"%s\" already set at line %d",
		    kw->k_name, cc->cc_lines[kw->k_key]));
	return (0);
}

/* The keyword whose first word is word. */
static const struct keyword *
keyword_lookup(const char *word)
{
	const struct keyword *kw;
	size_t n;

	for (kw = keywords; kw->k_name != NULL; kw++) {
		n = strcspn(kw->k_name, " ");
		if (strlen(word) == n && strncmp(word, kw->k_name, n) == 0)
			return (kw);
	}
	return (NULL);
}

/* The words of a keyword after its first: "on start" of "boot on start". */
static int
parse_kwrest(struct lex *l, const struct keyword *kw)
{
	const char *p;
	char want[32];
	size_t n;

	p = kw->k_name + strcspn(kw->k_name, " ");
	while (*p == ' ') {
		p++;
		n = strcspn(p, " ");
		(void)snprintf(want, sizeof(want), "\"%.*s\"", (int)n, p);
		if (lex_next(l) != TOK_WORD || strlen(l->l_text) != n ||
		    strncmp(l->l_text, p, n) != 0)
			return (parse_unexpected(l, want));
		p += n;
	}
	return (0);
}

static int
parse_string(struct lex *l)
{
	if (lex_next(l) == TOK_STRING)
		return (0);
	return (parse_unexpected(l, "a quoted string"));
}

static int
parse_word(struct lex *l, const char *what)
{
	if (lex_next(l) == TOK_WORD)
		return (0);
	return (parse_unexpected(l, what));
}

/* The current string is an absolute path of at most MICD_PATHLEN_MAX. */
static int
parse_path(struct lex *l, const char *what)
{
	if (strlen(l->l_text) > MICD_PATHLEN_MAX)
		return (lex_error(l, "%s longer than %d bytes", what,
		    MICD_PATHLEN_MAX));
	if (l->l_text[0] != '/')
		return (lex_error(l, "%s \"%s\" is not an absolute path",
		    what, l->l_text));
	return (0);
}

/* The end of a setting: a newline, or the "}" or end of file after it. */
static int
parse_eol(struct lex *l)
{
	switch (lex_next(l)) {
	case TOK_NL:
		return (0);
	case TOK_EOF:
	case TOK_RBRACE:
		lex_back(l);
		return (0);
	default:
		return (parse_unexpected(l, "end of line"));
	}
}

/* The current token is not what was wanted; -1. */
static int
parse_unexpected(struct lex *l, const char *want)
{
	char buf[128];

	if (l->l_tok == TOK_ERROR)
		return (-1);
	return (lex_error(l, "expected %s, got %s", want,
	    lex_desc(l, buf, sizeof(buf))));
}

static void
parse_bad(struct lex *l, const char *want)
{
	(void)parse_unexpected(l, want);
	parse_skip(l);
}

/*
 * After an error at the current token: skip to the end of the line, past
 * the whole block if a "{" opens on it, but not past the "}" that closes
 * the block the line is in.
 */
static void
parse_skip(struct lex *l)
{
	int depth;

	depth = 0;
	for (;;) {
		switch (l->l_tok) {
		case TOK_NL:
			if (depth == 0)
				return;
			break;
		case TOK_EOF:
			lex_back(l);
			return;
		case TOK_LBRACE:
			depth++;
			break;
		case TOK_RBRACE:
			if (depth-- == 0) {
				lex_back(l);
				return;
			}
			break;
		default:
			break;
		}
		(void)lex_next(l);
	}
}

/* The values. */

/* firmware, ramdisk: a name below /lib/firmware, for request_firmware(). */
static int
parse_fwname(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	char **sp;

	if (parse_string(l) == -1)
		return (-1);
	if (strlen(l->l_text) > MICD_NAMELEN_MAX)
		return (lex_error(l, "%s longer than %d bytes", kw->k_name,
		    MICD_NAMELEN_MAX));
	if (!fwname_valid(l->l_text))
		return (lex_error(l, "%s \"%s\" is not a relative name below "
		    "/lib/firmware", kw->k_name, l->l_text));
	sp = kw->k_key == CONF_FIRMWARE ? &cc->cc_firmware : &cc->cc_ramdisk;
	conf_setstr(sp, l->l_text);
	return (0);
}

/* Not empty, not absolute, no ".." component. */
static int
fwname_valid(const char *s)
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
parse_cmdline(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	if (parse_string(l) == -1)
		return (-1);
	if (strlen(l->l_text) > MICD_CMDLINE_MAX)
		return (lex_error(l, "%s longer than %d bytes", kw->k_name,
		    MICD_CMDLINE_MAX));
	conf_setstr(&cc->cc_cmdline, l->l_text);
	return (0);
}

/* address, host address: a.b.c.d/len of a host, or none. */
static int
parse_address(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	struct inet4 *ip;
	uint32_t host, hostmask;

	if (parse_word(l, "an address a.b.c.d/len or \"none\"") == -1)
		return (-1);
	ip = kw->k_key == CONF_ADDRESS ? &cc->cc_addr : &cc->cc_hostaddr;
	if (strcmp(l->l_text, "none") == 0) {
		ip->i_len = 0;
		return (0);
	}
	switch (inet4_parse(l->l_text, ip)) {
	case -1:
		return (lex_error(l, "invalid %s \"%s\"", kw->k_name,
		    l->l_text));
	case -2:
		return (lex_error(l, "%s \"%s\" out of range", kw->k_name,
		    l->l_text));
	}
	hostmask = ~inet4_mask(ip->i_len);
	host = ip->i_addr & hostmask;
	if (ip->i_len <= 30 && (host == 0 || host == hostmask))
		return (lex_error(l, "%s \"%s\" is a %s address", kw->k_name,
		    l->l_text, host == 0 ? "network" : "broadcast"));
	return (0);
}

/* A decimal number of 1 to 3 digits without a leading zero, or -1. */
static int
inet4_num(const char **pp)
{
	const char *p;
	int n;

	n = 0;
	for (p = *pp; *p >= '0' && *p <= '9' && p - *pp < 4; p++)
		n = n * 10 + (*p - '0');
	if (p == *pp || p - *pp > 3 || (p - *pp > 1 && **pp == '0'))
		return (-1);
	*pp = p;
	return (n);
}

/* a.b.c.d/len: 0, -1 if it is not one, -2 if a number is out of range. */
static int
inet4_parse(const char *s, struct inet4 *ip)
{
	const char *p;
	uint32_t a;
	int i, n, range;

	p = s;
	a = 0;
	range = 0;
	for (i = 0; i < 5; i++) {
		if ((n = inet4_num(&p)) == -1 || *p != ".../"[i])
			return (-1);
		if (n > (i < 4 ? 255 : 32) || (i == 4 && n == 0))
			range = 1;
		if (i < 4)
			a = a << 8 | (uint32_t)n;
		else
			ip->i_len = n;
		p++;
	}
	if (range)
		return (-2);
	ip->i_addr = a;
	return (0);
}

static uint32_t
inet4_mask(int len)
{
	return (len == 0 ? 0 : 0xffffffffU << (32 - len));
}

/*
 * The default host address for a card address: the other one of a /31,
 * else the last host of the network (.254 of a /24); none for a /32.
 */
static struct inet4
inet4_peer(const struct inet4 *ip)
{
	struct inet4 peer;

	peer = *ip;
	if (ip->i_len == 32)
		peer.i_len = 0;
	else if (ip->i_len == 31)
		peer.i_addr ^= 1;
	else if (ip->i_len != 0)
		peer.i_addr = (ip->i_addr | ~inet4_mask(ip->i_len)) - 1;
	return (peer);
}

/* The network of a card's link: of its host address, else of its own. */
static int
inet4_net(const struct cardconf *cc, struct inet4 *net)
{
	*net = cc->cc_hostaddr.i_len != 0 ? cc->cc_hostaddr : cc->cc_addr;
	if (net->i_len == 0)
		return (-1);
	net->i_addr &= inet4_mask(net->i_len);
	return (0);
}

static int
inet4_overlap(const struct inet4 *a, const struct inet4 *b)
{
	int len;

	len = a->i_len < b->i_len ? a->i_len : b->i_len;
	return (((a->i_addr ^ b->i_addr) & inet4_mask(len)) == 0);
}

/* Print an address as a.b.c.d/len, or "none". */
void
config_addr(const struct inet4 *ip, char *buf, size_t len)
{
	if (ip->i_len == 0) {
		(void)snprintf(buf, len, "none");
		return;
	}
	(void)snprintf(buf, len, "%u.%u.%u.%u/%d", ip->i_addr >> 24,
	    (ip->i_addr >> 16) & 0xff, (ip->i_addr >> 8) & 0xff,
	    ip->i_addr & 0xff, ip->i_len);
}

/* lladdr xx:xx:xx:xx:xx:xx, unicast and not zero. */
static int
parse_lladdr(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	static const uint8_t zero[6];

	if (parse_word(l, "an address xx:xx:xx:xx:xx:xx") == -1)
		return (-1);
	if (lladdr_parse(l->l_text, cc->cc_lladdr) == -1)
		return (lex_error(l, "invalid %s \"%s\"", kw->k_name,
		    l->l_text));
	if ((cc->cc_lladdr[0] & 1) != 0 ||
	    memcmp(cc->cc_lladdr, zero, sizeof(zero)) == 0)
		return (lex_error(l, "%s \"%s\" is not a unicast address",
		    kw->k_name, l->l_text));
	return (0);
}

static int
lladdr_hex(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

static int
lladdr_parse(const char *s, uint8_t *mac)
{
	int i, hi, lo;

	if (strlen(s) != 17)
		return (-1);
	for (i = 0; i < 6; i++, s += 3) {
		hi = lladdr_hex(s[0]);
		lo = lladdr_hex(s[1]);
		if (hi == -1 || lo == -1 || (i < 5 && s[2] != ':'))
			return (-1);
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return (0);
}

static void
lladdr_print(const uint8_t *mac, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
	    mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/* console log "/path", or none. */
static int
parse_conslog(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	if (lex_next(l) == TOK_WORD && strcmp(l->l_text, "none") == 0) {
		conf_setstr(&cc->cc_conslog, NULL);
		return (0);
	}
	if (l->l_tok != TOK_STRING)
		return (parse_unexpected(l, "a quoted path or \"none\""));
	if (parse_path(l, kw->k_name) == -1)
		return (-1);
	conf_setstr(&cc->cc_conslog, l->l_text);
	return (0);
}

/* boot on start, reboot on crash: yes or no. */
static int
parse_yesno(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	int *vp;

	vp = kw->k_key == CONF_BOOT ? &cc->cc_boot : &cc->cc_crashboot;
	if (parse_word(l, "\"yes\" or \"no\"") == -1)
		return (-1);
	if (strcmp(l->l_text, "yes") == 0)
		*vp = 1;
	else if (strcmp(l->l_text, "no") == 0)
		*vp = 0;
	else
		return (parse_unexpected(l, "\"yes\" or \"no\""));
	return (0);
}

/* disk "/path" [readonly] */
static int
parse_disk(struct lex *l, struct cardconf *cc, const struct keyword *kw)
{
	struct disk *d;
	size_t i;

	if (parse_string(l) == -1 || parse_path(l, kw->k_name) == -1)
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
	d->d_path = conf_strdup(l->l_text);
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

/* Defaults and checks. */

/* Free what a card's settings hold, not the settings themselves. */
static void
cardconf_clear(struct cardconf *cc)
{
	size_t i;

	free(cc->cc_firmware);
	free(cc->cc_ramdisk);
	free(cc->cc_cmdline);
	free(cc->cc_conslog);
	for (i = 0; i < cc->cc_ndisks; i++)
		free(cc->cc_disks[i].d_path);
}

/* Give a card what it does not set: from the default block, or built in. */
static void
cardconf_resolve(const struct cardconf *def, struct cardconf *cc)
{
	if (cc->cc_firmware == NULL)
		cc->cc_firmware = conf_strdup(def->cc_firmware);
	if (cc->cc_ramdisk == NULL && def->cc_ramdisk != NULL)
		cc->cc_ramdisk = conf_strdup(def->cc_ramdisk);
	else if (cc->cc_ramdisk == NULL)
		cc->cc_ramdisk = conf_printf("mic/%s.image", cc->cc_name);
	if (cc->cc_cmdline == NULL)
		cc->cc_cmdline = conf_strdup(def->cc_cmdline);
	if (cc->cc_lines[CONF_CONSLOG] == 0) {
		free(cc->cc_conslog);
		cc->cc_conslog = conf_printf("%s/%s.console", MICD_LOGDIR,
		    cc->cc_name);
	}
	if (cc->cc_lines[CONF_BOOT] == 0)
		cc->cc_boot = def->cc_boot;
	if (cc->cc_lines[CONF_CRASHBOOT] == 0)
		cc->cc_crashboot = def->cc_crashboot;
	cardconf_resolvenet(cc);
}

/*
 * Card N: 172.31.(N+1).1/24 (none from mic254 on), the host the last
 * address of the card's network, MAC address 02:6d:69:63:00:N ("mic").
 */
static void
cardconf_resolvenet(struct cardconf *cc)
{
	uint8_t *mac;

	if (cc->cc_lines[CONF_ADDRESS] == 0 && cc->cc_unit < 254) {
		cc->cc_addr.i_addr = (172U << 24 | 31U << 16 |
		    (uint32_t)(cc->cc_unit + 1) << 8 | 1);
		cc->cc_addr.i_len = 24;
	}
	if (cc->cc_lines[CONF_HOSTADDR] == 0)
		cc->cc_hostaddr = inet4_peer(&cc->cc_addr);
	if (cc->cc_lines[CONF_LLADDR] == 0) {
		mac = cc->cc_lladdr;
		mac[0] = 0x02;
		mac[1] = 'm';
		mac[2] = 'i';
		mac[3] = 'c';
		mac[4] = (uint8_t)(cc->cc_unit >> 8);
		mac[5] = (uint8_t)cc->cc_unit;
	}
}

static void
config_resolve(struct config *cf)
{
	struct cardconf *def;
	int i;

	def = &cf->cf_default;
	(void)snprintf(def->cc_name, sizeof(def->cc_name), "default");
	def->cc_unit = -1;
	if (def->cc_firmware == NULL)
		def->cc_firmware = conf_strdup(MICD_FIRMWARE);
	if (def->cc_cmdline == NULL)
		def->cc_cmdline = conf_strdup("");
	if (def->cc_lines[CONF_BOOT] == 0)
		def->cc_boot = 1;
	for (i = 0; i < MICD_UNITS; i++)
		if (cf->cf_cards[i] != NULL)
			cardconf_resolve(def, cf->cf_cards[i]);
}

/* What one card's settings must agree on, and what no two cards share. */
static void
config_check(struct lex *l, const struct config *cf)
{
	int i, j;

	for (i = 0; i < MICD_UNITS; i++) {
		if (cf->cf_cards[i] == NULL)
			continue;
		config_check_card(l, cf->cf_cards[i]);
		for (j = 0; j < i; j++)
			if (cf->cf_cards[j] != NULL)
				config_check_pair(l, cf->cf_cards[j],
				    cf->cf_cards[i]);
	}
}

/* The card and the host are two hosts of one network. */
static void
config_check_card(struct lex *l, const struct cardconf *cc)
{
	const struct inet4 *a, *h;
	char as[INET4_STRLEN], hs[INET4_STRLEN];
	int line;

	a = &cc->cc_addr;
	h = &cc->cc_hostaddr;
	if (a->i_len == 0 || h->i_len == 0)
		return;
	config_addr(a, as, sizeof(as));
	config_addr(h, hs, sizeof(hs));
	line = conf_line(cc, cc->cc_lines[CONF_HOSTADDR] != 0 ?
	    CONF_HOSTADDR : CONF_ADDRESS);
	if (a->i_len != h->i_len)
		conf_error(l, line, "%s: host address %s and address %s have "
		    "different prefix lengths", cc->cc_name, hs, as);
	else if (!inet4_overlap(a, h))
		conf_error(l, line, "%s: host address %s is not in the "
		    "network of address %s", cc->cc_name, hs, as);
	else if (a->i_addr == h->i_addr && cc->cc_lines[CONF_HOSTADDR] == 0)
		conf_error(l, line, "%s: address %s is the default host "
		    "address: set the host address", cc->cc_name, as);
	else if (a->i_addr == h->i_addr)
		conf_error(l, line, "%s: host address and address are both "
		    "%s", cc->cc_name, hs);
}

/* Card b, after card a, shares no network, MAC, log or writable disk. */
static void
config_check_pair(struct lex *l, const struct cardconf *a,
    const struct cardconf *b)
{
	struct inet4 na, nb;
	char s[INET4_STRLEN];

	if (inet4_net(a, &na) == 0 && inet4_net(b, &nb) == 0 &&
	    inet4_overlap(&na, &nb)) {
		config_addr(&nb, s, sizeof(s));
		conf_error(l, conf_line(b, b->cc_lines[CONF_ADDRESS] != 0 ?
		    CONF_ADDRESS : CONF_HOSTADDR), "%s: network %s overlaps "
		    "that of %s", b->cc_name, s, a->cc_name);
	}
	if (memcmp(a->cc_lladdr, b->cc_lladdr, sizeof(a->cc_lladdr)) == 0) {
		lladdr_print(b->cc_lladdr, s, sizeof(s));
		conf_error(l, conf_line(b, CONF_LLADDR), "%s: lladdr %s is "
		    "also that of %s", b->cc_name, s, a->cc_name);
	}
	if (a->cc_conslog != NULL && b->cc_conslog != NULL &&
	    strcmp(a->cc_conslog, b->cc_conslog) == 0)
		conf_error(l, conf_line(b, CONF_CONSLOG), "%s: console log "
		    "\"%s\" is also that of %s", b->cc_name, b->cc_conslog,
		    a->cc_name);
	config_check_disks(l, a, b);
}

/* Two cards may share a disk only if both have it readonly. */
static void
config_check_disks(struct lex *l, const struct cardconf *a,
    const struct cardconf *b)
{
	const struct disk *da, *db;
	size_t i, j;

	for (i = 0; i < b->cc_ndisks; i++) {
		db = &b->cc_disks[i];
		for (j = 0; j < a->cc_ndisks; j++) {
			da = &a->cc_disks[j];
			if (strcmp(da->d_path, db->d_path) != 0 ||
			    (da->d_readonly && db->d_readonly))
				continue;
			conf_error(l, db->d_line, "%s: disk \"%s\" is also "
			    "that of %s, and not readonly for both",
			    b->cc_name, db->d_path, a->cc_name);
		}
	}
}

/* The interface. */

/* Read at most MICD_CONF_MAX + 1 bytes from fd into *bufp. */
static int
conf_read(int fd, char **bufp, size_t *lenp)
{
	char *buf;
	size_t len, cap;
	ssize_t n;

	cap = 8192;
	len = 0;
	if ((buf = malloc(cap)) == NULL)
		fatal("config");
	while (len <= MICD_CONF_MAX) {
		if (len == cap && (buf = realloc(buf, cap *= 2)) == NULL)
			fatal("config");
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == -1) {
				free(buf);
				return (-1);
			}
			break;
		}
		len += (size_t)n;
	}
	*bufp = buf;
	*lenp = len;
	return (0);
}

/*
 * Load the configuration file path, named name in messages.  Return 0;
 * CONFIG_EREAD, with errno set and nothing logged, if it cannot be read;
 * CONFIG_ESYNTAX if it has errors, which are logged.
 */
int
config_load(const char *path, const char *name, struct config **cfp)
{
	char *buf;
	size_t len;
	int fd, rv, serrno;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (CONFIG_EREAD);
	rv = conf_read(fd, &buf, &len);
	serrno = errno;
	(void)close(fd);
	if (rv == -1) {
		errno = serrno;
		return (CONFIG_EREAD);
	}
	if (len > MICD_CONF_MAX) {
		log_warnx("%s: larger than %d bytes", name, MICD_CONF_MAX);
		free(buf);
		return (CONFIG_ESYNTAX);
	}
	*cfp = config_parse(name, buf, len);
	free(buf);
	return (*cfp == NULL ? CONFIG_ESYNTAX : 0);
}

/*
 * Parse len bytes of configuration text, named name in messages; resolve
 * and check it.  NULL if it has errors, which are logged.
 */
struct config *
config_parse(const char *name, const char *buf, size_t len)
{
	struct config *cf;
	struct lex *l;
	int errors;

	cf = conf_calloc(sizeof(*cf));
	cf->cf_name = conf_strdup(name);
	cf->cf_default.cc_unit = -1;
	l = conf_calloc(sizeof(*l));
	l->l_name = name;
	l->l_p = buf;
	l->l_end = buf + len;
	l->l_line = 1;
	parse_file(l, cf);
	config_resolve(cf);
	config_check(l, cf);
	errors = l->l_errors;
	free(l);
	if (errors > 0) {
		config_free(cf);
		return (NULL);
	}
	return (cf);
}

void
config_free(struct config *cf)
{
	int i;

	if (cf == NULL)
		return;
	for (i = 0; i < MICD_UNITS; i++)
		if (cf->cf_cards[i] != NULL) {
			cardconf_clear(cf->cf_cards[i]);
			free(cf->cf_cards[i]);
		}
	cardconf_clear(&cf->cf_default);
	free(cf->cf_name);
	free(cf);
}

/*
 * The settings of card unit: its block, or for a card the file does not
 * name, the defaults (kept in cf from then on).
 */
const struct cardconf *
config_card(struct config *cf, int unit)
{
	struct cardconf *cc;

	if (unit < 0 || unit >= MICD_UNITS)
		fatalx("config_card: unit %d", unit);
	if (cf->cf_cards[unit] != NULL)
		return (cf->cf_cards[unit]);
	cc = conf_calloc(sizeof(*cc));
	(void)snprintf(cc->cc_name, sizeof(cc->cc_name), "mic%d", unit);
	cc->cc_unit = unit;
	cardconf_resolve(&cf->cf_default, cc);
	cf->cf_cards[unit] = cc;
	return (cc);
}

/* Print a string in double quotes, as lex_string() reads it. */
static void
conf_print_quoted(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* Print a setting with a string value. */
static void
conf_print_str(FILE *fp, const char *key, const char *s)
{
	fprintf(fp, "\t%s ", key);
	conf_print_quoted(fp, s);
	fputc('\n', fp);
}

static void
conf_print_default(FILE *fp, const struct cardconf *def)
{
	fputs("default {\n", fp);
	conf_print_str(fp, "firmware", def->cc_firmware);
	if (def->cc_ramdisk != NULL)
		conf_print_str(fp, "ramdisk", def->cc_ramdisk);
	conf_print_str(fp, "cmdline", def->cc_cmdline);
	fprintf(fp, "\tboot on start %s\n", def->cc_boot ? "yes" : "no");
	fprintf(fp, "\treboot on crash %s\n", def->cc_crashboot ? "yes" :
	    "no");
	fputs("}\n", fp);
}

/* Print a card's block with every setting. */
void
config_print_card(FILE *fp, const struct cardconf *cc)
{
	char s[INET4_STRLEN];
	size_t i;

	fprintf(fp, "card %s {\n", cc->cc_name);
	conf_print_str(fp, "firmware", cc->cc_firmware);
	conf_print_str(fp, "ramdisk", cc->cc_ramdisk);
	conf_print_str(fp, "cmdline", cc->cc_cmdline);
	config_addr(&cc->cc_addr, s, sizeof(s));
	fprintf(fp, "\taddress %s\n", s);
	config_addr(&cc->cc_hostaddr, s, sizeof(s));
	fprintf(fp, "\thost address %s\n", s);
	lladdr_print(cc->cc_lladdr, s, sizeof(s));
	fprintf(fp, "\tlladdr %s\n", s);
	if (cc->cc_conslog != NULL)
		conf_print_str(fp, "console log", cc->cc_conslog);
	else
		fputs("\tconsole log none\n", fp);
	fprintf(fp, "\tboot on start %s\n", cc->cc_boot ? "yes" : "no");
	fprintf(fp, "\treboot on crash %s\n", cc->cc_crashboot ? "yes" :
	    "no");
	for (i = 0; i < cc->cc_ndisks; i++) {
		fputs("\tdisk ", fp);
		conf_print_quoted(fp, cc->cc_disks[i].d_path);
		fputs(cc->cc_disks[i].d_readonly ? " readonly\n" : "\n", fp);
	}
	fputs("}\n", fp);
}

/*
 * Print the configuration in its canonical form: the default block, then
 * each card of the file with every setting resolved.
 */
void
config_print(FILE *fp, const struct config *cf)
{
	int i;

	conf_print_default(fp, &cf->cf_default);
	for (i = 0; i < MICD_UNITS; i++) {
		if (cf->cf_cards[i] == NULL || cf->cf_cards[i]->cc_line == 0)
			continue;
		fputc('\n', fp);
		config_print_card(fp, cf->cf_cards[i]);
	}
}
