/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micd.conf(5) for the rest of micd: load the file, parse it (lex.c,
 * parse.c, setting.c), give each card what it does not set, check the
 * result (check.c), and print the canonical form that micd -n prints and
 * that parses back to itself.
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

static char		*config_printf(const char *, ...)
			    __attribute__((__format__(__printf__, 1, 2)));
static int		 config_read(int, char **, size_t *);
static void		 config_resolve(struct config *);
static void		 config_resolve_card(const struct cardconf *,
			    struct cardconf *);
static void		 config_resolve_net(struct cardconf *);
static void		 config_print_quoted(FILE *, const char *);
static void		 config_print_str(FILE *, const char *, const char *);
static void		 config_print_default(FILE *, const struct cardconf *);

void *
config_calloc(size_t size)
{
	void *p;

	if ((p = calloc(1, size)) == NULL)
		fatal("config");
	return (p);
}

char *
config_strdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		fatal("config");
	return (p);
}

/* A default name or path, made from a card name: it fits. */
static char *
config_printf(const char *fmt, ...)
{
	char buf[MICD_PATHLEN_MAX + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		fatalx("config: \"%s\" too long", fmt);
	return (config_strdup(buf));
}

/* Read at most MICD_CONF_MAX + 1 bytes from fd into *bufp. */
static int
config_read(int fd, char **bufp, size_t *lenp)
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
	rv = config_read(fd, &buf, &len);
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

	cf = config_calloc(sizeof(*cf));
	cf->cf_name = config_strdup(name);
	cf->cf_default.cc_unit = -1;
	l = lex_new(name, buf, len);
	parse_file(l, cf);
	config_resolve(cf);
	check_config(l, cf);
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
			config_clear_card(cf->cf_cards[i]);
			free(cf->cf_cards[i]);
		}
	config_clear_card(&cf->cf_default);
	free(cf->cf_user);
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
	cc = config_calloc(sizeof(*cc));
	(void)snprintf(cc->cc_name, sizeof(cc->cc_name), "mic%d", unit);
	cc->cc_unit = unit;
	config_resolve_card(&cf->cf_default, cc);
	cf->cf_cards[unit] = cc;
	return (cc);
}

/* Free what a card's settings hold, not the settings themselves. */
void
config_clear_card(struct cardconf *cc)
{
	size_t i;

	free(cc->cc_firmware);
	free(cc->cc_ramdisk);
	free(cc->cc_cmdline);
	free(cc->cc_conslog);
	for (i = 0; i < cc->cc_ndisks; i++)
		free(cc->cc_disks[i].d_path);
}

/*
 * Give the default block what it does not set, built in, and each card of
 * the file what it does not set.
 */
static void
config_resolve(struct config *cf)
{
	struct cardconf *def;
	int i;

	if (cf->cf_user == NULL)
		cf->cf_user = config_strdup(MICD_USER);
	def = &cf->cf_default;
	(void)snprintf(def->cc_name, sizeof(def->cc_name), "default");
	def->cc_unit = -1;
	if (def->cc_firmware == NULL)
		def->cc_firmware = config_strdup(MICD_FIRMWARE);
	if (def->cc_cmdline == NULL)
		def->cc_cmdline = config_strdup("");
	if (def->cc_lines[CONF_BOOT] == 0)
		def->cc_boot = 1;
	for (i = 0; i < MICD_UNITS; i++)
		if (cf->cf_cards[i] != NULL)
			config_resolve_card(def, cf->cf_cards[i]);
}

