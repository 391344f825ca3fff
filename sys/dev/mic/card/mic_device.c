// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 card driver: the module.  The card finds the device page
 * through its scratchpads and serves the devices the host describes there.
 */
#include <linux/init.h>
#include <linux/module.h>

#include "../common/mic_abi_check.h"
#include "../common/mic_dp.h"

static int __init mic_card_init(void)
{
	return 0;
}

static void __exit mic_card_exit(void)
{
}

module_init(mic_card_init);
module_exit(mic_card_exit);

MODULE_DESCRIPTION("Intel MIC X100 coprocessor card driver");
MODULE_LICENSE("GPL");
