/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micd.conf(5): the parser.  The file holds global settings (user), a
 * default block and card blocks; each block holds settings, one a line,
 * whose values setting.c reads.  After an error the parser goes on at the
 * next line, past a whole block if one opens on the line.
 */

#include <stdlib.h>
#include <string.h>

#include "mic.h"
#include "micd.h"

static void	parse_user(struct lex *, struct config *);
static void	parse_default(struct lex *, struct config *);
static void	parse_card(struct lex *, struct config *);
static int	parse_cardname(struct lex *, struct config *,
		    struct cardconf *);
static void	parse_block(struct lex *, struct cardconf *);
static void	parse_setting(struct lex *, struct cardconf *);
static int	parse_allowed(struct lex *, const struct cardconf *,
		    const struct keyword *, int);
static int	parse_kwrest(struct lex *, const struct keyword *);
static int	parse_eol(struct lex *);
static void	parse_bad(struct lex *, const char *);
static void	parse_skip(struct lex *);

/* The file: global settings, default and card blocks. */
void
parse_file(struct lex *l, struct config *cf)
{
	enum tok tok;

	while ((tok = lex_next(l)) != TOK_EOF) {
		if (tok == TOK_WORD && strcmp(l->l_text, "user") == 0)
			parse_user(l, cf);
		else if (tok == TOK_WORD && strcmp(l->l_text, "card") == 0)
			parse_card(l, cf);
		else if (tok == TOK_WORD && strcmp(l->l_text, "default") == 0)
			parse_default(l, cf);
		else if (tok == TOK_WORD && setting_lookup(l->l_text) != NULL) {
			lex_error(l, "\"%s\" outside a block", l->l_text);
			parse_skip(l);
		} else if (tok == TOK_WORD) {
			lex_error(l, "unknown keyword \"%s\"", l->l_text);
			parse_skip(l);
		} else if (tok == TOK_RBRACE)
			lex_error(l, "\"}\" outside a block");
		else if (tok != TOK_NL)
			parse_bad(l, "\"card\", \"default\" or \"user\"");
	}
}

/* user name: the one user of the card processes. */
static void
parse_user(struct lex *l, struct config *cf)
{
	int line;

	line = l->l_tokline;
	if (cf->cf_userline != 0) {
		lex_error(l, "\"user\" already set at line %d",
		    cf->cf_userline);
		parse_skip(l);
		return;
	}
	if (setting_user(l, cf) == -1 || parse_eol(l) == -1) {
		parse_skip(l);
		return;
	}
	cf->cf_userline = line;
}

/* default { settings }: the one default block. */
static void
parse_default(struct lex *l, struct config *cf)
{
	struct cardconf *cc;
	int line;

	line = l->l_tokline;
	cc = config_calloc(sizeof(*cc));
	cc->cc_unit = -1;
	cc->cc_line = line;
	if (cf->cf_default.cc_line != 0)
		lex_error(l, "default block already defined at line %d",
		    cf->cf_default.cc_line);
	if (lex_next(l) != TOK_LBRACE) {
		parse_bad(l, "\"{\"");
		config_clear_card(cc);
		free(cc);
		return;
	}
	parse_block(l, cc);
	if (cf->cf_default.cc_line != 0) {
		config_clear_card(cc);
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

	cc = config_calloc(sizeof(*cc));
	cc->cc_line = l->l_tokline;
	if ((rv = parse_cardname(l, cf, cc)) == -2 ||
	    lex_next(l) != TOK_LBRACE) {
		if (rv != -2)
			parse_bad(l, "\"{\"");
		config_clear_card(cc);
		free(cc);
		return;
	}
	parse_block(l, cc);
	if (rv == 0) {
		cf->cf_cards[cc->cc_unit] = cc;
		return;
	}
	config_clear_card(cc);
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
	if (strcmp(l->l_text, "user") == 0) {
		lex_error(l, "\"user\" inside a block");
		parse_skip(l);
		return;
	}
	if ((kw = setting_lookup(l->l_text)) == NULL) {
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
		return (lex_error_at(l, line, "\"%s\" is not allowed in the "
		    "default block", kw->k_name));
	if (kw->k_key != CONF_DISK && cc->cc_lines[kw->k_key] != 0)
		return (lex_error_at(l, line, "\"%s\" already set at line %d",
		    kw->k_name, cc->cc_lines[kw->k_key]));
	return (0);
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
			return (lex_unexpected(l, want));
		p += n;
	}
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
		return (lex_unexpected(l, "end of line"));
	}
}

static void
parse_bad(struct lex *l, const char *want)
{
	(void)lex_unexpected(l, want);
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
