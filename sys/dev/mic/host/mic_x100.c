// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 host driver: the x100 leaf, the real card (ABI.md
 * section 6).  BAR0 is the aperture onto card memory, BAR4 the registers.
 *
 * Interrupts.  The card to host doorbells are interrupt sources 0..3 of
 * the SBOX.  With MSI-X, doorbell db goes to vector db % nr_vectors (the
 * MXAR registers hold the sources of each vector) and is auto-cleared
 * (SIAC0) when its message is sent: the vector itself says which
 * doorbells rang.  With MSI, INTx or polling, every doorbell is on vector
 * 0 and the cause register SICR0 says which rang; a cause is cleared by
 * writing it back.  After each interrupt the X100 needs a nudge to raise
 * the next one: A0 clears the MSI-X pending bits (MSIXPBACR), B0 and
 * later set the enables (SICE0) again.
 *
 * Only probe touches PCI: the rest builds in user space too, and is
 * unit-tested against a fake register window (see mic_hw.h).
 */
#ifdef __KERNEL__
#include <linux/pci.h>
#endif

#include "mic_x100.h"

/* Interrupt sources 0..3 are the card to host doorbells. */
#define MIC_X100_DB_SOURCES	((1U << MIC_C2H_DBS) - 1)
#define MIC_X100_ALL_SOURCES	0xffffffffU

/* Host to card doorbells 0..7 are APICICR0..7, 8..15 RDMASR17..24. */
#define MIC_X100_APIC_DBS	8
#define MIC_X100_RDMASR_DB0	17

/* BAR4 covers the SBOX registers up to SDBIC3 (ABI.md 6.8). */
#define MIC_X100_MMIO_LEN	0x20000

static u32 mic_x100_read(struct mic_hw *hw, u32 off)
{
	return ioread32(hw->mmio.va + off);
}

static void mic_x100_write(struct mic_hw *hw, u32 off, u32 val)
{
	iowrite32(val, hw->mmio.va + off);
}

#ifdef __KERNEL__
/**
 * mic_x100_probe() - map an X100 card's windows
 * @hw: the card, with &mic_hw.ops and &mic_hw.dev set
 * @pdev: its PCI function, enabled (pcim) by the common code
 *
 * Maps BAR4, the registers, and BAR0, the aperture, write-combined; both
 * are managed.  Takes the stepping from the PCI revision and asks for
 * MIC_X100_VECTORS MSI-X vectors, else MSI, else INTx.  The common code
 * sets the 64-bit DMA mask, for every leaf.
 *
 * Return: 0, -ENODEV when a BAR is not there, another negative errno.
 */
int mic_x100_probe(struct mic_hw *hw, struct pci_dev *pdev)
{
	struct mic_x100 *x;
	int ret;

	if (!(pci_resource_flags(pdev, MIC_X100_MMIO_BAR) & IORESOURCE_MEM) ||
	    pci_resource_len(pdev, MIC_X100_MMIO_BAR) < MIC_X100_MMIO_LEN ||
	    !(pci_resource_flags(pdev, MIC_X100_APER_BAR) & IORESOURCE_MEM) ||
	    !pci_resource_len(pdev, MIC_X100_APER_BAR))
		return dev_err_probe(hw->dev, -ENODEV, "no BAR0 or BAR4\n");
	x = devm_kzalloc(hw->dev, sizeof(*x), GFP_KERNEL);
	if (!x)
		return -ENOMEM;
	spin_lock_init(&x->lock);
	hw->priv = x;
	ret = pcim_iomap_regions(pdev, BIT(MIC_X100_MMIO_BAR), "mic_host");
	if (ret)
		return dev_err_probe(hw->dev, ret, "cannot map the registers\n");
	hw->mmio.va = pcim_iomap_table(pdev)[MIC_X100_MMIO_BAR];
	hw->mmio.pa = pci_resource_start(pdev, MIC_X100_MMIO_BAR);
	hw->mmio.len = pci_resource_len(pdev, MIC_X100_MMIO_BAR);
	/* Released with the device, as pcim_enable_device() makes it. */
	ret = pci_request_region(pdev, MIC_X100_APER_BAR, "mic_host");
	if (ret)
		return dev_err_probe(hw->dev, ret, "cannot claim the aperture\n");
	hw->aper.pa = pci_resource_start(pdev, MIC_X100_APER_BAR);
	hw->aper.len = pci_resource_len(pdev, MIC_X100_APER_BAR);
	hw->aper.va = devm_ioremap_wc(hw->dev, hw->aper.pa, hw->aper.len);
	if (!hw->aper.va)
		return dev_err_probe(hw->dev, -ENOMEM,
				     "cannot map the aperture\n");
	hw->stepping = pdev->revision;
	hw->want_vectors = MIC_X100_VECTORS;
	hw->irq_types = PCI_IRQ_MSIX | PCI_IRQ_MSI | PCI_IRQ_LEGACY;
	return 0;
}
#endif

/**
 * mic_x100_read_spad() - read a scratchpad
 * @hw: the card
 * @idx: the scratchpad, 0..15
 *
 * Return: its value; 0 for a scratchpad that does not exist.
 */
