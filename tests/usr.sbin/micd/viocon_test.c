/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * viocon.c over a fake device: the vio_*() functions here play the card's
 * two rings in memory (COPY_DESC as ABI.md and protocol.md describe it),
 * and card_io_*() record what the backend asks to poll, so that the test
 * runs the pty, the console log and the buffering with no kernel.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <atf-c.h>

#include "mic.h"
#include "micd.h"
#include "fakeio.h"

/* What the card received (its rings are fakecard's). */
static struct {
	struct vio	*f_vio;
	char		 f_got[1 << 16];
	size_t		 f_gotlen;
} fake;

static struct card	 card;
static struct cardconf	 conf;

int
vio_desc(struct vio *v, int type, unsigned int nvq, unsigned int num,
    const uint8_t *feat, size_t featlen, const void *config, size_t conflen)
{
	(void)feat;
	(void)config;
	ATF_CHECK_EQ(type, 3);
	ATF_CHECK_EQ(nvq, 2);
	ATF_CHECK_EQ(num, 128);
	ATF_CHECK_EQ(featlen, 4);
	ATF_CHECK_EQ(conflen, 12);
	fake.f_vio = v;
	return (0);
}

/* The parent opens the console log, as it would for the card process. */
int
priv_open_conslog(struct card *c)
{
	return (viocon_log_file(c->c_conf->cc_conslog));
}

/* Copy iov into a receive buffer of size room, at the end of f_got. */
size_t
card_received(size_t room, struct iovec *iov, size_t iovcnt)
{
	size_t i, n, done;

	for (i = done = 0; i < iovcnt && done < room; i++) {
		n = iov[i].iov_len < room - done ? iov[i].iov_len :
		    room - done;
		memcpy(fake.f_got + fake.f_gotlen + done, iov[i].iov_base, n);
		done += n;
	}
	fake.f_gotlen += done;
	return (done);
}

/*
 * The device is readable, as poll(2) says it (level-triggered): while a
 * transmit chain is there, or a receive buffer that micd does not hold.
 * micd must leave the device idle after a few rounds: no busy loop.
 */
static void
ready(void)
{
	int i;

	for (i = 0; fakecard.open && (fakecard.txhead != fakecard.txtail ||
	    (fakecard.rxhead != fakecard.rxtail && !fakecard.held)); i++) {
		ATF_REQUIRE(i < 100);
		fake.f_vio->v_ready(fake.f_vio);
	}
}

/* Serve the pty master as the poll loop would, until it is idle. */
static void
pump(void)
{
	struct pollfd pfd;
	int i;

	for (i = 0; i < 1000 && fakeio.fd != -1; i++) {
		pfd.fd = fakeio.fd;
		pfd.events = fakeio.events;
		if (poll(&pfd, 1, 0) <= 0 || (pfd.revents & pfd.events) == 0)
			return;
		fakeio.fn(&card, pfd.fd, pfd.revents, fakeio.arg);
	}
}

/* A card process for mic0 with its console log at log, links in run/. */
static void
start(const char *log)
{
	memset(&fake, 0, sizeof(fake));
	fakeio.fd = -1;
	memset(&card, 0, sizeof(card));
	memset(&conf, 0, sizeof(conf));
	(void)snprintf(card.c_name, sizeof(card.c_name), "mic0");
	conf.cc_conslog = log == NULL ? NULL : strdup(log);
	card.c_conf = &conf;
	ATF_REQUIRE(mkdir("run", 0755) == 0 || errno == EEXIST);
	ATF_REQUIRE(setenv("MICD_RUNDIR", "run", 1) == 0);
	viocon_backend.b_init(&card);
	ATF_REQUIRE(fakeio.fd != -1);
	ATF_REQUIRE_EQ(viocon_backend.b_start(&card), 0);
}

static int
attach(void)
{
	int fd;

	fd = open("run/mic0.console", O_RDWR | O_NOCTTY | O_NONBLOCK);
	ATF_REQUIRE(fd != -1);
	return (fd);
}

/* Read what the pty has for a reader, at most len bytes, serving it. */
static size_t
readall(int fd, char *buf, size_t len)
{
	struct pollfd pfd;
	size_t done;
	ssize_t n;

	done = 0;
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		pump();
		if (done == len || poll(&pfd, 1, 200) <= 0 ||
		    (n = read(fd, buf + done, len - done)) <= 0)
			return (done);
		done += (size_t)n;
	}
}

static size_t
filesize(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == -1)
		return (0);
	return ((size_t)sb.st_size);
}

