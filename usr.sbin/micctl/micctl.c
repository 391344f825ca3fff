#include <stdio.h>
#include <linux/types.h>
#include "mic.h"
int
main(void)
{
	puts(mic_state_name(0));
	return (0);
}
