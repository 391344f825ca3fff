/* SPDX-License-Identifier: BSD-2-Clause */

#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "mic.h"
#include "micd.h"

/* The queued bytes of b, flattened into buf: their number. */
static size_t
contents(const struct iobuf *b, char *buf)
{
	struct iovec iov[2];
	size_t i, n, len;

	n = iobuf_data(b, iov);
	for (i = len = 0; i < n; i++) {
		memcpy(buf + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	return (len);
}

ATF_TC(wrap);
ATF_TC_HEAD(wrap, tc)
{
	atf_tc_set_md_var(tc, "descr", "bytes come out in order across the "
	    "end of the array, in two iovecs, and the space is the rest");
}
ATF_TC_BODY(wrap, tc)
{
	struct iobuf b;
	struct iovec iov[2];
	char data[8], out[8];

	iobuf_init(&b, data, sizeof(data));
	ATF_CHECK_EQ(iobuf_data(&b, iov), 0);
	ATF_CHECK_EQ(iobuf_space(&b, iov), 1);
	ATF_CHECK_EQ(iov[0].iov_len, 8);
	ATF_CHECK_EQ(iobuf_put(&b, "abcdef", 6), 0);
	iobuf_consume(&b, 4);
	ATF_CHECK_EQ(iobuf_put(&b, "ghijk", 5), 0);
	ATF_CHECK_EQ(iobuf_len(&b), 7);
	ATF_CHECK_EQ(iobuf_room(&b), 1);
	ATF_CHECK_EQ(iobuf_data(&b, iov), 2);
	ATF_CHECK_EQ(iov[0].iov_len, 4);
	ATF_CHECK_EQ(iov[1].iov_len, 3);
	ATF_CHECK_EQ(iobuf_space(&b, iov), 1);
	ATF_CHECK_EQ(iov[0].iov_base, data + 3);
	ATF_CHECK_EQ(contents(&b, out), 7);
	ATF_CHECK(memcmp(out, "efghijk", 7) == 0);
	iobuf_consume(&b, 7);
	ATF_CHECK_EQ(iobuf_len(&b), 0);
	ATF_CHECK_EQ(iobuf_space(&b, iov), 1);	/* empty: from the start */
	ATF_CHECK_EQ(iov[0].iov_len, 8);
}

ATF_TC(drop);
ATF_TC_HEAD(drop, tc)
{
	atf_tc_set_md_var(tc, "descr", "iobuf_put() makes room by dropping "
	    "the oldest bytes, queued first, then the oldest of its own, and "
	    "counts them");
}
ATF_TC_BODY(drop, tc)
{
	struct iobuf b;
	char data[8], out[8];

	iobuf_init(&b, data, sizeof(data));
	ATF_CHECK_EQ(iobuf_put(&b, "abcdef", 6), 0);
	ATF_CHECK_EQ(iobuf_put(&b, "123", 3), 1);
	ATF_CHECK_EQ(contents(&b, out), 8);
	ATF_CHECK(memcmp(out, "bcdef123", 8) == 0);
	ATF_CHECK_EQ(iobuf_put(&b, "0123456789", 10), 10);
	ATF_CHECK_EQ(contents(&b, out), 8);
	ATF_CHECK(memcmp(out, "23456789", 8) == 0);
	ATF_CHECK_EQ(b.b_dropped, 11);
	iobuf_clear(&b);
	ATF_CHECK_EQ(iobuf_len(&b), 0);
	ATF_CHECK_EQ(iobuf_put(&b, "", 0), 0);
	ATF_CHECK_EQ(iobuf_len(&b), 0);
}

ATF_TC(io);
ATF_TC_HEAD(io, tc)
{
	atf_tc_set_md_var(tc, "descr", "iobuf_read() fills the free space "
	    "and stops when full; iobuf_write() writes what it can and keeps "
	    "the rest, and a nonblocking descriptor that takes nothing says "
	    "EAGAIN");
}
ATF_TC_BODY(io, tc)
{
	struct iobuf b;
	char data[8], out[16];
	int p[2];

	iobuf_init(&b, data, sizeof(data));
	ATF_REQUIRE(pipe(p) == 0);
	ATF_REQUIRE(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0);
	ATF_REQUIRE(fcntl(p[1], F_SETFL, O_NONBLOCK) == 0);
	ATF_REQUIRE_EQ(iobuf_read(&b, p[0]), -1);
	ATF_CHECK_EQ(errno, EAGAIN);
	ATF_REQUIRE_EQ(write(p[1], "abcdef", 6), 6);
	ATF_CHECK_EQ(iobuf_read(&b, p[0]), 6);
	iobuf_consume(&b, 5);
	ATF_REQUIRE_EQ(write(p[1], "0123456789", 10), 10);
	ATF_CHECK_EQ(iobuf_read(&b, p[0]), 7);	/* wraps: two iovecs */
	ATF_CHECK_EQ(iobuf_read(&b, p[0]), 0);	/* full */
	ATF_CHECK_EQ(iobuf_write(&b, p[1]), 8);
	ATF_CHECK_EQ(iobuf_len(&b), 0);
	ATF_REQUIRE_EQ(read(p[0], out, sizeof(out)), 11);
	ATF_CHECK(memcmp(out, "789f0123456", 11) == 0);
	ATF_CHECK_EQ(iobuf_write(&b, p[1]), 0);
	(void)close(p[0]);
	(void)close(p[1]);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, wrap);
	ATF_TP_ADD_TC(tp, drop);
	ATF_TP_ADD_TC(tp, io);
	return (atf_no_error());
}