u32 mic_x100_read_spad(struct mic_hw *hw, unsigned int idx)
{
	if (idx >= MIC_SPAD_COUNT)
		return 0;
	return mic_x100_read(hw, MIC_X100_SPAD(idx));
}

/**
 * mic_x100_write_spad() - write a scratchpad
 * @hw: the card
 * @idx: the scratchpad, 0..15; others are ignored
 * @val: the value
 */
void mic_x100_write_spad(struct mic_hw *hw, unsigned int idx, u32 val)
{
	if (idx < MIC_SPAD_COUNT)
		mic_x100_write(hw, MIC_X100_SPAD(idx), val);
}

/**
 * mic_x100_read_post_code() - read the POST code
 * @hw: the card
 *
 * Return: two ASCII characters, the first in bits 7:0.
 */
u16 mic_x100_read_post_code(struct mic_hw *hw)
{
	return mic_x100_read(hw, MIC_X100_POSTCODE) & 0xffff;
}

/**
 * mic_x100_send_h2c_db() - ring a host to card doorbell
 * @hw: the card
 * @db: the doorbell, 0..MIC_H2C_DBS - 1; others are ignored
 *
 * Doorbells 0..7 are interrupts through APICICR0..7, whose vector and
 * destination the card programmed: setting the send bit again raises
 * one.  Doorbells 8..15 are raised by writing RDMASR17..24.
 */
void mic_x100_send_h2c_db(struct mic_hw *hw, unsigned int db)
{
	u32 icr;

	if (db < MIC_X100_APIC_DBS) {
		icr = mic_x100_read(hw, MIC_X100_APICICR(db));
		mic_x100_write(hw, MIC_X100_APICICR(db),
			       icr | MIC_APICICR_SEND);
	} else if (db < MIC_H2C_DBS) {
		mic_x100_write(hw, MIC_X100_RDMASR(MIC_X100_RDMASR_DB0 + db -
						   MIC_X100_APIC_DBS), 0);
	}
}

/* The doorbell sources that vector @vector serves. */
static u32 mic_x100_vector_sources(const struct mic_hw *hw,
				   unsigned int vector)
{
	unsigned int db, n = hw->nr_vectors;
	u32 mask = 0;

	if (hw->irq_mode != MIC_IRQ_MSIX || n <= 1)
		return vector == 0 ? MIC_X100_DB_SOURCES : 0;
	if (n > MIC_X100_VECTORS)
		n = MIC_X100_VECTORS;
	for (db = 0; db < MIC_C2H_DBS; db++)
		if (db % n == vector)
			mask |= 1U << db;
	return mask;
}

/**
 * mic_x100_intr_init() - route and enable the doorbell sources
 * @hw: the card, with &mic_hw.irq_mode and &mic_hw.nr_vectors set
 *
 * With MSI-X, writes the sources of every vector to its MXAR register
 * and makes the doorbells auto-clear; otherwise turns auto-clear off,
 * since the handler reads the causes.  Then enables the doorbells.
 */
void mic_x100_intr_init(struct mic_hw *hw)
{
	struct mic_x100 *x = hw->priv;
	unsigned long flags;
	unsigned int v;
	bool msix = hw->irq_mode == MIC_IRQ_MSIX;

	if (msix)
		for (v = 0; v < MIC_X100_VECTORS; v++)
			mic_x100_write(hw, MIC_X100_MXAR(v),
				       mic_x100_vector_sources(hw, v));
	mic_x100_write(hw, MIC_X100_SIAC0, msix ? MIC_X100_DB_SOURCES : 0);
	spin_lock_irqsave(&x->lock, flags);
	x->enabled = MIC_X100_DB_SOURCES;
	mic_x100_write(hw, MIC_X100_SICE0, x->enabled);
	spin_unlock_irqrestore(&x->lock, flags);
}

/**
 * mic_x100_intr_uninit() - disable every interrupt source
 * @hw: the card
 *
 * An interrupt that runs meanwhile does not enable the sources again.
 */
void mic_x100_intr_uninit(struct mic_hw *hw)
{
	struct mic_x100 *x = hw->priv;
	unsigned long flags;

	spin_lock_irqsave(&x->lock, flags);
	x->enabled = 0;
	mic_x100_write(hw, MIC_X100_SICC0, MIC_X100_ALL_SOURCES);
	spin_unlock_irqrestore(&x->lock, flags);
}

/* What the X100 needs after an interrupt to raise the next one. */
static void mic_x100_intr_rearm(struct mic_hw *hw)
{
	struct mic_x100 *x = hw->priv;
	unsigned long flags;

	if (hw->stepping < MIC_X100_STEP_B0) {
		mic_x100_write(hw, MIC_X100_MSIXPBACR, 1);
		return;
	}
	spin_lock_irqsave(&x->lock, flags);
	if (x->enabled)
		mic_x100_write(hw, MIC_X100_SICE0, x->enabled);
	spin_unlock_irqrestore(&x->lock, flags);
}