ATF_TC(pty);
ATF_TC_HEAD(pty, tc)
{
	atf_tc_set_md_var(tc, "descr", "the link points to a raw pty slave "
	    "of mode 0600; at exit the pty is closed, and the parent removes "
	    "the link");
}
ATF_TC_BODY(pty, tc)
{
	struct termios t;
	struct stat sb;
	char target[PATH_MAX];
	ssize_t n;
	int fd;

	start(NULL);
	n = readlink("run/mic0.console", target, sizeof(target) - 1);
	ATF_REQUIRE(n > 0);
	target[n] = '\0';
	ATF_CHECK(strncmp(target, "/dev/pts/", 9) == 0);
	fd = attach();
	ATF_REQUIRE(fstat(fd, &sb) == 0);
	ATF_CHECK_EQ(sb.st_mode & 0777, 0600);
	ATF_REQUIRE(tcgetattr(fd, &t) == 0);
	ATF_CHECK((t.c_lflag & (ICANON | ECHO | ISIG)) == 0);
	ATF_CHECK((t.c_oflag & OPOST) == 0);
	viocon_backend.b_stop(&card);
	ATF_CHECK(!fakecard.open);
	viocon_backend.b_exit(&card);
	ATF_CHECK_EQ(fakeio.fd, -1);
	ATF_CHECK(lstat("run/mic0.console", &sb) == 0);
	viocon_unlink("mic0");
	ATF_CHECK(lstat("run/mic0.console", &sb) == -1);
	ATF_CHECK(read(fd, target, 1) <= 0);	/* hung up */
	(void)close(fd);
}

ATF_TC(output);
ATF_TC_HEAD(output, tc)
{
	atf_tc_set_md_var(tc, "descr", "what the card writes reaches the pty "
	    "unchanged and is appended to the console log");
}
ATF_TC_BODY(output, tc)
{
	char buf[256];
	int fd;

	start("log/mic0.console");	/* log/ is created */
	fd = attach();
	card_tx("hello\r\n", 7);
	card_tx("", 0);
	card_tx("\000world", 6);
	ready();
	pump();
	ATF_REQUIRE_EQ(readall(fd, buf, sizeof(buf)), 13);
	ATF_CHECK(memcmp(buf, "hello\r\n\000world", 13) == 0);
	atf_utils_compare_file("log/mic0.console", "hello\r\n");
	ATF_CHECK_EQ(filesize("log/mic0.console"), 13);
	viocon_backend.b_exit(&card);
	(void)close(fd);
}

ATF_TC(input);
ATF_TC_HEAD(input, tc)
{
	atf_tc_set_md_var(tc, "descr", "what is written to the pty waits for "
	    "receive buffers, fills them in order, and when there is nothing "
	    "to send micd holds a buffer");
}
ATF_TC_BODY(input, tc)
{
	int fd;

	start(NULL);
	fd = attach();
	ready();
	ATF_CHECK_EQ(fakecard.holds, 0);		/* no buffer yet */
	card_rx(4);
	ready();
	ATF_CHECK_EQ(fakecard.holds, 1);
	ATF_CHECK(fakecard.held);
	ATF_REQUIRE_EQ(write(fd, "abcdefghij", 10), 10);
	pump();
	ATF_CHECK_EQ(fake.f_gotlen, 4);		/* the held one, filled */
	card_rx(4);
	card_rx(4);
	card_rx(8);
	ready();
	ATF_REQUIRE_EQ(fake.f_gotlen, 10);
	ATF_CHECK(memcmp(fake.f_got, "abcdefghij", 10) == 0);
	ATF_CHECK(fakecard.held);			/* the 8 bytes one */
	ATF_CHECK_EQ(fakeio.events & POLLIN, POLLIN);
	viocon_backend.b_exit(&card);
	(void)close(fd);
}

ATF_TC(input_full);
ATF_TC_HEAD(input_full, tc)
{
	atf_tc_set_md_var(tc, "descr", "with no receive buffers micd keeps "
	    "at most 4 KiB and stops reading the pty; nothing is lost");
}
ATF_TC_BODY(input_full, tc)
{
	static char in[16384];
	size_t i, w;
	ssize_t n;
	int fd;

	start(NULL);
	fd = attach();
	for (i = 0; i < sizeof(in); i++)
		in[i] = (char)(i * 7 + i / 251);
	n = write(fd, in, sizeof(in));
	ATF_REQUIRE(n > 4096);
	w = (size_t)n;
	pump();
	ATF_CHECK_EQ(fakeio.events & POLLIN, 0);	/* full */
	for (i = 0; fake.f_gotlen < sizeof(in); i++) {
		ATF_REQUIRE(i < 1000);
		if (w < sizeof(in) &&
		    (n = write(fd, in + w, sizeof(in) - w)) > 0)
			w += (size_t)n;
		card_rx(1000);
		ready();
		pump();
	}
	ATF_REQUIRE_EQ(fake.f_gotlen, sizeof(in));
	ATF_CHECK(memcmp(fake.f_got, in, sizeof(in)) == 0);
	viocon_backend.b_exit(&card);
	(void)close(fd);
}

