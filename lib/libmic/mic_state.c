#include "mic.h"
const char *
mic_state_name(int s)
{
	return (s == 0 ? "ready" : "x");
}
