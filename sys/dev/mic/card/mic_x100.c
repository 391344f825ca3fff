// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 card driver: the hardware ops of the real X100 card,
 * written to the facts of ABI.md section 6.
 *
 * Build-checked only.  A real card runs a K1OM kernel, which cannot be
 * built here, and there is no card to run it on: this leaf is compiled
 * into every mic_card.ko but only comes to life on a Knights Corner CPU
 * (x86 family 11), where the module creates the platform device below.
 * Anywhere else, the vmic leaf is the one that runs.
 *
 * The card reaches its SBOX registers at physical MIC_X100_MMIO_BASE,
 * at the offsets the host sees in BAR4.  Host memory is at card physical
 * addresses MIC_CARD_SYSTEM_BASE and up, translated by the SMPT in
 * hardware; it is mapped uncached, as memory across PCIe.  Host to card
 * doorbell n (0..7) raises card IRQ MIC_X100_IRQ_BASE + n: the card
 * programs APICICR[n] with that IRQ's vector and destination, and the
 * host fires it by setting bit 13.  Card to host doorbell db (0..3) is
 * rung by writing MIC_X100_SDBIC_DBREQ to SDBIC[db].
 */
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/irq.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <asm/hw_irq.h>
#include <asm/processor.h>

#include "mic_card.h"

#define MIC_X100_MMIO_BASE	0x08007c0000ULL
#define MIC_X100_MMIO_LEN	0x20000
#define MIC_X100_IRQ_BASE	26
#define MIC_X100_CPU_FAMILY	11	/* K1OM, Knights Corner */

/* SBOX registers, at their offsets in the MMIO range (as in BAR4). */
#define MIC_X100_SMPT(i)	(0x13100 + 4 * (i))
#define MIC_X100_APICICR_LO(n)	(0x1a9d0 + 8 * (n))
#define MIC_X100_APICICR_HI(n)	(0x1a9d4 + 8 * (n))
#define MIC_X100_SPAD(i)	(0x1ab20 + 4 * (i))
#define MIC_X100_SDBIC(db)	(0x1cc90 + 4 * (db))
#define MIC_X100_SDBIC_DBREQ	0x80000000

#define MIC_X100_H2C_DBS	8	/* APICICR0..7 */
#define MIC_X100_C2H_DBS	4	/* SDBIC0..3 */

static_assert(MIC_X100_H2C_DBS <= MIC_CARD_MAX_DBS);

/**
 * struct mic_card_x100 - the real card
 * @mcard: what the core sees
 * @mmio: the SBOX registers
 */
struct mic_card_x100 {
	struct mic_card mcard;
	void __iomem *mmio;
};

static struct platform_device *mic_card_pdev_x100;

static struct mic_card_x100 *mic_card_to_x100(struct mic_card *mcard)
{
	return container_of(mcard, struct mic_card_x100, mcard);
}

static u32 mic_card_read_spad_x100(struct mic_card *mcard, unsigned int idx)
{
	return ioread32(mic_card_to_x100(mcard)->mmio + MIC_X100_SPAD(idx));
}

static void mic_card_write_spad_x100(struct mic_card *mcard, unsigned int idx,
				     u32 val)
{
	iowrite32(val, mic_card_to_x100(mcard)->mmio + MIC_X100_SPAD(idx));
}

static u32 mic_card_read_smpt_x100(struct mic_card *mcard, unsigned int entry)
{
	return ioread32(mic_card_to_x100(mcard)->mmio + MIC_X100_SMPT(entry));
}

/*
 * The SMPT translates in hardware: map the card address.  The core
 * treats host memory as normal memory (virtqueues live there), hence the
 * cast of an uncached mapping.
 */
static void *mic_card_map_x100(struct mic_card *mcard, u64 card_addr,
			       u64 host_addr, size_t len)
{
	void __iomem *va = ioremap(card_addr, len);

	if (!va)
		dev_err(mcard->dev, "cannot map card address %#llx + %zu\n",
			card_addr, len);
	return (void __force *)va;
}

static void mic_card_unmap_x100(struct mic_card *mcard, void *va)
{
	iounmap((void __iomem __force *)va);
}

static irqreturn_t mic_card_thread_x100(int irq, void *data)
{
	struct mic_card_x100 *x100 = data;

	mic_card_doorbell(&x100->mcard, irq - MIC_X100_IRQ_BASE);
	return IRQ_HANDLED;
}

/*
 * Request the doorbell's IRQ, then let the host raise it: APICICR[db]
 * gets the destination APIC id (high dword) and the vector, fixed
 * delivery, send bit clear (low dword).  The IRQ is kept from moving so
 * that the programmed vector and destination stay valid.
 */
