/* SPDX-License-Identifier: BSD-2-Clause */

#include <errno.h>

#include <atf-c.h>

#include "mic.h"

static const struct {
	enum mic_shutdown	 s;
	const char		*name;
} statuses[] = {
	{ MIC_SHUTDOWN_NOP,		"nop" },
	{ MIC_SHUTDOWN_CRASHED,		"crashed" },
	{ MIC_SHUTDOWN_HALTED,		"halted" },
	{ MIC_SHUTDOWN_POWEROFF,	"poweroff" },
	{ MIC_SHUTDOWN_RESTART,		"restart" },
	{ MIC_SHUTDOWN_LOST,		"lost" }
};
#define NSTATUSES	(sizeof(statuses) / sizeof(statuses[0]))

ATF_TC(names);
ATF_TC_HEAD(names, tc)
{
	atf_tc_set_md_var(tc, "descr", "every shutdown_status has the name "
	    "sysfs shows for it");
}
ATF_TC_BODY(names, tc)
{
	size_t i;

	ATF_REQUIRE_EQ(NSTATUSES, MIC_SHUTDOWN_COUNT);
	for (i = 0; i < NSTATUSES; i++)
		ATF_CHECK_STREQ(mic_shutdown_name(statuses[i].s),
		    statuses[i].name);
}

ATF_TC(abi_values);
ATF_TC_HEAD(abi_values, tc)
{
	atf_tc_set_md_var(tc, "descr", "the values are those of mic_status "
	    "in the device page: nop 0 to restart 4");
}
ATF_TC_BODY(abi_values, tc)
{
	ATF_CHECK_EQ(MIC_SHUTDOWN_NOP, 0);
	ATF_CHECK_EQ(MIC_SHUTDOWN_CRASHED, 1);
	ATF_CHECK_EQ(MIC_SHUTDOWN_HALTED, 2);
	ATF_CHECK_EQ(MIC_SHUTDOWN_POWEROFF, 3);
	ATF_CHECK_EQ(MIC_SHUTDOWN_RESTART, 4);
}

ATF_TC(names_unknown);
ATF_TC_HEAD(names_unknown, tc)
{
	atf_tc_set_md_var(tc, "descr", "a value that is no status is named "
	    "\"unknown\"");
}
ATF_TC_BODY(names_unknown, tc)
{
	ATF_CHECK_STREQ(mic_shutdown_name(MIC_SHUTDOWN_UNKNOWN), "unknown");
	ATF_CHECK_STREQ(mic_shutdown_name(
	    (enum mic_shutdown)MIC_SHUTDOWN_COUNT), "unknown");
	ATF_CHECK_STREQ(mic_shutdown_name((enum mic_shutdown)255), "unknown");
}

ATF_TC(parse);
ATF_TC_HEAD(parse, tc)
{
	atf_tc_set_md_var(tc, "descr", "every status name parses to its "
	    "value");
}
ATF_TC_BODY(parse, tc)
{
	enum mic_shutdown s;
	size_t i;

	for (i = 0; i < NSTATUSES; i++) {
		s = MIC_SHUTDOWN_UNKNOWN;
		ATF_CHECK(mic_shutdown_parse(statuses[i].name, &s) == 0);
		ATF_CHECK_EQ(s, statuses[i].s);
	}
}

ATF_TC(parse_unknown);
ATF_TC_HEAD(parse_unknown, tc)
{
	atf_tc_set_md_var(tc, "descr", "other text is MIC_SHUTDOWN_UNKNOWN "
	    "and EINVAL");
}
ATF_TC_BODY(parse_unknown, tc)
{
	static const char *const bad[] = {
		"", "unknown", "NOP", "nop\n", "power_off", "reset_failed",
		"suspended", " halted"
	};
	enum mic_shutdown s;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = MIC_SHUTDOWN_NOP;
		errno = 0;
		ATF_CHECK_MSG(mic_shutdown_parse(bad[i], &s) == -1 &&
		    errno == EINVAL, "\"%s\" parsed", bad[i]);
		ATF_CHECK_EQ(s, MIC_SHUTDOWN_UNKNOWN);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, names);
	ATF_TP_ADD_TC(tp, abi_values);
	ATF_TP_ADD_TC(tp, names_unknown);
	ATF_TP_ADD_TC(tp, parse);
	ATF_TP_ADD_TC(tp, parse_unknown);
	return (atf_no_error());
}
