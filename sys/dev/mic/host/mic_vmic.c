// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 host driver: the vmic leaf, the virtual card of
 * micemu(8) (ABI.md section 7, <linux/mic_vmic.h>).
 *
 * A card is an ivshmem-doorbell function (1af4:1110) whose BAR2, the
 * register file, starts with the X100 registers and carries the vmic
 * signature at MIC_VMIC_EXT; other ivshmem devices are left alone.  Its
 * BAR0 holds the ivshmem registers (the doorbell), its MSI-X vectors are
 * the card to host interrupts.  The aperture is BAR2 of the ivshmem-plain
 * function named by aper_devfn, in the same slot; the host page is BAR2
 * of function MIC_VMIC_FN_HOST there.
 *
 * The card guest can write the whole register file, and runs until
 * micemu has killed it: a reset is done only when the host page, which
 * the card cannot reach, says so.
 *
 * Every doorbell is backed by a word of the extension: the sender writes
 * the word, then rings; the receiver clears the word, then handles it.
 */
#include <linux/pci.h>
#include <linux/slab.h>

#include <linux/mic_vmic.h>

#include "mic_hw.h"

/**
 * struct mic_vmic - what the vmic leaf keeps for a card
 * @ivregs: the ivshmem registers (BAR0 of the doorbell function)
 * @mem: the ivshmem-plain function of the aperture
 * @host: the ivshmem-plain function of the host page
 * @hpage: the host page, mapped
 * @nvectors: the ivshmem vectors of every peer
 */
struct mic_vmic {
	void __iomem *ivregs;
	struct pci_dev *mem;
	struct pci_dev *host;
	void __iomem *hpage;
	u32 nvectors;
};

static u32 mic_vmic_read(struct mic_hw *hw, u32 off)
{
	return ioread32(hw->mmio.va + off);
}

static void mic_vmic_write(struct mic_hw *hw, u32 off, u32 val)
{
	iowrite32(val, hw->mmio.va + off);
}

static u64 mic_vmic_read64(struct mic_hw *hw, u32 off)
{
	return mic_vmic_read(hw, off) |
	       (u64)mic_vmic_read(hw, off + 4) << 32;
}

/* Ring the peer whose id is at @peer_off with the vector at @vec_off. */
static void mic_vmic_ring(struct mic_hw *hw, u32 peer_off, u32 vec_off)
{
	struct mic_vmic *vm = hw->priv;
	u32 peer = mic_vmic_read(hw, peer_off);
	u32 vec = mic_vmic_read(hw, vec_off);

	/* Not connected, or garbage: the state word waits for the peer. */
	if (peer > 0xffff || vec >= vm->nvectors)
		return;
	/* The state the doorbell announces, before the doorbell. */
	wmb();
	iowrite32(MIC_VMIC_DOORBELL(peer, vec),
		  vm->ivregs + MIC_VMIC_IVSHMEM_DOORBELL);
}

/*
 * Take BAR2 of the ivshmem-plain function @devfn in the slot of @pdev:
 * at least @size bytes of it.  Return: the function, or NULL.
 */
static struct pci_dev *mic_vmic_get_fn(struct pci_dev *pdev, u32 devfn,
				       u64 size)
{
	struct pci_dev *fn;

	if (devfn > 0xff || PCI_SLOT(devfn) != PCI_SLOT(pdev->devfn) ||
	    devfn == pdev->devfn)
		return NULL;
	fn = pci_get_slot(pdev->bus, devfn);
	if (!fn)
		return NULL;
	if (fn->vendor != MIC_VMIC_PCI_VENDOR ||
	    fn->device != MIC_VMIC_PCI_DEVICE || !size ||
	    size > pci_resource_len(fn, 2) || pci_enable_device_mem(fn))
		goto err_put;
	if (!pci_request_region(fn, 2, "mic_host"))
		return fn;
	pci_disable_device(fn);
err_put:
	pci_dev_put(fn);
	return NULL;
}

static void mic_vmic_put_fn(struct pci_dev *fn)
{
	pci_release_region(fn, 2);
	pci_disable_device(fn);
	pci_dev_put(fn);
}