static int mic_card_enable_db_x100(struct mic_card *mcard, int db)
{
	struct mic_card_x100 *x100 = mic_card_to_x100(mcard);
	unsigned int irq = MIC_X100_IRQ_BASE + db;
	struct irq_data *d;
	struct irq_cfg *cfg;
	int ret;

	ret = request_threaded_irq(irq, NULL, mic_card_thread_x100,
				   IRQF_ONESHOT | IRQF_NOBALANCING, "mic_card",
				   x100);
	if (ret) {
		dev_err(mcard->dev, "doorbell %d: cannot request IRQ %u\n", db,
			irq);
		return ret;
	}
	d = irq_get_irq_data(irq);
	cfg = d ? irqd_cfg(d) : NULL;
	if (!cfg) {
		dev_err(mcard->dev, "doorbell %d: IRQ %u has no vector\n", db,
			irq);
		free_irq(irq, x100);
		return -EINVAL;
	}
	iowrite32(cfg->dest_apicid, x100->mmio + MIC_X100_APICICR_HI(db));
	iowrite32(cfg->vector, x100->mmio + MIC_X100_APICICR_LO(db));
	return 0;
}

static void mic_card_disable_db_x100(struct mic_card *mcard, int db)
{
	struct mic_card_x100 *x100 = mic_card_to_x100(mcard);

	iowrite32(0, x100->mmio + MIC_X100_APICICR_LO(db));
	iowrite32(0, x100->mmio + MIC_X100_APICICR_HI(db));
	free_irq(MIC_X100_IRQ_BASE + db, x100);
}

static void mic_card_send_intr_x100(struct mic_card *mcard, int db)
{
	iowrite32(MIC_X100_SDBIC_DBREQ,
		  mic_card_to_x100(mcard)->mmio + MIC_X100_SDBIC(db));
}

static const struct mic_card_hw_ops mic_card_ops_x100 = {
	.h2c_dbs = MIC_X100_H2C_DBS,
	.c2h_dbs = MIC_X100_C2H_DBS,
	.read_spad = mic_card_read_spad_x100,
	.write_spad = mic_card_write_spad_x100,
	.read_smpt = mic_card_read_smpt_x100,
	.map = mic_card_map_x100,
	.unmap = mic_card_unmap_x100,
	.enable_db = mic_card_enable_db_x100,
	.disable_db = mic_card_disable_db_x100,
	.send_intr = mic_card_send_intr_x100,
};

static int mic_card_probe_x100(struct platform_device *pdev)
{
	struct mic_card_x100 *x100;

	x100 = devm_kzalloc(&pdev->dev, sizeof(*x100), GFP_KERNEL);
	if (!x100)
		return -ENOMEM;
	x100->mmio = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(x100->mmio))
		return dev_err_probe(&pdev->dev, PTR_ERR(x100->mmio), "cannot map the SBOX\n");
	x100->mcard.dev = &pdev->dev;
	x100->mcard.ops = &mic_card_ops_x100;
	platform_set_drvdata(pdev, x100);
	return mic_card_start(&x100->mcard);
}

static struct platform_driver mic_card_driver_x100 = {
	.driver = {
		.name = "mic_card_x100",
	},
	.probe = mic_card_probe_x100,
};

/* A Knights Corner CPU: this kernel runs on an X100 card. */
static bool mic_card_is_x100(void)
{
	return boot_cpu_data.x86_vendor == X86_VENDOR_INTEL &&
	       boot_cpu_data.x86 == MIC_X100_CPU_FAMILY;
}

/**
 * mic_card_register_x100() - register the x100 platform driver
 *
 * On a Knights Corner CPU, also create the platform device of the card's
 * SBOX, which the driver binds to.  Elsewhere there is no such device.
 *
 * Return: 0, or a negative errno.
 */
int mic_card_register_x100(void)
{
	static const struct resource res[] = {
		DEFINE_RES_MEM(MIC_X100_MMIO_BASE, MIC_X100_MMIO_LEN),
	};
	int ret;

	ret = platform_driver_register(&mic_card_driver_x100);
	if (ret || !mic_card_is_x100())
		return ret;
	mic_card_pdev_x100 = platform_device_register_simple("mic_card_x100",
							     PLATFORM_DEVID_NONE,
							     res,
							     ARRAY_SIZE(res));
	if (IS_ERR(mic_card_pdev_x100)) {
		ret = PTR_ERR(mic_card_pdev_x100);
		mic_card_pdev_x100 = NULL;
		platform_driver_unregister(&mic_card_driver_x100);
	}
	return ret;
}

/**
 * mic_card_unregister_x100() - undo mic_card_register_x100()
 */
void mic_card_unregister_x100(void)
{
	platform_device_unregister(mic_card_pdev_x100);
	platform_driver_unregister(&mic_card_driver_x100);
}
