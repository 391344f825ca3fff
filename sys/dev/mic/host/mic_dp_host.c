// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device page helpers of common/, as an object of mic_host.
 */
#include "../common/mic_dp.c"
