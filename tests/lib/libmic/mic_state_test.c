/* SPDX-License-Identifier: BSD-2-Clause */

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>

#include <atf-c.h>

#include "fakesysfs.h"
#include "mic.h"

static const struct {
	enum mic_state	 s;
	const char	*name;
} states[] = {
	{ MIC_STATE_READY,		"ready" },
	{ MIC_STATE_BOOTING,		"booting" },
	{ MIC_STATE_ONLINE,		"online" },
	{ MIC_STATE_SHUTTING_DOWN,	"shutting_down" },
	{ MIC_STATE_RESETTING,		"resetting" },
	{ MIC_STATE_RESET_FAILED,	"reset_failed" }
};
#define NSTATES	(sizeof(states) / sizeof(states[0]))

ATF_TC(names);
ATF_TC_HEAD(names, tc)
{
	atf_tc_set_md_var(tc, "descr", "every state has the name sysfs "
	    "shows for it");
}
ATF_TC_BODY(names, tc)
{
	size_t i;

	ATF_REQUIRE_EQ(NSTATES, MIC_STATE_COUNT);
	for (i = 0; i < NSTATES; i++)
		ATF_CHECK_STREQ(mic_state_name(states[i].s), states[i].name);
}

ATF_TC(names_unknown);
ATF_TC_HEAD(names_unknown, tc)
{
	atf_tc_set_md_var(tc, "descr", "a value that is no state is named "
	    "\"unknown\"");
}
ATF_TC_BODY(names_unknown, tc)
{
	ATF_CHECK_STREQ(mic_state_name(MIC_STATE_UNKNOWN), "unknown");
	ATF_CHECK_STREQ(mic_state_name((enum mic_state)MIC_STATE_COUNT),
	    "unknown");
	ATF_CHECK_STREQ(mic_state_name((enum mic_state)1000), "unknown");
	ATF_CHECK_STREQ(mic_state_name((enum mic_state)-2), "unknown");
}

ATF_TC(parse);
ATF_TC_HEAD(parse, tc)
{
	atf_tc_set_md_var(tc, "descr", "every state name parses to its "
	    "state");
}
ATF_TC_BODY(parse, tc)
{
	enum mic_state s;
	size_t i;

	for (i = 0; i < NSTATES; i++) {
		s = MIC_STATE_UNKNOWN;
		ATF_CHECK(mic_state_parse(states[i].name, &s) == 0);
		ATF_CHECK_EQ(s, states[i].s);
		ATF_CHECK_STREQ(mic_state_name(s), states[i].name);
	}
}

ATF_TC(parse_unknown);
ATF_TC_HEAD(parse_unknown, tc)
{
	atf_tc_set_md_var(tc, "descr", "other text is MIC_STATE_UNKNOWN and "
	    "EINVAL: case, spaces and newlines count");
}
ATF_TC_BODY(parse_unknown, tc)
{
	static const char *const bad[] = {
		"", "unknown", "READY", "ready\n", " online", "online ",
		"shutting-down", "offline", "boot", "reset", "shutdown",
		"suspended"
	};
	enum mic_state s;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = MIC_STATE_READY;
		errno = 0;
		ATF_CHECK_MSG(mic_state_parse(bad[i], &s) == -1 &&
		    errno == EINVAL, "\"%s\" parsed", bad[i]);
		ATF_CHECK_EQ(s, MIC_STATE_UNKNOWN);
	}
}

ATF_TC(mask);
ATF_TC_HEAD(mask, tc)
{
	atf_tc_set_md_var(tc, "descr", "MIC_STATE_MASK() gives every state "
	    "its own bit");
}
ATF_TC_BODY(mask, tc)
{
	unsigned int all;
	size_t i;

	all = 0;
	for (i = 0; i < NSTATES; i++) {
		ATF_CHECK((all & MIC_STATE_MASK(states[i].s)) == 0);
		all |= MIC_STATE_MASK(states[i].s);
	}
	ATF_CHECK_EQ(all, (1U << MIC_STATE_COUNT) - 1);
}

ATF_TC(get);
ATF_TC_HEAD(get, tc)
{
	atf_tc_set_md_var(tc, "descr", "mic_state_get() reads state and "
	    "shutdown_status of a card");
}
ATF_TC_BODY(get, tc)
{
	struct mic_cardstate cs;

	fakesysfs_init();
	fakesysfs_card("mic0", "shutting_down", "crashed");
	fakesysfs_card("mic1", "online", "nop");
	fakesysfs_put("mic1", "state", "online");	/* no newline */
	ATF_REQUIRE(mic_state_get("mic0", &cs) == 0);
	ATF_CHECK_EQ(cs.cs_state, MIC_STATE_SHUTTING_DOWN);
	ATF_CHECK_EQ(cs.cs_shutdown, MIC_SHUTDOWN_CRASHED);
	ATF_REQUIRE(mic_state_get("mic1", &cs) == 0);
	ATF_CHECK_EQ(cs.cs_state, MIC_STATE_ONLINE);
	ATF_CHECK_EQ(cs.cs_shutdown, MIC_SHUTDOWN_NOP);
}

ATF_TC(get_unknown);
ATF_TC_HEAD(get_unknown, tc)
{
	atf_tc_set_md_var(tc, "descr", "mic_state_get() reads unexpected text "
	    "as unknown, without an error");
}
ATF_TC_BODY(get_unknown, tc)
{
	struct mic_cardstate cs;

	fakesysfs_init();
	fakesysfs_card("mic0", "boot", "suspended");
	ATF_REQUIRE(mic_state_get("mic0", &cs) == 0);
	ATF_CHECK_EQ(cs.cs_state, MIC_STATE_UNKNOWN);
	ATF_CHECK_EQ(cs.cs_shutdown, MIC_SHUTDOWN_UNKNOWN);
	fakesysfs_put("mic0", "state", "");
	ATF_REQUIRE(mic_state_get("mic0", &cs) == 0);
	ATF_CHECK_EQ(cs.cs_state, MIC_STATE_UNKNOWN);
}

ATF_TC(get_errors);
ATF_TC_HEAD(get_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "mic_state_get() fails when state or "
	    "shutdown_status cannot be read, or the card does not exist");
}
ATF_TC_BODY(get_errors, tc)
{
	struct mic_cardstate cs;

	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	fakesysfs_card("mic1", "ready", "nop");
	ATF_REQUIRE(unlink("sys/mic0/shutdown_status") == 0);
	ATF_REQUIRE(unlink("sys/mic1/state") == 0);
	ATF_REQUIRE(mkdir("sys/mic1/state", 0755) == 0);
	errno = 0;
	ATF_CHECK(mic_state_get("mic0", &cs) == -1 && errno == ENOENT);
	errno = 0;
	ATF_CHECK(mic_state_get("mic1", &cs) == -1 && errno == EISDIR);
	errno = 0;
	ATF_CHECK(mic_state_get("mic2", &cs) == -1 && errno == ENOENT);
	errno = 0;
	ATF_CHECK(mic_state_get("bogus", &cs) == -1 && errno == EINVAL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, names);
	ATF_TP_ADD_TC(tp, names_unknown);
	ATF_TP_ADD_TC(tp, parse);
	ATF_TP_ADD_TC(tp, parse_unknown);
	ATF_TP_ADD_TC(tp, mask);
	ATF_TP_ADD_TC(tp, get);
	ATF_TP_ADD_TC(tp, get_unknown);
	ATF_TP_ADD_TC(tp, get_errors);
	return (atf_no_error());
}
