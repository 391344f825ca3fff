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

static void	list_check(const char *const *, size_t);

/* mic_card_list() must give exactly the names in want, in that order. */
static void
list_check(const char *const *want, size_t nwant)
{
	char **names;
	size_t i, n;

	ATF_REQUIRE(mic_card_list(&names, &n) == 0);
	ATF_REQUIRE_EQ(n, nwant);
	for (i = 0; i < n; i++)
		ATF_CHECK_STREQ(names[i], want[i]);
	ATF_CHECK(names[n] == NULL);
	mic_card_list_free(names);
}

ATF_TC(valid);
ATF_TC_HEAD(valid, tc)
{
	atf_tc_set_md_var(tc, "descr", "mic followed by 1 to 9 digits is a "
	    "card name");
}
ATF_TC_BODY(valid, tc)
{
	ATF_CHECK(mic_card_valid("mic0") == 0);
	ATF_CHECK(mic_card_valid("mic10") == 0);
	ATF_CHECK(mic_card_valid("mic255") == 0);
	ATF_CHECK(mic_card_valid("mic123456789") == 0);
}

ATF_TC(invalid);
ATF_TC_HEAD(invalid, tc)
{
	atf_tc_set_md_var(tc, "descr", "anything else is not a card name: "
	    "EINVAL");
}
ATF_TC_BODY(invalid, tc)
{
	static const char *const bad[] = {
		"", "mic", "mic-1", "mic1a", "MIC0", "mic 0", " mic0",
		"mic0/", "mic0/../mic1", "..", "foo", "mic1234567890", "mc0",
		"mic0\n", "mic+1"
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ATF_CHECK_MSG(mic_card_valid(bad[i]) == -1 && errno == EINVAL,
		    "\"%s\" taken as a card name", bad[i]);
	}
	errno = 0;
	ATF_CHECK(mic_card_valid(NULL) == -1 && errno == EINVAL);
}

ATF_TC(unit);
ATF_TC_HEAD(unit, tc)
{
	atf_tc_set_md_var(tc, "descr", "mic_card_unit() gives the number of a "
	    "card name, and fails on anything else");
}
ATF_TC_BODY(unit, tc)
{
	int u;

	ATF_REQUIRE(mic_card_unit("mic0", &u) == 0);
	ATF_CHECK_EQ(u, 0);
	ATF_REQUIRE(mic_card_unit("mic10", &u) == 0);
	ATF_CHECK_EQ(u, 10);
	ATF_REQUIRE(mic_card_unit("mic999999999", &u) == 0);
	ATF_CHECK_EQ(u, 999999999);
	u = -7;
	errno = 0;
	ATF_CHECK(mic_card_unit("micro", &u) == -1 && errno == EINVAL);
	ATF_CHECK_EQ(u, -7);
}

ATF_TC(list_order);
ATF_TC_HEAD(list_order, tc)
{
	atf_tc_set_md_var(tc, "descr", "cards are listed in numeric order: "
	    "mic2 before mic10");
}
ATF_TC_BODY(list_order, tc)
{
	static const char *const want[] = {
		"mic0", "mic1", "mic2", "mic9", "mic10", "mic11", "mic100"
	};

	fakesysfs_init();
	fakesysfs_card("mic10", "ready", "nop");
	fakesysfs_card("mic2", "ready", "nop");
	fakesysfs_card("mic100", "ready", "nop");
	fakesysfs_card("mic0", "ready", "nop");
	fakesysfs_card("mic11", "ready", "nop");
	fakesysfs_card("mic9", "ready", "nop");
	fakesysfs_card("mic1", "ready", "nop");
	list_check(want, sizeof(want) / sizeof(want[0]));
}

ATF_TC(list_ignores);
ATF_TC_HEAD(list_ignores, tc)
{
	atf_tc_set_md_var(tc, "descr", "entries whose name is not a card "
	    "name are not listed");
}
ATF_TC_BODY(list_ignores, tc)
{
	static const char *const want[] = { "mic3", "mic12" };

	fakesysfs_init();
	fakesysfs_card("mic12", "ready", "nop");
	fakesysfs_card("mic3", "ready", "nop");
	ATF_REQUIRE(mkdir("sys/mic", 0755) == 0);
	ATF_REQUIRE(mkdir("sys/mic3a", 0755) == 0);
	ATF_REQUIRE(mkdir("sys/foo", 0755) == 0);
	ATF_REQUIRE(mkdir("sys/mic1234567890", 0755) == 0);
	ATF_REQUIRE(mkdir("sys/.mic4", 0755) == 0);
	ATF_REQUIRE(symlink("mic3", "sys/scif0") == 0);
	list_check(want, sizeof(want) / sizeof(want[0]));
}

ATF_TC(list_links);
ATF_TC_HEAD(list_links, tc)
{
	atf_tc_set_md_var(tc, "descr", "cards that are symbolic links, as in "
	    "sysfs, are listed");
}
ATF_TC_BODY(list_links, tc)
{
	static const char *const want[] = { "mic0", "mic1" };

	fakesysfs_init();
	ATF_REQUIRE(mkdir("devices", 0755) == 0);
	ATF_REQUIRE(mkdir("devices/mic0", 0755) == 0);
	ATF_REQUIRE(mkdir("devices/mic1", 0755) == 0);
	ATF_REQUIRE(symlink("../devices/mic1", "sys/mic1") == 0);
	ATF_REQUIRE(symlink("../devices/mic0", "sys/mic0") == 0);
	list_check(want, sizeof(want) / sizeof(want[0]));
}