ATF_TC(unread);
ATF_TC_HEAD(unread, tc)
{
	atf_tc_set_md_var(tc, "descr", "when nobody reads the pty, the card "
	    "is drained all the same, the log gets everything, and a reader "
	    "that comes later gets the newest output");
}
ATF_TC_BODY(unread, tc)
{
	static char chain[4096], out[1 << 20], got[1 << 20];
	size_t i, j, n, total;
	int fd;

	start("mic0.console");
	total = 0;
	for (i = 0; i < 256; i++) {
		for (j = 0; j < sizeof(chain); j++)
			chain[j] = (char)((total + j) * 31 / 7);
		memcpy(out + total, chain, sizeof(chain));
		total += sizeof(chain);
		card_tx(chain, sizeof(chain));
		if (i % 16 == 15) {
			ready();
			pump();
		}
	}
	ATF_CHECK_EQ(fakecard.txhead, fakecard.txtail);	/* all drained */
	ATF_CHECK_EQ(filesize("mic0.console"), total);
	fd = attach();
	pump();
	n = readall(fd, got, sizeof(got));
	ATF_REQUIRE(n >= 65536);
	ATF_CHECK(n < total);
	ATF_CHECK(memcmp(got + n - 65536, out + total - 65536, 65536) == 0);
	viocon_backend.b_exit(&card);
	(void)close(fd);
}

ATF_TC(stopped);
ATF_TC_HEAD(stopped, tc)
{
	atf_tc_set_md_var(tc, "descr", "while the card is down the pty stays, "
	    "and what is typed to it is dropped; a new log is opened at the "
	    "next boot and when the setting changes");
}
ATF_TC_BODY(stopped, tc)
{
	struct cardconf old;
	char buf[16];
	int fd;

	start("one");
	fd = attach();
	card_tx("1", 1);
	ready();
	viocon_backend.b_stop(&card);
	ATF_REQUIRE_EQ(write(fd, "lost", 4), 4);
	pump();
	ATF_CHECK(access("run/mic0.console", F_OK) == 0);
	ATF_REQUIRE_EQ(viocon_backend.b_start(&card), 0);
	ATF_CHECK_EQ(fakecard.opens, 2);
	card_rx(16);
	ready();
	ATF_CHECK_EQ(fake.f_gotlen, 0);
	ATF_REQUIRE(rename("one", "one.0") == 0);	/* rotated */
	card_tx("2", 1);
	ready();
	old = conf;
	conf.cc_conslog = strdup("two");
	viocon_backend.b_config(&card, &old);
	card_tx("3", 1);
	ready();
	pump();
	atf_utils_compare_file("one.0", "1");
	atf_utils_compare_file("one", "2");
	atf_utils_compare_file("two", "3");
	ATF_CHECK_EQ(readall(fd, buf, sizeof(buf)), 3);
	viocon_backend.b_exit(&card);
	(void)close(fd);
}

ATF_TC(stale);
ATF_TC_HEAD(stale, tc)
{
	atf_tc_set_md_var(tc, "descr", "a transmit chain with writable "
	    "buffers after its text gets zeros there, never the card's "
	    "earlier output");
}
ATF_TC_BODY(stale, tc)
{
	static char pat[60000];
	size_t i;

	start(NULL);
	memset(pat, 0xa5, sizeof(pat));
	card_tx(pat, sizeof(pat));
	card_tx_back("x", 1, 50000);
	card_tx_back("", 0, 10000);
	ready();
	ATF_REQUIRE_EQ(fakecard.backlen, 60000);
	i = card_back_nonzero();
	ATF_CHECK_EQ_MSG(i, fakecard.backlen, "byte %zu is not zero", i);
	viocon_backend.b_exit(&card);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, pty);
	ATF_TP_ADD_TC(tp, output);
	ATF_TP_ADD_TC(tp, input);
	ATF_TP_ADD_TC(tp, input_full);
	ATF_TP_ADD_TC(tp, unread);
	ATF_TP_ADD_TC(tp, stopped);
	ATF_TP_ADD_TC(tp, stale);
	return (atf_no_error());
}
