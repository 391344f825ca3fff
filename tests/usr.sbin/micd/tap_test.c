/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tap.c against the kernel's tun driver (root and /dev/net/tun needed,
 * else skipped): the interface micd makes for a card, its flags, header
 * size, offloads and address, and that it goes when micd closes it.  The
 * interfaces are named mictN and get addresses of 198.18.0.0/15 (set
 * aside for tests); nothing is left behind.
 */

#include <sys/ioctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_tun.h>

#include <atf-c.h>

#include "mic.h"
#include "micd.h"

static char	name[IFNAMSIZ];

/* A tap of a name of this process, or skip the case. */
static int
tap(void)
{
	int fd;

	if (geteuid() != 0 || access("/dev/net/tun", R_OK | W_OK) == -1)
		atf_tc_skip("needs root and /dev/net/tun");
	(void)snprintf(name, sizeof(name), "mict%d", (int)getpid() % 100000);
	fd = tap_open(name);
	if (fd == -1 && errno == EPERM)
		atf_tc_skip("no CAP_NET_ADMIN here");
	ATF_REQUIRE_MSG(fd != -1, "tap_open: %s", strerror(errno));
	return (fd);
}

static int
ifindex(void)
{
	return ((int)if_nametoindex(name));
}

static uint32_t
ifaddr(int s, unsigned long req)
{
	struct sockaddr_in sin;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	(void)snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(s, req, &ifr) == -1)
		return (0);
	memcpy(&sin, &ifr.ifr_addr, sizeof(sin));
	return (ntohl(sin.sin_addr.s_addr));
}

ATF_TC(open);
ATF_TC_HEAD(open, tc)
{
	atf_tc_set_md_var(tc, "descr", "a tap of the name, without packet "
	    "information, with virtio-net headers, nonblocking; it goes "
	    "with the descriptor");
}
ATF_TC_BODY(open, tc)
{
	struct ifreq ifr;
	char buf[100];
	int fd;

	fd = tap();
	ATF_CHECK(ifindex() != 0);
	memset(&ifr, 0, sizeof(ifr));
	ATF_REQUIRE(ioctl(fd, TUNGETIFF, &ifr) == 0);
	ATF_CHECK_STREQ(ifr.ifr_name, name);
	ATF_CHECK_EQ(ifr.ifr_flags & (IFF_TAP | IFF_TUN | IFF_NO_PI |
	    IFF_VNET_HDR), IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
	ATF_CHECK_EQ(read(fd, buf, sizeof(buf)), -1);
	ATF_CHECK_EQ(errno, EAGAIN);
	ATF_REQUIRE(close(fd) == 0);
	ATF_CHECK_EQ(ifindex(), 0);
}

ATF_TC(offload);
ATF_TC_HEAD(offload, tc)
{
	atf_tc_set_md_var(tc, "descr", "header size 10 or 12; checksum and "
	    "TSO offloads; TSO without the checksum is refused");
}
ATF_TC_BODY(offload, tc)
{
	int fd, len;

	fd = tap();
	ATF_CHECK_EQ(tap_offload(fd, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6,
	    12), 0);
	ATF_REQUIRE(ioctl(fd, TUNGETVNETHDRSZ, &len) == 0);
	ATF_CHECK_EQ(len, 12);
	ATF_CHECK_EQ(tap_offload(fd, 0, 10), 0);
	ATF_REQUIRE(ioctl(fd, TUNGETVNETHDRSZ, &len) == 0);
	ATF_CHECK_EQ(len, 10);
	ATF_CHECK_EQ(tap_offload(fd, TUN_F_TSO4, 10), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	(void)close(fd);
}

ATF_TC(address);
ATF_TC_HEAD(address, tc)
{
	atf_tc_set_md_var(tc, "descr", "the address and netmask are set, "
	    "the interface is up; a new address replaces it; none removes it");
}
ATF_TC_BODY(address, tc)
{
	struct inet4 ip;
	struct ifreq ifr;
	int fd, s;

	fd = tap();
	ATF_REQUIRE((s = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	ATF_REQUIRE(addr_inet4_parse("198.18.77.254/24", &ip) == 0);
	ATF_REQUIRE_MSG(tap_address(name, &ip) == 0, "%s", strerror(errno));
	ATF_CHECK_EQ(ifaddr(s, SIOCGIFADDR), 0xc6124dfeU);
	ATF_CHECK_EQ(ifaddr(s, SIOCGIFNETMASK), 0xffffff00U);
	memset(&ifr, 0, sizeof(ifr));
	(void)snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ATF_REQUIRE(ioctl(s, SIOCGIFFLAGS, &ifr) == 0);
	ATF_CHECK((ifr.ifr_flags & IFF_UP) != 0);
	ATF_REQUIRE(addr_inet4_parse("198.19.1.1/30", &ip) == 0);
	ATF_REQUIRE(tap_address(name, &ip) == 0);
	ATF_CHECK_EQ(ifaddr(s, SIOCGIFADDR), 0xc6130101U);
	ATF_CHECK_EQ(ifaddr(s, SIOCGIFNETMASK), 0xfffffffcU);
	ip.i_len = 0;
	ATF_REQUIRE(tap_address(name, &ip) == 0);
	ATF_CHECK_EQ(ifaddr(s, SIOCGIFADDR), 0);
	(void)close(s);
	(void)close(fd);
}

ATF_TC(tun_env);
ATF_TC_HEAD(tun_env, tc)
{
	atf_tc_set_md_var(tc, "descr", "MICD_TUN names the tun device; a "
	    "missing one fails with ENOENT");
}
ATF_TC_BODY(tun_env, tc)
{
	ATF_REQUIRE(setenv("MICD_TUN", "nonexistent", 1) == 0);
	ATF_CHECK_EQ(tap_open("mict0"), -1);
	ATF_CHECK_EQ(errno, ENOENT);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, open);
	ATF_TP_ADD_TC(tp, offload);
	ATF_TP_ADD_TC(tp, address);
	ATF_TP_ADD_TC(tp, tun_env);
	return (atf_no_error());
}
