/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The addresses of micd.conf(5): IPv4 addresses with a prefix length
 * (a.b.c.d/len) and MAC addresses (xx:xx:xx:xx:xx:xx), read and printed,
 * and the network arithmetic that the defaults and the checks need.
 */

#include <stdio.h>
#include <string.h>

#include "mic.h"
#include "micd.h"

static int	addr_num(const char **);
static int	addr_hex(int);

/* A decimal number of 1 to 3 digits without a leading zero, or -1. */
static int
addr_num(const char **pp)
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
int
addr_inet4_parse(const char *s, struct inet4 *ip)
{
	const char *p;
	uint32_t a;
	int i, n, range;

	p = s;
	a = 0;
	range = 0;
	for (i = 0; i < 5; i++) {
		if ((n = addr_num(&p)) == -1 || *p != ".../"[i])
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

uint32_t
addr_inet4_mask(int len)
{
	return (len == 0 ? 0 : 0xffffffffU << (32 - len));
}

/*
 * The default host address for a card address: the other one of a /31,
 * else the last host of the network (.254 of a /24); none for a /32.
 */
struct inet4
addr_inet4_peer(const struct inet4 *ip)
{
	struct inet4 peer;

	peer = *ip;
	if (ip->i_len == 32)
		peer.i_len = 0;
	else if (ip->i_len == 31)
		peer.i_addr ^= 1;
	else if (ip->i_len != 0)
		peer.i_addr = (ip->i_addr | ~addr_inet4_mask(ip->i_len)) - 1;
	return (peer);
}

int
addr_inet4_overlap(const struct inet4 *a, const struct inet4 *b)
{
	int len;

	len = a->i_len < b->i_len ? a->i_len : b->i_len;
	return (((a->i_addr ^ b->i_addr) & addr_inet4_mask(len)) == 0);
}

/* Print an address as a.b.c.d/len, or "none". */
void
addr_inet4_print(const struct inet4 *ip, char *buf, size_t len)
{
	if (ip->i_len == 0) {
		(void)snprintf(buf, len, "none");
		return;
	}
	(void)snprintf(buf, len, "%u.%u.%u.%u/%d", ip->i_addr >> 24,
	    (ip->i_addr >> 16) & 0xff, (ip->i_addr >> 8) & 0xff,
	    ip->i_addr & 0xff, ip->i_len);
}

static int
addr_hex(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

int
addr_lladdr_parse(const char *s, uint8_t *mac)
{
	int i, hi, lo;

	if (strlen(s) != 17)
		return (-1);
	for (i = 0; i < 6; i++, s += 3) {
		hi = addr_hex(s[0]);
		lo = addr_hex(s[1]);
		if (hi == -1 || lo == -1 || (i < 5 && s[2] != ':'))
			return (-1);
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return (0);
}

void
addr_lladdr_print(const uint8_t *mac, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
	    mac[1], mac[2], mac[3], mac[4], mac[5]);
}
