/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micd.conf(5): the lexer.  It cuts the text into words, quoted strings,
 * braces and newlines, each with its line, and logs errors as
 * "file:line: message", counting them: parsing goes on at the next line,
 * so that one run shows them all.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mic.h"
#include "micd.h"

static void		 lex_skipspace(struct lex *);
static int		 lex_isword(int);
static enum tok		 lex_word(struct lex *);
static enum tok		 lex_string(struct lex *);
static int		 lex_strchar(struct lex *, int, int);
static const char	*lex_desc(struct lex *, char *, size_t);

/* A lexer of the len bytes at buf, named name in messages; free() it. */
struct lex *
lex_new(const char *name, const char *buf, size_t len)
{
	struct lex *l;

	l = config_calloc(sizeof(*l));
	l->l_name = name;
	l->l_p = buf;
	l->l_end = buf + len;
	l->l_line = 1;
	return (l);
}

/* Log "file:line: message"; count it; return -1. */
int
lex_error_at(struct lex *l, int line, const char *fmt, ...)
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

void
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

enum tok
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

/* The current token is not what was wanted; -1. */
int
lex_unexpected(struct lex *l, const char *want)
{
	char buf[128];

	if (l->l_tok == TOK_ERROR)
		return (-1);
	return (lex_error(l, "expected %s, got %s", want,
	    lex_desc(l, buf, sizeof(buf))));
}

/* The next token is tok; else it is not what was wanted (what); -1. */
int
lex_expect(struct lex *l, enum tok tok, const char *what)
{
	if (lex_next(l) == tok)
		return (0);
	return (lex_unexpected(l, what));
}
