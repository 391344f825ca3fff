/* SPDX-License-Identifier: BSD-2-Clause */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "fakesysfs.h"
#include "mic.h"

ATF_TC(root);
ATF_TC_HEAD(root, tc)
{
	atf_tc_set_md_var(tc, "descr", "the class directory is MIC_SYSFS_ROOT, "
	    "/sys/class/mic if it is unset or empty");
}
ATF_TC_BODY(root, tc)
{
	ATF_REQUIRE(unsetenv("MIC_SYSFS_ROOT") == 0);
	ATF_CHECK_STREQ(mic_sysfs_root(), "/sys/class/mic");
	ATF_REQUIRE(setenv("MIC_SYSFS_ROOT", "", 1) == 0);
	ATF_CHECK_STREQ(mic_sysfs_root(), "/sys/class/mic");
	ATF_REQUIRE(setenv("MIC_SYSFS_ROOT", "/tmp/x", 1) == 0);
	ATF_CHECK_STREQ(mic_sysfs_root(), "/tmp/x");
}

ATF_TC(path);
ATF_TC_HEAD(path, tc)
{
	atf_tc_set_md_var(tc, "descr", "mic_sysfs_path() names a card's "
	    "directory or one of its attributes");
}
ATF_TC_BODY(path, tc)
{
	char buf[64];

	ATF_REQUIRE(setenv("MIC_SYSFS_ROOT", "/r", 1) == 0);
	ATF_REQUIRE(mic_sysfs_path("mic2", NULL, buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "/r/mic2");
	ATF_REQUIRE(mic_sysfs_path("mic2", "state", buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "/r/mic2/state");
	ATF_REQUIRE(mic_sysfs_path("mic2", "state", buf, 14) == 0);
	errno = 0;
	ATF_CHECK(mic_sysfs_path("mic2", "state", buf, 13) == -1 &&
	    errno == ENAMETOOLONG);
}

ATF_TC(path_invalid);
ATF_TC_HEAD(path_invalid, tc)
{
	atf_tc_set_md_var(tc, "descr", "a bad card name, or an attribute name "
	    "that is not one path component, is EINVAL");
}
ATF_TC_BODY(path_invalid, tc)
{
	static const char *const bad[] = { "", ".", "..", "a/b", "/state" };
	char buf[64];
	size_t i;

	errno = 0;
	ATF_CHECK(mic_sysfs_path("../etc", NULL, buf, sizeof(buf)) == -1 &&
	    errno == EINVAL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ATF_CHECK_MSG(mic_sysfs_path("mic0", bad[i], buf,
		    sizeof(buf)) == -1 && errno == EINVAL, "\"%s\" taken",
		    bad[i]);
	}
}

ATF_TC(read);
ATF_TC_HEAD(read, tc)
{
	atf_tc_set_md_var(tc, "descr", "a read strips one trailing newline, "
	    "and only one");
}
ATF_TC_BODY(read, tc)
{
	char buf[64];

	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	ATF_REQUIRE(mic_sysfs_read("mic0", "state", buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "ready");
	fakesysfs_put("mic0", "cmdline", "quiet");
	ATF_REQUIRE(mic_sysfs_read("mic0", "cmdline", buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "quiet");
	fakesysfs_put("mic0", "cmdline", "a b\n\n");
	ATF_REQUIRE(mic_sysfs_read("mic0", "cmdline", buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "a b\n");
	fakesysfs_put("mic0", "cmdline", "\n");
	ATF_REQUIRE(mic_sysfs_read("mic0", "cmdline", buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "");
	fakesysfs_put("mic0", "cmdline", "");
	ATF_REQUIRE(mic_sysfs_read("mic0", "cmdline", buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "");
}

ATF_TC(read_page);
ATF_TC_HEAD(read_page, tc)
{
	atf_tc_set_md_var(tc, "descr", "a value as long as a sysfs page fits "
	    "in MIC_ATTR_MAX");
}
ATF_TC_BODY(read_page, tc)
{
	char text[MIC_ATTR_MAX], buf[MIC_ATTR_MAX];

	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	fakesysfs_put("mic0", "cmdline", text);
	ATF_REQUIRE(mic_sysfs_read("mic0", "cmdline", buf, sizeof(buf)) == 0);
	ATF_CHECK_EQ(strlen(buf), MIC_ATTR_MAX - 1);
	text[sizeof(text) - 2] = '\n';
	fakesysfs_put("mic0", "cmdline", text);
	ATF_REQUIRE(mic_sysfs_read("mic0", "cmdline", buf, sizeof(buf)) == 0);
	ATF_CHECK_EQ(strlen(buf), MIC_ATTR_MAX - 2);
}

ATF_TC(read_overflow);
ATF_TC_HEAD(read_overflow, tc)
{
	atf_tc_set_md_var(tc, "descr", "a value that does not fit the buffer "
	    "is EOVERFLOW; one that just fits is read");
}
ATF_TC_BODY(read_overflow, tc)
{
	char buf[8];

	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	fakesysfs_put("mic0", "cmdline", "1234567");
	ATF_REQUIRE(mic_sysfs_read("mic0", "cmdline", buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "1234567");
	fakesysfs_put("mic0", "cmdline", "12345678");
	errno = 0;
	ATF_CHECK(mic_sysfs_read("mic0", "cmdline", buf, sizeof(buf)) == -1 &&
	    errno == EOVERFLOW);
	errno = 0;
	ATF_CHECK(mic_sysfs_read("mic0", "cmdline", buf, 0) == -1 &&
	    errno == EINVAL);
}

ATF_TC(read_missing);
ATF_TC_HEAD(read_missing, tc)
{
	atf_tc_set_md_var(tc, "descr", "reading a missing attribute, or one "
	    "of a missing card, is ENOENT");
}
ATF_TC_BODY(read_missing, tc)
{
	char buf[64];

	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	errno = 0;
	ATF_CHECK(mic_sysfs_read("mic0", "ipaddr", buf, sizeof(buf)) == -1 &&
	    errno == ENOENT);
	errno = 0;
	ATF_CHECK(mic_sysfs_read("mic1", "state", buf, sizeof(buf)) == -1 &&
	    errno == ENOENT);
}

ATF_TC(read_unreadable);
ATF_TC_HEAD(read_unreadable, tc)
{
	atf_tc_set_md_var(tc, "descr", "an attribute that cannot be read (a "
	    "directory, a dangling link) is an error");
}
ATF_TC_BODY(read_unreadable, tc)
{
	char buf[64];

	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	ATF_REQUIRE(mkdir("sys/mic0/cmdline", 0755) == 0);
	ATF_REQUIRE(symlink("nowhere", "sys/mic0/ipaddr") == 0);
	errno = 0;
	ATF_CHECK(mic_sysfs_read("mic0", "cmdline", buf, sizeof(buf)) == -1 &&
	    errno == EISDIR);
	errno = 0;
	ATF_CHECK(mic_sysfs_read("mic0", "ipaddr", buf, sizeof(buf)) == -1 &&
	    errno == ENOENT);
	errno = 0;
	ATF_CHECK(mic_sysfs_read("mic0", "../mic0", buf, sizeof(buf)) == -1 &&
	    errno == EINVAL);
}

ATF_TC(readfd_again);
ATF_TC_HEAD(readfd_again, tc)
{
	atf_tc_set_md_var(tc, "descr", "mic_sysfs_readfd() reads from the "
	    "start each time, so an open attribute can be re-read");
}
ATF_TC_BODY(readfd_again, tc)
{
	char buf[64];
	int fd;

	fakesysfs_init();
	fakesysfs_card("mic0", "booting", "nop");
	ATF_REQUIRE((fd = mic_sysfs_open("mic0", "state", O_RDONLY)) != -1);
	ATF_REQUIRE(mic_sysfs_readfd(fd, buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "booting");
	ATF_REQUIRE(mic_sysfs_readfd(fd, buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "booting");
	fakesysfs_put("mic0", "state", "online\n");
	ATF_REQUIRE(mic_sysfs_readfd(fd, buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "online");
	ATF_CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	ATF_REQUIRE(close(fd) == 0);
	errno = 0;
	ATF_CHECK(mic_sysfs_readfd(fd, buf, sizeof(buf)) == -1 &&
	    errno == EBADF);
}

ATF_TC(write);
ATF_TC_HEAD(write, tc)
{
	atf_tc_set_md_var(tc, "descr", "a write replaces the attribute with "
	    "the value and a newline, as echo(1) does");
}
ATF_TC_BODY(write, tc)
{
	char buf[64];

	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	ATF_REQUIRE(mic_sysfs_write("mic0", "state", "boot") == 0);
	fakesysfs_get("mic0", "state", buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "boot\n");
	fakesysfs_put("mic0", "cmdline", "a much longer command line\n");
	ATF_REQUIRE(mic_sysfs_write("mic0", "cmdline", "quiet") == 0);
	fakesysfs_get("mic0", "cmdline", buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "quiet\n");
	ATF_REQUIRE(mic_sysfs_read("mic0", "cmdline", buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "quiet");
}

ATF_TC(write_empty);
ATF_TC_HEAD(write_empty, tc)
{
	atf_tc_set_md_var(tc, "descr", "an empty value is written as a lone "
	    "newline (sysfs ignores an empty write)");
}
ATF_TC_BODY(write_empty, tc)
{
	char buf[64];

	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	fakesysfs_put("mic0", "ipaddr", "172.31.1.1/24\n");
	ATF_REQUIRE(mic_sysfs_write("mic0", "ipaddr", "") == 0);
	fakesysfs_get("mic0", "ipaddr", buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "\n");
}

ATF_TC(write_missing);
ATF_TC_HEAD(write_missing, tc)
{
	atf_tc_set_md_var(tc, "descr", "writing a missing attribute is ENOENT "
	    "and creates nothing");
}
ATF_TC_BODY(write_missing, tc)
{
	struct stat sb;

	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	errno = 0;
	ATF_CHECK(mic_sysfs_write("mic0", "firmware", "x") == -1 &&
	    errno == ENOENT);
	ATF_CHECK(stat("sys/mic0/firmware", &sb) == -1);
	errno = 0;
	ATF_CHECK(mic_sysfs_write("mic3", "state", "boot") == -1 &&
	    errno == ENOENT);
}

ATF_TC(write_errors);
ATF_TC_HEAD(write_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "writing a directory, through a bad "
	    "name, or a value longer than a page fails");
}
ATF_TC_BODY(write_errors, tc)
{
	char big[MIC_ATTR_MAX];

	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	ATF_REQUIRE(mkdir("sys/mic0/cmdline", 0755) == 0);
	errno = 0;
	ATF_CHECK(mic_sysfs_write("mic0", "cmdline", "x") == -1 &&
	    errno == EISDIR);
	errno = 0;
	ATF_CHECK(mic_sysfs_write("mic0", "../state", "x") == -1 &&
	    errno == EINVAL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	errno = 0;
	ATF_CHECK(mic_sysfs_write("mic0", "state", big) == -1 &&
	    errno == EMSGSIZE);
	big[sizeof(big) - 2] = '\0';
	ATF_CHECK(mic_sysfs_write("mic0", "state", big) == 0);
}

ATF_TC(write_device_error);
ATF_TC_HEAD(write_device_error, tc)
{
	atf_tc_set_md_var(tc, "descr", "the errno of a refused write comes "
	    "back to the caller");
}
ATF_TC_BODY(write_device_error, tc)
{
	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	ATF_REQUIRE(unlink("sys/mic0/state") == 0);
	ATF_REQUIRE(symlink("/dev/full", "sys/mic0/state") == 0);
	errno = 0;
	ATF_CHECK(mic_sysfs_write("mic0", "state", "boot") == -1 &&
	    errno == ENOSPC);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, root);
	ATF_TP_ADD_TC(tp, path);
	ATF_TP_ADD_TC(tp, path_invalid);
	ATF_TP_ADD_TC(tp, read);
	ATF_TP_ADD_TC(tp, read_page);
	ATF_TP_ADD_TC(tp, read_overflow);
	ATF_TP_ADD_TC(tp, read_missing);
	ATF_TP_ADD_TC(tp, read_unreadable);
	ATF_TP_ADD_TC(tp, readfd_again);
	ATF_TP_ADD_TC(tp, write);
	ATF_TP_ADD_TC(tp, write_empty);
	ATF_TP_ADD_TC(tp, write_missing);
	ATF_TP_ADD_TC(tp, write_errors);
	ATF_TP_ADD_TC(tp, write_device_error);
	return (atf_no_error());
}
