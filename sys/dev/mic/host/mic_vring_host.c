// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ring walker of common/, as an object of mic_host.
 */
#include "../common/mic_vring.c"
