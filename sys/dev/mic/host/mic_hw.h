/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intel MIC X100 host driver: the hardware layer.  Everything above it
 * (boot, reset, interrupts, SMPT, sysfs) is shared; below it there are two
 * leafs, mic_x100.c (the real card, ABI.md section 6) and mic_vmic.c (the
 * virtual card of micemu(8), ABI.md section 7).
 *
 * A leaf sees only this header: struct mic_hw, the hardware part of a
 * card, and struct mic_hw_ops, the operations it implements.  The same
 * leaf sources also build in user space, for unit tests against a fake
 * register window: there, this header includes "mic_hw_user.h", which the
 * tests provide (u8..u64, bool, dma_addr_t, phys_addr_t, resource_size_t,
 * __iomem, the errno values, le32_to_cpu(), cpu_to_le32(), ioread32(),
 * iowrite32(), memcpy_toio(), memcpy_fromio(), wmb(), msleep(),
 * cond_resched(), dev_err() and dev_warn(), and opaque struct device and
 * struct pci_dev).
 */
#ifndef MIC_HW_H
#define MIC_HW_H

#ifdef __KERNEL__
#include <linux/delay.h>
#include <linux/dev_printk.h>
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <asm/byteorder.h>
#else
#include "mic_hw_user.h"
#endif

struct device;
struct pci_dev;

/*
 * Scratchpads of the flash bootstrap (ABI.md 6.3).  Those that the card
 * driver reads or writes too, of the device page and the log ring, are
 * MIC_SPAD_DP_* and MIC_SPAD_LOG_* in <linux/mic_common.h>, which
 * mic_dev.h includes: this header also builds in user space, where
 * <linux/types.h> and "mic_hw_user.h" do not mix.
 */
#define MIC_SPAD_DOWNLOAD	2	/* ready, APIC id, download address */
#define MIC_SPAD_IMAGE_SIZE	5	/* size of the image the host loaded */
#define MIC_SPAD_COUNT		16

/* SPAD2, the bootstrap download information. */
#define MIC_SPAD2_READY		0x1
#define MIC_SPAD2_APICID(v)	(((v) >> 1) & 0x1ff)
#define MIC_SPAD2_ADDR(v)	((v) & 0xfffff000)
#define MIC_DOWNLOAD_MAX	0x80000000ULL	/* below 2 GiB */

/* The bootstrap IPI: vector 229, APICICR send bit. */
#define MIC_BOOT_VECTOR		0xe5
#define MIC_APICICR_SEND	0x2000

/* SMPT: 32 entries of 16 GiB, seen by the card from 0x80_0000_0000. */
#define MIC_SMPT_ENTRIES	32
#define MIC_SMPT_SHIFT		34
#define MIC_SMPT_SIZE		0x400000000ULL	/* 1 << MIC_SMPT_SHIFT */
#define MIC_SYSTEM_BASE		0x8000000000ULL

/* Doorbells: card to host (interrupt sources 0..3), host to card 0..15. */
#define MIC_C2H_DBS		4
#define MIC_H2C_DBS		16

/* Interrupt vectors a leaf may ask for. */
#define MIC_MAX_VECTORS		16

/* The whole command line handed to the card, with its NUL. */
#define MIC_CMDLINE_MAX		2048

/* The x86 boot protocol setup header, in the image (bzImage). */
#define MIC_BP_HDRS		0x202	/* "HdrS" */
#define MIC_BP_HDRS_MAGIC	0x53726448
#define MIC_BP_RAMDISK_IMAGE	0x218
#define MIC_BP_RAMDISK_SIZE	0x21c
#define MIC_BP_MIN_SIZE		0x230	/* an image shorter has no header */

/**
 * struct mic_mw - a memory window of the card
 * @va: its kernel mapping
 * @pa: its bus address
 * @len: its length in bytes
 */
struct mic_mw {
	void __iomem *va;
	phys_addr_t pa;
	resource_size_t len;
};

/**
 * enum mic_irq_mode - how the card's interrupts reach the host
 * @MIC_IRQ_NONE: no interrupt: the common code polls the doorbells
 * @MIC_IRQ_MSIX: one MSI-X vector per source group, @nr_vectors of them
 * @MIC_IRQ_MSI: one MSI vector for every source
 * @MIC_IRQ_INTX: the legacy interrupt line for every source
 */
enum mic_irq_mode {
	MIC_IRQ_NONE,
	MIC_IRQ_MSIX,
	MIC_IRQ_MSI,
	MIC_IRQ_INTX,
};

/**
 * struct mic_image - what a boot loads into the card
 * @image: the card's kernel, an x86 bzImage
 * @image_size: its size in bytes
 * @cmdline: the whole command line, NUL-terminated
 * @cmdline_size: its size with the NUL, at most MIC_CMDLINE_MAX
 * @ramdisk: the card's initramfs, or NULL
 * @ramdisk_size: its size in bytes, 0 for none
 */
struct mic_image {
	const u8 *image;
	size_t image_size;
	const char *cmdline;
	size_t cmdline_size;
	const u8 *ramdisk;
	size_t ramdisk_size;
};

struct mic_hw;

