#include <atf-c.h>
#include "mic.h"
ATF_TC_WITHOUT_HEAD(names);
ATF_TC_BODY(names, tc)
{
	ATF_CHECK_STREQ(mic_state_name(0), "ready");
}
ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, names);
	return (atf_no_error());
}