/**
 * mic_x100_ack_interrupt() - acknowledge the doorbells of a vector
 * @hw: the card
 * @vector: the vector, 0 when polling
 *
 * Clears the causes of the doorbells that @vector serves by writing back
 * those that are set, then, in an interrupt, rearms the card (see the
 * top of this file).  With MSI-X the doorbells of the vector count as
 * rung whatever the causes say: the message has auto-cleared them.
 *
 * Return: the doorbells rung, bit n for doorbell n.
 */
u32 mic_x100_ack_interrupt(struct mic_hw *hw, unsigned int vector)
{
	u32 own = mic_x100_vector_sources(hw, vector);
	u32 cause;

	if (!own)
		return 0;
	cause = mic_x100_read(hw, MIC_X100_SICR0) & own;
	if (cause)
		mic_x100_write(hw, MIC_X100_SICR0, cause);
	if (hw->irq_mode != MIC_IRQ_NONE)
		mic_x100_intr_rearm(hw);
	return hw->irq_mode == MIC_IRQ_MSIX ? own : cause;
}

/**
 * mic_x100_reset() - start a reset of the card
 * @hw: the card
 *
 * Clears SPAD2, which the card's bootstrap sets again when it is ready,
 * then sets the reset bit of RGCR.  The common code waits and polls
 * mic_x100_ready().
 */
void mic_x100_reset(struct mic_hw *hw)
{
	mic_x100_write_spad(hw, MIC_SPAD_DOWNLOAD, 0);
	mic_x100_write(hw, MIC_X100_RGCR,
		       mic_x100_read(hw, MIC_X100_RGCR) | MIC_X100_RGCR_RESET);
}

/**
 * mic_x100_ready() - tell whether the card waits for a boot
 * @hw: the card
 *
 * Return: SPAD2 bit 0.
 */
bool mic_x100_ready(struct mic_hw *hw)
{
	return mic_x100_read_spad(hw, MIC_SPAD_DOWNLOAD) & MIC_SPAD2_READY;
}

/**
 * mic_x100_boot() - load and start the card
 * @hw: the card
 * @img: what to load
 *
 * Loads @img with mic_load_image(), which refuses a card whose SPAD2 does
 * not say ready, checks every size before copying anything, and writes
 * the image size to SPAD5.  Then sends the bootstrap IPI: the bootstrap's
 * APIC id from SPAD2 into APICICR7's high dword, then vector 229 with the
 * send bit into its low dword.
 *
 * Return: 0, or an error of mic_load_image(): -EIO if the card is not
 * ready, -ENOEXEC, -EINVAL, -EFBIG.
 */
int mic_x100_boot(struct mic_hw *hw, const struct mic_image *img)
{
	u32 spad2;
	int ret;

	ret = mic_load_image(hw, img);
	if (ret)
		return ret;
	spad2 = mic_x100_read_spad(hw, MIC_SPAD_DOWNLOAD);
	mic_x100_write(hw, MIC_X100_APICICR_HI(MIC_X100_BOOT_APICICR),
		       MIC_SPAD2_APICID(spad2));
	mic_x100_write(hw, MIC_X100_APICICR(MIC_X100_BOOT_APICICR),
		       MIC_BOOT_VECTOR | MIC_APICICR_SEND);
	return 0;
}

/**
 * mic_x100_smpt_encode() - encode an SMPT entry
 * @hw: the card
 * @addr: the host address, 16 GiB aligned
 *
 * Return: the entry: @addr >> 34 in bits 31:2, bit 0 (no snoop) clear.
 */
u32 mic_x100_smpt_encode(struct mic_hw *hw, dma_addr_t addr)
{
	return (u32)((u64)addr >> MIC_SMPT_SHIFT) << 2;
}

/**
 * mic_x100_smpt_set() - write an SMPT entry
 * @hw: the card
 * @idx: the entry, 0..31; others are ignored
 * @val: its value, from mic_x100_smpt_encode()
 */
void mic_x100_smpt_set(struct mic_hw *hw, unsigned int idx, u32 val)
{
	if (idx < MIC_SMPT_ENTRIES)
		mic_x100_write(hw, MIC_X100_SMPT(idx), val);
}

const struct mic_hw_ops mic_x100_ops = {
	.family = "x100",
	.reset_delay_ms = 1000,
	.reset_poll_ms = 1000,
#ifdef __KERNEL__
	.probe = mic_x100_probe,
#endif
	.read_spad = mic_x100_read_spad,
	.write_spad = mic_x100_write_spad,
	.read_post_code = mic_x100_read_post_code,
	.send_h2c_db = mic_x100_send_h2c_db,
	.intr_init = mic_x100_intr_init,
	.intr_uninit = mic_x100_intr_uninit,
	.ack_interrupt = mic_x100_ack_interrupt,
	.reset = mic_x100_reset,
	.ready = mic_x100_ready,
	.boot = mic_x100_boot,
	.smpt_encode = mic_x100_smpt_encode,
	.smpt_set = mic_x100_smpt_set,
};