/**
 * struct mic_hw_ops - the operations of a card family
 * @family: the family's name, shown by the sysfs attribute "family"
 * @reset_delay_ms: time to wait after starting a reset before the first
 *	look at mic_hw_ops.ready (the X100 needs at least 1 s)
 * @reset_poll_ms: period of the looks at mic_hw_ops.ready after that
 * @probe: map the card's windows (fill &mic_hw.mmio, &mic_hw.aper,
 *	&mic_hw.stepping, &mic_hw.want_vectors and &mic_hw.irq_types), with
 *	&mic_hw.ops and &mic_hw.dev set and the PCI function enabled by the
 *	common code; resources are devm or pcim managed, or undone by
 *	@remove; 0 or a negative errno, -ENODEV for a PCI function that is
 *	not a card
 * @remove: undo what @probe did that is not managed; may be NULL
 * @read_spad: read scratchpad @idx (0..15)
 * @write_spad: write scratchpad @idx (0..15)
 * @read_post_code: the POST code register (two ASCII characters, the
 *	first in bits 7:0)
 * @send_h2c_db: ring host to card doorbell @db (0..MIC_H2C_DBS - 1),
 *	whose number the card published in the device page
 * @intr_init: route the card to host doorbell sources 0..MIC_C2H_DBS - 1
 *	to the vectors the common code allocated (&mic_hw.irq_mode,
 *	&mic_hw.nr_vectors) and enable them.  Called at probe and again
 *	before every boot (some steppings lose the routing over a reset)
 * @intr_uninit: disable every source; nothing may be raised afterwards
 * @ack_interrupt: called from the handler of vector @vector (0 when there
 *	is one vector, or when polling): clear and return the pending card
 *	to host doorbells that this vector serves, as a bit mask of
 *	doorbell numbers, and do what the hardware needs after an
 *	interrupt.  May run in hard interrupt context
 * @reset: start a reset of the card (SPAD2 = 0, the reset request); it
 *	returns at once, the common code then polls @ready
 * @ready: whether the card is reset and waits for a boot (SPAD2 bit 0)
 * @boot: load @img into the card, at the places of ABI.md 6.4 (see
 *	mic_load_image()), and send the bootstrap IPI.  Every size is
 *	checked before anything is copied.  0, or -EFBIG (the image with
 *	the command line, or the ramdisk, does not fit its room in card
 *	memory), -ENOEXEC (not a bzImage), -EIO (the card is not ready)
 * @smpt_encode: the SMPT entry value that maps the 16 GiB of host memory
 *	starting at @addr (16 GiB aligned); no hardware access
 * @smpt_set: write SMPT entry @idx (0..31)
 *
 * The common code makes every call with mic_device.lock held (or in
 * probe and remove, where nothing else runs), but @ack_interrupt
 * (interrupt context), @send_h2c_db and @smpt_set, which may come at any
 * time, from several threads at once.
 */
struct mic_hw_ops {
	const char *family;
	unsigned int reset_delay_ms;
	unsigned int reset_poll_ms;
	int (*probe)(struct mic_hw *hw, struct pci_dev *pdev);
	void (*remove)(struct mic_hw *hw);
	u32 (*read_spad)(struct mic_hw *hw, unsigned int idx);
	void (*write_spad)(struct mic_hw *hw, unsigned int idx, u32 val);
	u16 (*read_post_code)(struct mic_hw *hw);
	void (*send_h2c_db)(struct mic_hw *hw, unsigned int db);
	void (*intr_init)(struct mic_hw *hw);
	void (*intr_uninit)(struct mic_hw *hw);
	u32 (*ack_interrupt)(struct mic_hw *hw, unsigned int vector);
	void (*reset)(struct mic_hw *hw);
	bool (*ready)(struct mic_hw *hw);
	int (*boot)(struct mic_hw *hw, const struct mic_image *img);
	u32 (*smpt_encode)(struct mic_hw *hw, dma_addr_t addr);
	void (*smpt_set)(struct mic_hw *hw, unsigned int idx, u32 val);
};

/**
 * struct mic_hw - the hardware part of a card
 * @ops: the operations of its family
 * @dev: the device messages are printed for (the PCI function)
 * @mmio: the register window (X100 BAR4; vmic: BAR2 of the doorbell
 *	function, the register file)
 * @aper: the aperture onto card memory (X100 BAR0; vmic: BAR2 of the
 *	memory function), mapped write-combined
 * @stepping: the PCI revision (0x00 A0, 0x10 B0, 0x11 B1, 0x20 C0)
 * @want_vectors: interrupt vectors the leaf can use, 1..MIC_MAX_VECTORS,
 *	set by mic_hw_ops.probe
 * @irq_types: the PCI_IRQ_* kinds of interrupt the card can raise, set by
 *	mic_hw_ops.probe; 0 for all (MSI-X, then MSI, then INTx).  Without
 *	any, the common code polls the doorbells
 * @irq_mode: how interrupts arrive, set by the common code before
 *	mic_hw_ops.intr_init
 * @nr_vectors: vectors allocated, set likewise (1 unless MSI-X)
 * @priv: the leaf's own data
 */
struct mic_hw {
	const struct mic_hw_ops *ops;
	struct device *dev;
	struct mic_mw mmio;
	struct mic_mw aper;
	u8 stepping;
	unsigned int want_vectors;
	unsigned int irq_types;
	enum mic_irq_mode irq_mode;
	unsigned int nr_vectors;
	void *priv;
};

/**
 * struct mic_load_layout - where a boot puts things in card memory
 * @image: card address of the image (the download address)
 * @cmdline: card address of the command line, right after the image
 * @ramdisk: card address of the ramdisk, twice the download address
 */
struct mic_load_layout {
	u64 image;
	u64 cmdline;
	u64 ramdisk;
};

/* mic_load.c: the hardware-independent part of a boot (ABI.md 6.4). */
int mic_load_check(const struct mic_hw *hw, u32 spad2,
		   const struct mic_image *img, struct mic_load_layout *lo);
int mic_load_image(struct mic_hw *hw, const struct mic_image *img);

/* The leafs. */
extern const struct mic_hw_ops mic_x100_ops;
extern const struct mic_hw_ops mic_vmic_ops;

#endif /* MIC_HW_H */