/* The aperture: BAR2 of the ivshmem-plain function aper_devfn. */
static int mic_vmic_map_aper(struct mic_hw *hw, struct pci_dev *pdev)
{
	struct mic_vmic *vm = hw->priv;
	u32 devfn = mic_vmic_read(hw, MIC_VMIC_EXT_APER_DEVFN);
	u64 size = mic_vmic_read64(hw, MIC_VMIC_EXT_APER_SIZE);

	if (size & (size - 1))
		size = 0;
	vm->mem = mic_vmic_get_fn(pdev, devfn, size);
	if (!vm->mem)
		return dev_err_probe(hw->dev, -ENODEV,
				     "no aperture at function %#x\n", devfn);
	hw->aper.pa = pci_resource_start(vm->mem, 2);
	hw->aper.len = size;
	hw->aper.va = ioremap_wc(hw->aper.pa, size);
	if (!hw->aper.va) {
		mic_vmic_put_fn(vm->mem);
		vm->mem = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* The host page: BAR2 of function MIC_VMIC_FN_HOST. */
static int mic_vmic_map_host(struct mic_hw *hw, struct pci_dev *pdev)
{
	struct mic_vmic *vm = hw->priv;
	u32 devfn = PCI_DEVFN(PCI_SLOT(pdev->devfn), MIC_VMIC_FN_HOST);

	vm->host = mic_vmic_get_fn(pdev, devfn, MIC_VMIC_HOST_PAGE_SIZE);
	if (!vm->host)
		return dev_err_probe(hw->dev, -ENODEV,
				     "no host page at function %#x\n", devfn);
	vm->hpage = ioremap(pci_resource_start(vm->host, 2),
			    MIC_VMIC_HOST_PAGE_SIZE);
	if (vm->hpage &&
	    ioread32(vm->hpage + MIC_VMIC_HOST_MAGIC_OFF) == MIC_VMIC_HOST_MAGIC)
		return 0;
	if (vm->hpage)
		iounmap(vm->hpage);
	vm->hpage = NULL;
	mic_vmic_put_fn(vm->host);
	vm->host = NULL;
	return dev_err_probe(hw->dev, -ENODEV, "bad host page\n");
}

/**
 * mic_vmic_probe() - bind a virtual card
 * @hw: the card
 * @pdev: an ivshmem function
 *
 * The function is a card if its BAR2 has the size of the register file
 * and the vmic signature and version; then the aperture function is found
 * and mapped.
 *
 * Return: 0; -ENODEV if @pdev is not a vmic card; another negative errno.
 */
static int mic_vmic_probe(struct mic_hw *hw, struct pci_dev *pdev)
{
	struct mic_vmic *vm;
	void __iomem * const *bars;
	u32 nvec;
	int ret;

	if (pci_resource_len(pdev, 2) != MIC_VMIC_REGS_SIZE ||
	    !(pci_resource_flags(pdev, 2) & IORESOURCE_MEM) ||
	    !pdev->msix_cap)
		return -ENODEV;
	vm = devm_kzalloc(&pdev->dev, sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	hw->priv = vm;
	ret = pcim_iomap_regions(pdev, BIT(0) | BIT(2), "mic_host");
	if (ret)
		return ret;
	bars = pcim_iomap_table(pdev);
	vm->ivregs = bars[0];
	hw->mmio.va = bars[2];
	hw->mmio.pa = pci_resource_start(pdev, 2);
	hw->mmio.len = MIC_VMIC_REGS_SIZE;
	if (mic_vmic_read(hw, MIC_VMIC_EXT_MAGIC) != MIC_VMIC_MAGIC)
		return -ENODEV;
	if (mic_vmic_read(hw, MIC_VMIC_EXT_VERSION) != MIC_VMIC_VERSION)
		return dev_err_probe(hw->dev, -ENODEV,
				     "vmic version %u, not %u\n",
				     mic_vmic_read(hw, MIC_VMIC_EXT_VERSION),
				     MIC_VMIC_VERSION);
	nvec = mic_vmic_read(hw, MIC_VMIC_EXT_NVECTORS);
	if (nvec == 0 || nvec > 0xffff)
		return dev_err_probe(hw->dev, -ENODEV,
				     "bad vector count %u\n", nvec);
	vm->nvectors = nvec;
	hw->want_vectors = min_t(u32, nvec, MIC_MAX_VECTORS);
	/* QEMU's ivshmem drops a doorbell when MSI-X is off: no INTx. */
	hw->irq_types = PCI_IRQ_MSIX;
	hw->stepping = pdev->revision;
	ret = mic_vmic_map_host(hw, pdev);
	if (ret)
		return ret;
	return mic_vmic_map_aper(hw, pdev);
}

static void mic_vmic_remove(struct mic_hw *hw)
{
	struct mic_vmic *vm = hw->priv;

	if (!vm)
		return;
	if (vm->mem) {
		iounmap(hw->aper.va);
		mic_vmic_put_fn(vm->mem);
		vm->mem = NULL;
	}
	if (vm->host) {
		iounmap(vm->hpage);
		mic_vmic_put_fn(vm->host);
		vm->host = NULL;
	}
}

static u32 mic_vmic_read_spad(struct mic_hw *hw, unsigned int idx)
{
	return mic_vmic_read(hw, MIC_VMIC_SPAD(idx));
}

static void mic_vmic_write_spad(struct mic_hw *hw, unsigned int idx, u32 val)
{
	mic_vmic_write(hw, MIC_VMIC_SPAD(idx), val);
}

static u16 mic_vmic_read_post_code(struct mic_hw *hw)
{
	return mic_vmic_read(hw, MIC_VMIC_POSTCODE) & 0xffff;
}

static void mic_vmic_send_h2c_db(struct mic_hw *hw, unsigned int db)
{
	if (db >= MIC_VMIC_H2C_DBS)
		return;
	mic_vmic_write(hw, MIC_VMIC_EXT_H2C_DB(db), 1);
	mic_vmic_ring(hw, MIC_VMIC_EXT_CARD_PEER, MIC_VMIC_EXT_H2C_VEC(db));
}

/* Nothing to route: micemu's c2h_vec map says where each doorbell goes. */
static void mic_vmic_intr_init(struct mic_hw *hw)
{
}

static void mic_vmic_intr_uninit(struct mic_hw *hw)
{
}

/*
 * The doorbells that vector @vector serves: those mapped to it; vector 0
 * also serves those mapped to a vector the host does not have.  With one
 * vector, or when polling, every doorbell.
 */
static u32 mic_vmic_ack_interrupt(struct mic_hw *hw, unsigned int vector)
{
	unsigned int db;
	u32 vec, mask = 0;

	for (db = 0; db < MIC_VMIC_C2H_DBS; db++) {
		vec = mic_vmic_read(hw, MIC_VMIC_EXT_C2H_VEC(db));
		if (hw->nr_vectors > 1 && vec != vector &&
		    (vector != 0 || vec < hw->nr_vectors))
			continue;
		if (!mic_vmic_read(hw, MIC_VMIC_EXT_C2H_DB(db)))
			continue;
		mic_vmic_write(hw, MIC_VMIC_EXT_C2H_DB(db), 0);
		mask |= BIT(db);
	}
	/* The words cleared before the state they announce is read. */
	mb();
	return mask;
}

static void mic_vmic_reset(struct mic_hw *hw)
{
	mic_vmic_write(hw, MIC_VMIC_SPAD(MIC_SPAD_DOWNLOAD), 0);
	mic_vmic_write(hw, MIC_VMIC_RGCR,
		       mic_vmic_read(hw, MIC_VMIC_RGCR) | MIC_VMIC_RGCR_RESET);
	mic_vmic_ring(hw, MIC_VMIC_EXT_EMU_PEER, MIC_VMIC_EXT_RESET_VEC);
}

/*
 * Ready: no card guest runs (the host page, which only micemu writes),
 * and the bootstrap waits (SPAD2).  SPAD2 alone is the card's to forge.
 */
static bool mic_vmic_ready(struct mic_hw *hw)
{
	struct mic_vmic *vm = hw->priv;

	if (ioread32(vm->hpage + MIC_VMIC_HOST_EMU_STATE) != MIC_VMIC_EMU_READY)
		return false;
	/* The page before the register it vouches for. */
	rmb();
	return mic_vmic_read(hw, MIC_VMIC_SPAD(MIC_SPAD_DOWNLOAD)) &
	       MIC_VMIC_SPAD2_READY;
}

static int mic_vmic_boot(struct mic_hw *hw, const struct mic_image *img)
{
	u32 spad2 = mic_vmic_read(hw, MIC_VMIC_SPAD(MIC_SPAD_DOWNLOAD));
	int ret;

	ret = mic_load_image(hw, img);
	if (ret)
		return ret;
	mic_vmic_write(hw, MIC_VMIC_APICICR_HI(MIC_VMIC_BOOT_APICICR),
		       MIC_VMIC_SPAD2_APICID(spad2));
	mic_vmic_write(hw, MIC_VMIC_APICICR(MIC_VMIC_BOOT_APICICR),
		       MIC_VMIC_BOOT_VECTOR | MIC_VMIC_APICICR_SEND);
	mic_vmic_ring(hw, MIC_VMIC_EXT_EMU_PEER, MIC_VMIC_EXT_BOOT_VEC);
	return 0;
}

static u32 mic_vmic_smpt_encode(struct mic_hw *hw, dma_addr_t addr)
{
	return (u32)(addr >> MIC_SMPT_SHIFT) << 2;
}

static void mic_vmic_smpt_set(struct mic_hw *hw, unsigned int idx, u32 val)
{
	if (idx < MIC_VMIC_SMPT_COUNT)
		mic_vmic_write(hw, MIC_VMIC_SMPT(idx), val);
}

const struct mic_hw_ops mic_vmic_ops = {
	.family = "vmic",
	.reset_delay_ms = 0,
	.reset_poll_ms = 20,
	.probe = mic_vmic_probe,
	.remove = mic_vmic_remove,
	.read_spad = mic_vmic_read_spad,
	.write_spad = mic_vmic_write_spad,
	.read_post_code = mic_vmic_read_post_code,
	.send_h2c_db = mic_vmic_send_h2c_db,
	.intr_init = mic_vmic_intr_init,
	.intr_uninit = mic_vmic_intr_uninit,
	.ack_interrupt = mic_vmic_ack_interrupt,
	.reset = mic_vmic_reset,
	.ready = mic_vmic_ready,
	.boot = mic_vmic_boot,
	.smpt_encode = mic_vmic_smpt_encode,
	.smpt_set = mic_vmic_smpt_set,
};