/* Give a card what it does not set: from the default block, or built in. */
static void
config_resolve_card(const struct cardconf *def, struct cardconf *cc)
{
	if (cc->cc_firmware == NULL)
		cc->cc_firmware = config_strdup(def->cc_firmware);
	if (cc->cc_ramdisk == NULL && def->cc_ramdisk != NULL)
		cc->cc_ramdisk = config_strdup(def->cc_ramdisk);
	else if (cc->cc_ramdisk == NULL)
		cc->cc_ramdisk = config_printf("mic/%s.image", cc->cc_name);
	if (cc->cc_cmdline == NULL)
		cc->cc_cmdline = config_strdup(def->cc_cmdline);
	if (cc->cc_lines[CONF_CONSLOG] == 0) {
		free(cc->cc_conslog);
		cc->cc_conslog = config_printf("%s/%s.console", MICD_LOGDIR,
		    cc->cc_name);
	}
	if (cc->cc_lines[CONF_BOOT] == 0)
		cc->cc_boot = def->cc_boot;
	if (cc->cc_lines[CONF_CRASHBOOT] == 0)
		cc->cc_crashboot = def->cc_crashboot;
	config_resolve_net(cc);
}

/*
 * Card N: 172.31.(N+1).1/24 (none from mic254 on), the host the last
 * address of the card's network, MAC address 02:6d:69:63:00:N ("mic").
 */
static void
config_resolve_net(struct cardconf *cc)
{
	uint8_t *mac;

	if (cc->cc_lines[CONF_ADDRESS] == 0 && cc->cc_unit < 254) {
		cc->cc_addr.i_addr = (172U << 24 | 31U << 16 |
		    (uint32_t)(cc->cc_unit + 1) << 8 | 1);
		cc->cc_addr.i_len = 24;
	}
	if (cc->cc_lines[CONF_HOSTADDR] == 0)
		cc->cc_hostaddr = addr_inet4_peer(&cc->cc_addr);
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

/* Print a string in double quotes, as lex_string() reads it. */
static void
config_print_quoted(FILE *fp, const char *s)
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
config_print_str(FILE *fp, const char *key, const char *s)
{
	fprintf(fp, "\t%s ", key);
	config_print_quoted(fp, s);
	fputc('\n', fp);
}

static void
config_print_default(FILE *fp, const struct cardconf *def)
{
	fputs("default {\n", fp);
	config_print_str(fp, "firmware", def->cc_firmware);
	if (def->cc_ramdisk != NULL)
		config_print_str(fp, "ramdisk", def->cc_ramdisk);
	config_print_str(fp, "cmdline", def->cc_cmdline);
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
	config_print_str(fp, "firmware", cc->cc_firmware);
	config_print_str(fp, "ramdisk", cc->cc_ramdisk);
	config_print_str(fp, "cmdline", cc->cc_cmdline);
	addr_inet4_print(&cc->cc_addr, s, sizeof(s));
	fprintf(fp, "\taddress %s\n", s);
	addr_inet4_print(&cc->cc_hostaddr, s, sizeof(s));
	fprintf(fp, "\thost address %s\n", s);
	addr_lladdr_print(cc->cc_lladdr, s, sizeof(s));
	fprintf(fp, "\tlladdr %s\n", s);
	if (cc->cc_conslog != NULL)
		config_print_str(fp, "console log", cc->cc_conslog);
	else
		fputs("\tconsole log none\n", fp);
	fprintf(fp, "\tboot on start %s\n", cc->cc_boot ? "yes" : "no");
	fprintf(fp, "\treboot on crash %s\n", cc->cc_crashboot ? "yes" :
	    "no");
	for (i = 0; i < cc->cc_ndisks; i++) {
		fputs("\tdisk ", fp);
		config_print_quoted(fp, cc->cc_disks[i].d_path);
		fputs(cc->cc_disks[i].d_readonly ? " readonly\n" : "\n", fp);
	}
	fputs("}\n", fp);
}

/*
 * Print the configuration in its canonical form: the user, the default
 * block, then each card of the file with every setting resolved.
 */
void
config_print(FILE *fp, const struct config *cf)
{
	int i;

	fprintf(fp, "user %s\n\n", cf->cf_user);
	config_print_default(fp, &cf->cf_default);
	for (i = 0; i < MICD_UNITS; i++) {
		if (cf->cf_cards[i] == NULL || cf->cf_cards[i]->cc_line == 0)
			continue;
		fputc('\n', fp);
		config_print_card(fp, cf->cf_cards[i]);
	}
}
