/* SPDX-License-Identifier: BSD-2-Clause */

#include <sys/types.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "fakesysfs.h"
#include "mic.h"

#define READY	MIC_STATE_MASK(MIC_STATE_READY)
#define ONLINE	MIC_STATE_MASK(MIC_STATE_ONLINE)

static int	wait_down(const struct mic_cardstate *, void *);

/* Done once shutdown_status is set; counts its calls in *arg. */
static int
wait_down(const struct mic_cardstate *cs, void *arg)
{
	int *calls = arg;

	(*calls)++;
	return (cs->cs_shutdown != MIC_SHUTDOWN_NOP &&
	    cs->cs_shutdown != MIC_SHUTDOWN_UNKNOWN);
}

ATF_TC(immediate);
ATF_TC_HEAD(immediate, tc)
{
	atf_tc_set_md_var(tc, "descr", "a card already in the state wanted "
	    "ends the wait at once");
}
ATF_TC_BODY(immediate, tc)
{
	enum mic_state s;
	long t0;

	fakesysfs_init();
	fakesysfs_card("mic0", "online", "nop");
	t0 = fakesysfs_ms();
	s = MIC_STATE_UNKNOWN;
	ATF_REQUIRE(mic_wait_state("mic0", ONLINE, 5000, &s) == 0);
	ATF_CHECK_EQ(s, MIC_STATE_ONLINE);
	ATF_CHECK(fakesysfs_ms() - t0 < 1000);
	ATF_REQUIRE(mic_wait_state("mic0", ONLINE, 0, NULL) == 0);
	ATF_REQUIRE(mic_wait_state("mic0", READY | ONLINE, -1, &s) == 0);
}

ATF_TC(timeout);
ATF_TC_HEAD(timeout, tc)
{
	atf_tc_set_md_var(tc, "descr", "a card that does not get there ends "
	    "the wait with ETIMEDOUT at the deadline, with its last state");
}
ATF_TC_BODY(timeout, tc)
{
	enum mic_state s;
	long t0, dt;

	fakesysfs_init();
	fakesysfs_card("mic0", "booting", "nop");
	t0 = fakesysfs_ms();
	s = MIC_STATE_UNKNOWN;
	errno = 0;
	ATF_REQUIRE(mic_wait_state("mic0", ONLINE, 300, &s) == -1);
	ATF_CHECK_EQ(errno, ETIMEDOUT);
	dt = fakesysfs_ms() - t0;
	ATF_CHECK_MSG(dt >= 290 && dt < 2000, "waited %ld ms", dt);
	ATF_CHECK_EQ(s, MIC_STATE_BOOTING);
}

ATF_TC(timeout_zero);
ATF_TC_HEAD(timeout_zero, tc)
{
	atf_tc_set_md_var(tc, "descr", "a timeout of 0 looks once");
}
ATF_TC_BODY(timeout_zero, tc)
{
	enum mic_state s;
	long t0;

	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	t0 = fakesysfs_ms();
	errno = 0;
	ATF_CHECK(mic_wait_state("mic0", ONLINE, 0, &s) == -1 &&
	    errno == ETIMEDOUT);
	ATF_CHECK_EQ(s, MIC_STATE_READY);
	ATF_CHECK(fakesysfs_ms() - t0 < 150);
}

ATF_TC(change);
ATF_TC_HEAD(change, tc)
{
	atf_tc_set_md_var(tc, "descr", "a state that changes while waiting "
	    "ends the wait soon after, well before the deadline");
}
ATF_TC_BODY(change, tc)
{
	enum mic_state s;
	pid_t pid;
	long t0, dt;

	fakesysfs_init();
	fakesysfs_card("mic0", "booting", "nop");
	t0 = fakesysfs_ms();
	pid = fakesysfs_later(300, "mic0", "state", "online\n");
	ATF_CHECK(mic_wait_state("mic0", ONLINE, 10000, &s) == 0);
	dt = fakesysfs_ms() - t0;
	fakesysfs_reap(pid);
	ATF_CHECK_EQ(s, MIC_STATE_ONLINE);
	ATF_CHECK_MSG(dt >= 250 && dt < 3000, "waited %ld ms", dt);
}

ATF_TC(change_through);
ATF_TC_HEAD(change_through, tc)
{
	atf_tc_set_md_var(tc, "descr", "states outside the mask, and text that "
	    "is no state, are waited through");
}
ATF_TC_BODY(change_through, tc)
{
	enum mic_state s;
	pid_t p1, p2, p3;

	fakesysfs_init();
	fakesysfs_card("mic0", "online", "nop");
	p1 = fakesysfs_later(100, "mic0", "state", "reset\n");
	p2 = fakesysfs_later(400, "mic0", "state", "resetting\n");
	p3 = fakesysfs_later(700, "mic0", "state", "ready\n");
	ATF_CHECK(mic_wait_state("mic0", READY, 10000, &s) == 0);
	ATF_CHECK_EQ(s, MIC_STATE_READY);
	fakesysfs_reap(p1);
	fakesysfs_reap(p2);
	fakesysfs_reap(p3);
}

