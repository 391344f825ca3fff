/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intel MIC X100 host driver: the x100 leaf (mic_x100.c), the real card
 * (ABI.md section 6).  Its entry points are here, so that a unit test can
 * build mic_x100.c in user space (see mic_hw.h) and drive each register
 * sequence against a fake register window; mic_x100_ops is made of them.
 */
#ifndef MIC_X100_H
#define MIC_X100_H

#ifdef __KERNEL__
#include <linux/spinlock.h>
#endif

#include "mic_hw.h"

/* Registers: offsets into BAR4 (ABI.md 6.2). */
#define MIC_X100_POSTCODE	0x0242c
#define MIC_X100_SMPT(i)	(0x13100 + 4 * (i))
#define MIC_X100_RGCR		0x14010
#define MIC_X100_RGCR_RESET	0x1
#define MIC_X100_SICR0		0x19004
#define MIC_X100_SICE0		0x1900c
#define MIC_X100_SICC0		0x19010
#define MIC_X100_SIAC0		0x19014
#define MIC_X100_MXAR(v)	(0x19044 + 4 * (v))
#define MIC_X100_MSIXPBACR	0x19084
#define MIC_X100_APICICR(n)	(0x1a9d0 + 8 * (n))	/* low dword */
#define MIC_X100_APICICR_HI(n)	(0x1a9d4 + 8 * (n))	/* high dword */
#define MIC_X100_BOOT_APICICR	7
#define MIC_X100_SPAD(i)	(0x1ab20 + 4 * (i))
#define MIC_X100_RDMASR(i)	(0x1b180 + 4 * (i))
#define MIC_X100_SDBIC(db)	(0x1cc90 + 4 * (db))

/* PCI: BAR0 the aperture, BAR4 the registers; revisions. */
#define MIC_X100_APER_BAR	0
#define MIC_X100_MMIO_BAR	4
#define MIC_X100_STEP_A0	0x00
#define MIC_X100_STEP_B0	0x10
#define MIC_X100_STEP_B1	0x11
#define MIC_X100_STEP_C0	0x20

/* MSI-X vectors of the X100. */
#define MIC_X100_VECTORS	8

/**
 * struct mic_x100 - what the x100 leaf keeps for a card (&mic_hw.priv)
 * @lock: orders the interrupt enables of mic_x100_intr_init(),
 *	mic_x100_intr_uninit() and the rewrite of SICE0 in
 *	mic_x100_ack_interrupt(), so that no interrupt re-enables a source
 *	that mic_x100_intr_uninit() disabled
 * @enabled: the sources mic_x100_intr_init() enabled, 0 after
 *	mic_x100_intr_uninit()
 */
struct mic_x100 {
	spinlock_t lock;	/* guards @enabled and SICE0, SICC0 */
	u32 enabled;
};

int mic_x100_probe(struct mic_hw *hw, struct pci_dev *pdev);
u32 mic_x100_read_spad(struct mic_hw *hw, unsigned int idx);
void mic_x100_write_spad(struct mic_hw *hw, unsigned int idx, u32 val);
u16 mic_x100_read_post_code(struct mic_hw *hw);
void mic_x100_send_h2c_db(struct mic_hw *hw, unsigned int db);
void mic_x100_intr_init(struct mic_hw *hw);
void mic_x100_intr_uninit(struct mic_hw *hw);
u32 mic_x100_ack_interrupt(struct mic_hw *hw, unsigned int vector);
void mic_x100_reset(struct mic_hw *hw);
bool mic_x100_ready(struct mic_hw *hw);
int mic_x100_boot(struct mic_hw *hw, const struct mic_image *img);
u32 mic_x100_smpt_encode(struct mic_hw *hw, dma_addr_t addr);
void mic_x100_smpt_set(struct mic_hw *hw, unsigned int idx, u32 val);

#endif /* MIC_X100_H */
