/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host's end of a card's network: a tap interface with virtio-net
 * headers (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR), its offloads and header
 * size, its address.  Opening the tun device ($MICD_TUN, default
 * /dev/net/tun) and configuring the interface (privileged) are done only
 * here.  These functions return 0 (or a descriptor), or -1 with errno set;
 * the caller logs.
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

#include "mic.h"
#include "micd.h"

#define TAP_TUN		"/dev/net/tun"
#define TAP_TUN_ENV	"MICD_TUN"	/* instead of TAP_TUN */

static int	tap_ifreq(struct ifreq *, const char *);
static void	tap_sin(struct sockaddr *, uint32_t);

static int
tap_ifreq(struct ifreq *ifr, const char *name)
{
	memset(ifr, 0, sizeof(*ifr));
	if (snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", name) >=
	    (int)sizeof(ifr->ifr_name)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	return (0);
}

/*
 * The tap interface name, nonblocking: it exists while the descriptor is
 * open.  (An interface of that name that is not such a tap: EINVAL.)
 */
int
tap_open(const char *name)
{
	struct ifreq ifr;
	const char *path;
	int fd, serrno;

	if (tap_ifreq(&ifr, name) == -1)
		return (-1);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if ((path = getenv(TAP_TUN_ENV)) == NULL || *path == '\0')
		path = TAP_TUN;
	if ((fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)) == -1)
		return (-1);
	if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
		serrno = errno;
		(void)close(fd);
		errno = serrno;
		return (-1);
	}
	return (fd);
}

/*
 * The offloads of the tap (TUN_F_*: what the host may send it) and the
 * size of the virtio-net header before each frame, both ways.
 */
int
tap_offload(int fd, unsigned int offloads, unsigned int hdrlen)
{
	int len;

	len = (int)hdrlen;
	if (ioctl(fd, TUNSETVNETHDRSZ, &len) == -1 ||
	    ioctl(fd, TUNSETOFFLOAD, (unsigned long)offloads) == -1)
		return (-1);
	return (0);
}

static void
tap_sin(struct sockaddr *sa, uint32_t addr)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(addr);
	memcpy(sa, &sin, sizeof(sin));
}

/*
 * Give interface name the address ip (none: remove its address) and
 * bring it up.
 */
int
tap_address(const char *name, const struct inet4 *ip)
{
	struct ifreq ifr;
	int s, serrno, rv;

	if (tap_ifreq(&ifr, name) == -1)
		return (-1);
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	tap_sin(&ifr.ifr_addr, ip->i_len != 0 ? ip->i_addr : 0);
	rv = ioctl(s, SIOCSIFADDR, &ifr);
	if (rv == 0 && ip->i_len != 0) {
		tap_sin(&ifr.ifr_netmask, addr_inet4_mask(ip->i_len));
		rv = ioctl(s, SIOCSIFNETMASK, &ifr);
	}
	if (rv == 0)
		rv = ioctl(s, SIOCGIFFLAGS, &ifr);
	if (rv == 0 && (ifr.ifr_flags & IFF_UP) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rv = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	serrno = errno;
	(void)close(s);
	errno = serrno;
	return (rv);
}