ATF_TC(callback);
ATF_TC_HEAD(callback, tc)
{
	atf_tc_set_md_var(tc, "descr", "mic_wait() ends when its callback "
	    "says so; shutdown_status changes are seen");
}
ATF_TC_BODY(callback, tc)
{
	struct mic_cardstate cs;
	pid_t pid;
	int calls;

	fakesysfs_init();
	fakesysfs_card("mic0", "shutting_down", "nop");
	calls = 0;
	pid = fakesysfs_later(300, "mic0", "shutdown_status", "poweroff\n");
	ATF_CHECK(mic_wait("mic0", wait_down, &calls, 10000, &cs) == 0);
	fakesysfs_reap(pid);
	ATF_CHECK_EQ(cs.cs_state, MIC_STATE_SHUTTING_DOWN);
	ATF_CHECK_EQ(cs.cs_shutdown, MIC_SHUTDOWN_POWEROFF);
	ATF_CHECK(calls >= 2);
}

ATF_TC(callback_timeout);
ATF_TC_HEAD(callback_timeout, tc)
{
	atf_tc_set_md_var(tc, "descr", "mic_wait() re-reads the card "
	    "periodically while nothing changes, then times out");
}
ATF_TC_BODY(callback_timeout, tc)
{
	struct mic_cardstate cs;
	int calls;

	fakesysfs_init();
	fakesysfs_card("mic0", "shutting_down", "nop");
	calls = 0;
	errno = 0;
	ATF_CHECK(mic_wait("mic0", wait_down, &calls, 700, &cs) == -1 &&
	    errno == ETIMEDOUT);
	ATF_CHECK_EQ(cs.cs_shutdown, MIC_SHUTDOWN_NOP);
	ATF_CHECK_MSG(calls >= 700 / MIC_WAIT_PERIOD_MS, "%d reads", calls);
}

ATF_TC(errors);
ATF_TC_HEAD(errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "a missing card or attribute, a bad "
	    "name or no callback is an error, not a timeout");
}
ATF_TC_BODY(errors, tc)
{
	struct mic_cardstate cs;

	fakesysfs_init();
	fakesysfs_card("mic0", "ready", "nop");
	fakesysfs_card("mic1", "ready", "nop");
	ATF_REQUIRE(unlink("sys/mic1/shutdown_status") == 0);
	errno = 0;
	ATF_CHECK(mic_wait_state("mic5", READY, 1000, NULL) == -1 &&
	    errno == ENOENT);
	errno = 0;
	ATF_CHECK(mic_wait_state("mic1", READY, 1000, NULL) == -1 &&
	    errno == ENOENT);
	errno = 0;
	ATF_CHECK(mic_wait_state("eth0", READY, 1000, NULL) == -1 &&
	    errno == EINVAL);
	errno = 0;
	ATF_CHECK(mic_wait("mic0", NULL, NULL, 1000, &cs) == -1 &&
	    errno == EINVAL);
}

ATF_TC(read_error);
ATF_TC_HEAD(read_error, tc)
{
	atf_tc_set_md_var(tc, "descr", "an attribute that cannot be read any "
	    "more while waiting ends the wait with that error");
}
ATF_TC_BODY(read_error, tc)
{
	static char big[MIC_ATTR_MAX + 2];
	pid_t pid;
	long t0;

	fakesysfs_init();
	fakesysfs_card("mic0", "booting", "nop");
	memset(big, 'x', sizeof(big) - 1);
	t0 = fakesysfs_ms();
	pid = fakesysfs_later(300, "mic0", "state", big);
	errno = 0;
	ATF_CHECK(mic_wait_state("mic0", ONLINE, 10000, NULL) == -1 &&
	    errno == EOVERFLOW);
	ATF_CHECK(fakesysfs_ms() - t0 < 3000);
	fakesysfs_reap(pid);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, immediate);
	ATF_TP_ADD_TC(tp, timeout);
	ATF_TP_ADD_TC(tp, timeout_zero);
	ATF_TP_ADD_TC(tp, change);
	ATF_TP_ADD_TC(tp, change_through);
	ATF_TP_ADD_TC(tp, callback);
	ATF_TP_ADD_TC(tp, callback_timeout);
	ATF_TP_ADD_TC(tp, errors);
	ATF_TP_ADD_TC(tp, read_error);
	return (atf_no_error());
}