ATF_TC(list_empty);
ATF_TC_HEAD(list_empty, tc)
{
	atf_tc_set_md_var(tc, "descr", "an empty class gives an empty, "
	    "NULL-terminated list");
}
ATF_TC_BODY(list_empty, tc)
{
	char **names;
	size_t n;

	fakesysfs_init();
	n = 99;
	ATF_REQUIRE(mic_card_list(&names, &n) == 0);
	ATF_CHECK_EQ(n, 0);
	ATF_REQUIRE(names != NULL);
	ATF_CHECK(names[0] == NULL);
	mic_card_list_free(names);
	ATF_REQUIRE(mic_card_list(&names, NULL) == 0);
	ATF_CHECK(names[0] == NULL);
	mic_card_list_free(names);
}

ATF_TC(list_noroot);
ATF_TC_HEAD(list_noroot, tc)
{
	atf_tc_set_md_var(tc, "descr", "a missing class directory is an "
	    "error: ENOENT; a file in its place: ENOTDIR");
}
ATF_TC_BODY(list_noroot, tc)
{
	char **names;

	ATF_REQUIRE(setenv("MIC_SYSFS_ROOT", "nonexistent", 1) == 0);
	errno = 0;
	ATF_CHECK(mic_card_list(&names, NULL) == -1 && errno == ENOENT);
	ATF_REQUIRE(close(creat("file", 0644)) == 0);
	ATF_REQUIRE(setenv("MIC_SYSFS_ROOT", "file", 1) == 0);
	errno = 0;
	ATF_CHECK(mic_card_list(&names, NULL) == -1 && errno == ENOTDIR);
}

ATF_TC(list_free_null);
ATF_TC_HEAD(list_free_null, tc)
{
	atf_tc_set_md_var(tc, "descr", "mic_card_list_free(NULL) does "
	    "nothing");
}
ATF_TC_BODY(list_free_null, tc)
{
	mic_card_list_free(NULL);
}

ATF_TC(exists);
ATF_TC_HEAD(exists, tc)
{
	atf_tc_set_md_var(tc, "descr", "mic_card_exists() finds a card's "
	    "directory; ENOENT without one, EINVAL for a bad name");
}
ATF_TC_BODY(exists, tc)
{
	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	ATF_REQUIRE(close(creat("sys/mic1", 0644)) == 0);
	ATF_CHECK(mic_card_exists("mic0") == 0);
	errno = 0;
	ATF_CHECK(mic_card_exists("mic7") == -1 && errno == ENOENT);
	errno = 0;
	ATF_CHECK(mic_card_exists("mic1") == -1 && errno == ENOENT);
	errno = 0;
	ATF_CHECK(mic_card_exists("../sys") == -1 && errno == EINVAL);
}

ATF_TC(devpath);
ATF_TC_HEAD(devpath, tc)
{
	atf_tc_set_md_var(tc, "descr", "the character device is below "
	    "MIC_DEV_ROOT, /dev if it is unset or empty");
}
ATF_TC_BODY(devpath, tc)
{
	char buf[64];

	ATF_REQUIRE(unsetenv("MIC_DEV_ROOT") == 0);
	ATF_CHECK_STREQ(mic_card_devroot(), "/dev");
	ATF_REQUIRE(mic_card_devpath("mic3", buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "/dev/mic3");
	ATF_REQUIRE(setenv("MIC_DEV_ROOT", "", 1) == 0);
	ATF_CHECK_STREQ(mic_card_devroot(), "/dev");
	ATF_REQUIRE(setenv("MIC_DEV_ROOT", "/tmp/fake", 1) == 0);
	ATF_CHECK_STREQ(mic_card_devroot(), "/tmp/fake");
	ATF_REQUIRE(mic_card_devpath("mic10", buf, sizeof(buf)) == 0);
	ATF_CHECK_STREQ(buf, "/tmp/fake/mic10");
}

ATF_TC(devpath_errors);
ATF_TC_HEAD(devpath_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "mic_card_devpath(): EINVAL for a bad "
	    "name, ENAMETOOLONG for a short buffer");
}
ATF_TC_BODY(devpath_errors, tc)
{
	char buf[16];

	ATF_REQUIRE(setenv("MIC_DEV_ROOT", "/dev", 1) == 0);
	errno = 0;
	ATF_CHECK(mic_card_devpath("null", buf, sizeof(buf)) == -1 &&
	    errno == EINVAL);
	errno = 0;
	ATF_CHECK(mic_card_devpath("mic0", buf, 9) == -1 &&
	    errno == ENAMETOOLONG);
	ATF_CHECK(mic_card_devpath("mic0", buf, 10) == 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, valid);
	ATF_TP_ADD_TC(tp, invalid);
	ATF_TP_ADD_TC(tp, unit);
	ATF_TP_ADD_TC(tp, list_order);
	ATF_TP_ADD_TC(tp, list_ignores);
	ATF_TP_ADD_TC(tp, list_links);
	ATF_TP_ADD_TC(tp, list_empty);
	ATF_TP_ADD_TC(tp, list_noroot);
	ATF_TP_ADD_TC(tp, list_free_null);
	ATF_TP_ADD_TC(tp, exists);
	ATF_TP_ADD_TC(tp, devpath);
	ATF_TP_ADD_TC(tp, devpath_errors);
	return (atf_no_error());
}
