/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micd.conf(5): the checks of the resolved settings.  A card's address
 * and host address are two hosts of one network; no two cards share a
 * network, a MAC address, a console log or a disk that one of them writes.
 * An error is logged at the line of the setting, or of the card's block if
 * the setting is a default.
 */

#include <string.h>

#include "mic.h"
#include "micd.h"

static void	check_card(struct lex *, const struct cardconf *);
static void	check_pair(struct lex *, const struct cardconf *,
		    const struct cardconf *);
static void	check_disks(struct lex *, const struct cardconf *,
		    const struct cardconf *);
static int	check_net(const struct cardconf *, struct inet4 *);
static int	check_line(const struct cardconf *, enum conf_key);

/* What one card's settings must agree on, and what no two cards share. */
void
check_config(struct lex *l, const struct config *cf)
{
	int i, j;

	for (i = 0; i < MICD_UNITS; i++) {
		if (cf->cf_cards[i] == NULL)
			continue;
		check_card(l, cf->cf_cards[i]);
		for (j = 0; j < i; j++)
			if (cf->cf_cards[j] != NULL)
				check_pair(l, cf->cf_cards[j], cf->cf_cards[i]);
	}
}

/* The card and the host are two hosts of one network. */
static void
check_card(struct lex *l, const struct cardconf *cc)
{
	const struct inet4 *a, *h;
	char as[INET4_STRLEN], hs[INET4_STRLEN];
	int line;

	a = &cc->cc_addr;
	h = &cc->cc_hostaddr;
	if (a->i_len == 0 || h->i_len == 0)
		return;
	addr_inet4_print(a, as, sizeof(as));
	addr_inet4_print(h, hs, sizeof(hs));
	line = check_line(cc, cc->cc_lines[CONF_HOSTADDR] != 0 ?
	    CONF_HOSTADDR : CONF_ADDRESS);
	if (a->i_len != h->i_len)
		lex_error_at(l, line, "%s: host address %s and address %s have "
		    "different prefix lengths", cc->cc_name, hs, as);
	else if (!addr_inet4_overlap(a, h))
		lex_error_at(l, line, "%s: host address %s is not in the "
		    "network of address %s", cc->cc_name, hs, as);
	else if (a->i_addr == h->i_addr && cc->cc_lines[CONF_HOSTADDR] == 0)
		lex_error_at(l, line, "%s: address %s is the default host "
		    "address: set the host address", cc->cc_name, as);
	else if (a->i_addr == h->i_addr)
		lex_error_at(l, line, "%s: host address and address are both "
		    "%s", cc->cc_name, hs);
}

/* Card b, after card a, shares no network, MAC, log or writable disk. */
static void
check_pair(struct lex *l, const struct cardconf *a,
    const struct cardconf *b)
{
	struct inet4 na, nb;
	char s[INET4_STRLEN];

	if (check_net(a, &na) == 0 && check_net(b, &nb) == 0 &&
	    addr_inet4_overlap(&na, &nb)) {
		addr_inet4_print(&nb, s, sizeof(s));
		lex_error_at(l, check_line(b, b->cc_lines[CONF_ADDRESS] != 0 ?
		    CONF_ADDRESS : CONF_HOSTADDR), "%s: network %s overlaps "
		    "that of %s", b->cc_name, s, a->cc_name);
	}
	if (memcmp(a->cc_lladdr, b->cc_lladdr, sizeof(a->cc_lladdr)) == 0) {
		addr_lladdr_print(b->cc_lladdr, s, sizeof(s));
		lex_error_at(l, check_line(b, CONF_LLADDR), "%s: lladdr %s is "
		    "also that of %s", b->cc_name, s, a->cc_name);
	}
	if (a->cc_conslog != NULL && b->cc_conslog != NULL &&
	    strcmp(a->cc_conslog, b->cc_conslog) == 0)
		lex_error_at(l, check_line(b, CONF_CONSLOG), "%s: console log "
		    "\"%s\" is also that of %s", b->cc_name, b->cc_conslog,
		    a->cc_name);
	check_disks(l, a, b);
}

/* Two cards may share a disk only if both have it readonly. */
static void
check_disks(struct lex *l, const struct cardconf *a,
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
			lex_error_at(l, db->d_line, "%s: disk \"%s\" is also "
			    "that of %s, and not readonly for both",
			    b->cc_name, db->d_path, a->cc_name);
		}
	}
}

/* The network of a card's link: of its host address, else of its own. */
static int
check_net(const struct cardconf *cc, struct inet4 *net)
{
	*net = cc->cc_hostaddr.i_len != 0 ? cc->cc_hostaddr : cc->cc_addr;
	if (net->i_len == 0)
		return (-1);
	net->i_addr &= addr_inet4_mask(net->i_len);
	return (0);
}

/* The line of a card's setting, or of its block if it was not set. */
static int
check_line(const struct cardconf *cc, enum conf_key key)
{
	return (cc->cc_lines[key] != 0 ? cc->cc_lines[key] : cc->cc_line);
}
