/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micctl status: a table with a header, or one JSON object per card.
 */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mic.h"
#include "micctl.h"

#define STATUS_NCOL	5	/* the name, then status_attrs */

static const char *const status_attrs[STATUS_NCOL] = {
	"name", "family", "stepping", "state", "shutdown_status"
};

static const char *const status_heads[STATUS_NCOL] = {
	"NAME", "FAMILY", "STEPPING", "STATE", "SHUTDOWN_STATUS"
};

static void	status_read(struct card *, char **);
static void	status_free(char **);
static void	status_cell(const char *, size_t, size_t);
static void	status_json_string(const char *);

/* Read the columns of card c; an attribute that cannot be read is NULL. */
static void
status_read(struct card *c, char **cols)
{
	char buf[MIC_ATTR_MAX];
	int i;

	if ((cols[0] = strdup(c->c_name)) == NULL)
		err(1, "status");
	for (i = 1; i < STATUS_NCOL; i++) {
		cols[i] = NULL;
		if (card_attr(c, "status", status_attrs[i], buf,
		    sizeof(buf)) == 0 && (cols[i] = strdup(buf)) == NULL)
			err(1, "status");
	}
}

static void
status_free(char **cols)
{
	int i;

	for (i = 0; i < STATUS_NCOL; i++)
		free(cols[i]);
}

/* Print cell s of column col, width wide; the last column ends the line. */
static void
status_cell(const char *s, size_t width, size_t col)
{
	if (col + 1 < STATUS_NCOL)
		printf("%-*s ", (int)width, s);
	else
		printf("%s\n", s);
}

/*
 * Print the header and a row for every card that exists, columns aligned
 * to their widest value; "-" for a value that cannot be read.
 */
void
status_table(struct card *cards, size_t n)
{
	char *(*rows)[STATUS_NCOL];
	size_t w[STATUS_NCOL], i, j, len;

	if ((rows = calloc(n + 1, sizeof(*rows))) == NULL)
		err(1, "status");
	for (j = 0; j < STATUS_NCOL; j++)
		w[j] = strlen(status_heads[j]);
	for (i = 0; i < n; i++) {
		if (cards[i].c_failed)
			continue;
		status_read(&cards[i], rows[i]);
		for (j = 0; j < STATUS_NCOL; j++) {
			len = rows[i][j] != NULL ? strlen(rows[i][j]) : 1;
			w[j] = len > w[j] ? len : w[j];
		}
	}
	for (j = 0; j < STATUS_NCOL; j++)
		status_cell(status_heads[j], w[j], j);
	for (i = 0; i < n; i++) {
		if (rows[i][0] == NULL)
			continue;
		for (j = 0; j < STATUS_NCOL; j++)
			status_cell(rows[i][j] != NULL ? rows[i][j] : "-", w[j],
			    j);
		status_free(rows[i]);
	}
	free(rows);
}

/* Print s as a JSON string. */
static void
status_json_string(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			printf("\\n");
		else if (*p == '\t')
			printf("\\t");
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

/*
 * Print one JSON object per line for every card that exists, its keys the
 * attribute names; null for a value that cannot be read.
 */
void
status_json(struct card *cards, size_t n)
{
	char *cols[STATUS_NCOL];
	size_t i;
	int j;

	for (i = 0; i < n; i++) {
		if (cards[i].c_failed)
			continue;
		status_read(&cards[i], cols);
		for (j = 0; j < STATUS_NCOL; j++) {
			printf("%s\"%s\":", j == 0 ? "{" : ",",
			    status_attrs[j]);
			if (cols[j] != NULL)
				status_json_string(cols[j]);
			else
				printf("null");
		}
		printf("}\n");
		status_free(cols);
	}
}
