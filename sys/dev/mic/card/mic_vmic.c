// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 card driver: the hardware ops of vmic, the virtual X100
 * of micemu(8), in the card guest.
 *
 * Slot MIC_VMIC_CARD_SLOT holds two ivshmem functions (1af4:1110):
 * function MIC_VMIC_FN_REGS is an ivshmem-doorbell device whose BAR2 is
 * the card's register file (the X100 registers at their offsets, then
 * the vmic extension, <linux/mic_vmic.h>), and function MIC_VMIC_FN_MEM
 * an ivshmem-plain device whose BAR2 is the host window: the host guest's
 * memory, where a host address is an offset in the BAR.  micemu does not
 * emulate the SMPT: the card translates through the SMPT registers, then
 * adds the window.
 *
 * Doorbells (the protocol of <linux/mic_vmic.h>): to ring the host, write
 * 1 to c2h_db[db] and ring host_peer with vector c2h_vec[db].  A host to
 * card doorbell n arrives as MSI-X vector h2c_vec[n]: for each doorbell
 * of that vector whose word is not 0, write 0, then handle it; the words
 * are also looked at once when the card starts.
 */
#include <linux/bits.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/pci.h>

#include <linux/mic_vmic.h>

#include "mic_card.h"

/* The most MSI-X vectors asked for: enough for 16 doorbells, one each. */
#define MIC_CARD_VMIC_MAX_VECS	MIC_VMIC_H2C_DBS

static_assert(MIC_VMIC_H2C_DBS <= MIC_CARD_MAX_DBS);

/* mic_card_scan_vmic(): every vector. */
#define MIC_CARD_VMIC_ALL_VECS	(~0U)

struct mic_card_vmic;

/**
 * struct mic_card_vmic_vec - one MSI-X vector of the doorbell device
 * @vmic: the card
 * @vec: the vector
 */
struct mic_card_vmic_vec {
	struct mic_card_vmic *vmic;
	unsigned int vec;
};

/**
 * struct mic_card_vmic - the virtual card
 * @mcard: what the core sees
 * @pdev: the ivshmem-doorbell function
 * @ivregs: its BAR0, the ivshmem registers
 * @regs: its BAR2, the register file
 * @hwin_pdev: the ivshmem-plain function of the host window
 * @hwin: the host window, mapped as normal memory
 * @hwin_size: its size
 * @nvec: MSI-X vectors in use
 * @vecs: their contexts
 * @h2c_vec: the vector of each host to card doorbell
 * @c2h_vec: the host's vector of each card to host doorbell
 */
struct mic_card_vmic {
	struct mic_card mcard;
	struct pci_dev *pdev;
	void __iomem *ivregs;
	void __iomem *regs;
	struct pci_dev *hwin_pdev;
	void *hwin;
	u64 hwin_size;
	unsigned int nvec;
	struct mic_card_vmic_vec vecs[MIC_CARD_VMIC_MAX_VECS];
	u32 h2c_vec[MIC_VMIC_H2C_DBS];
	u32 c2h_vec[MIC_VMIC_C2H_DBS];
};

static struct mic_card_vmic *mic_card_to_vmic(struct mic_card *mcard)
{
	return container_of(mcard, struct mic_card_vmic, mcard);
}

static u32 mic_card_rd_vmic(struct mic_card_vmic *vmic, u32 off)
{
	return ioread32(vmic->regs + off);
}

static void mic_card_wr_vmic(struct mic_card_vmic *vmic, u32 off, u32 val)
{
	iowrite32(val, vmic->regs + off);
}

static u32 mic_card_read_spad_vmic(struct mic_card *mcard, unsigned int idx)
{
	return mic_card_rd_vmic(mic_card_to_vmic(mcard), MIC_VMIC_SPAD(idx));
}

static void mic_card_write_spad_vmic(struct mic_card *mcard, unsigned int idx,
				     u32 val)
{
	mic_card_wr_vmic(mic_card_to_vmic(mcard), MIC_VMIC_SPAD(idx), val);
}

static u32 mic_card_read_smpt_vmic(struct mic_card *mcard, unsigned int entry)
{
	return mic_card_rd_vmic(mic_card_to_vmic(mcard), MIC_VMIC_SMPT(entry));
}

/* Host memory is the host window at the host address, if it fits. */
static void *mic_card_map_vmic(struct mic_card *mcard, u64 card_addr,
			       u64 host_addr, size_t len)
{
	struct mic_card_vmic *vmic = mic_card_to_vmic(mcard);

	if (host_addr >= vmic->hwin_size || len > vmic->hwin_size - host_addr) {
		dev_err(mcard->dev, "card address %#llx + %zu: host address %#llx is outside the host window of %#llx bytes\n",
			card_addr, len, host_addr, vmic->hwin_size);
		return NULL;
	}
	return vmic->hwin + host_addr;
}

static void mic_card_unmap_vmic(struct mic_card *mcard, void *va)
{
}

/*
 * The vectors are set up at probe, so a doorbell starts at once; the
 * words of doorbells not in use are cleared and ignored meanwhile.
 */
static int mic_card_enable_db_vmic(struct mic_card *mcard, int db)
{
	return 0;
}

/* No handler of @db runs once the vector's thread has been waited for. */
static void mic_card_disable_db_vmic(struct mic_card *mcard, int db)
{
	struct mic_card_vmic *vmic = mic_card_to_vmic(mcard);

	synchronize_irq(pci_irq_vector(vmic->pdev, vmic->h2c_vec[db]));
}

static void mic_card_send_intr_vmic(struct mic_card *mcard, int db)
{
	struct mic_card_vmic *vmic = mic_card_to_vmic(mcard);
	u32 peer;

	mic_card_wr_vmic(vmic, MIC_VMIC_EXT_C2H_DB(db), 1);
	peer = mic_card_rd_vmic(vmic, MIC_VMIC_EXT_HOST_PEER);
	if (peer == MIC_VMIC_PEER_NONE)
		return;
	iowrite32(MIC_VMIC_DOORBELL(peer, vmic->c2h_vec[db]),
		  vmic->ivregs + MIC_VMIC_IVSHMEM_DOORBELL);
}

static const struct mic_card_hw_ops mic_card_ops_vmic = {
	.h2c_dbs = MIC_VMIC_H2C_DBS,
	.c2h_dbs = MIC_VMIC_C2H_DBS,
	.read_spad = mic_card_read_spad_vmic,
	.write_spad = mic_card_write_spad_vmic,
	.read_smpt = mic_card_read_smpt_vmic,
	.map = mic_card_map_vmic,
	.unmap = mic_card_unmap_vmic,
	.enable_db = mic_card_enable_db_vmic,
	.disable_db = mic_card_disable_db_vmic,
	.send_intr = mic_card_send_intr_vmic,
};

/* Acknowledge and handle the pending doorbells of vector @vec. */
static void mic_card_scan_vmic(struct mic_card_vmic *vmic, unsigned int vec)
{
	int n;

	for (n = 0; n < MIC_VMIC_H2C_DBS; n++) {
		if (vec != MIC_CARD_VMIC_ALL_VECS && vmic->h2c_vec[n] != vec)
			continue;
		if (!mic_card_rd_vmic(vmic, MIC_VMIC_EXT_H2C_DB(n)))
			continue;
		mic_card_wr_vmic(vmic, MIC_VMIC_EXT_H2C_DB(n), 0);
		mic_card_doorbell(&vmic->mcard, n);
	}
}

static irqreturn_t mic_card_thread_vmic(int irq, void *data)
{
	struct mic_card_vmic_vec *v = data;

	mic_card_scan_vmic(v->vmic, v->vec);
	return IRQ_HANDLED;
}

/* The vector maps of the extension, checked against the device. */
static int mic_card_read_ext_vmic(struct mic_card_vmic *vmic)
{
	struct device *dev = &vmic->pdev->dev;
	u32 nvectors = mic_card_rd_vmic(vmic, MIC_VMIC_EXT_NVECTORS);
	int i;

	nvectors = min_t(u32, nvectors, MIC_CARD_VMIC_MAX_VECS);
	vmic->nvec = 0;
	for (i = 0; i < MIC_VMIC_H2C_DBS; i++) {
		vmic->h2c_vec[i] = mic_card_rd_vmic(vmic,
						    MIC_VMIC_EXT_H2C_VEC(i));
		if (vmic->h2c_vec[i] >= nvectors)
			return dev_err_probe(dev, -EINVAL, "doorbell %d: vector %u of %u\n",
					     i, vmic->h2c_vec[i], nvectors);
		vmic->nvec = max(vmic->nvec, vmic->h2c_vec[i] + 1);
	}
	for (i = 0; i < MIC_VMIC_C2H_DBS; i++)
		vmic->c2h_vec[i] = mic_card_rd_vmic(vmic,
						    MIC_VMIC_EXT_C2H_VEC(i));
	return 0;
}

static void mic_card_put_hwin_vmic(void *data)
{
	pci_dev_put(data);
}

static void mic_card_disable_hwin_vmic(void *data)
{
	pci_disable_device(data);
}

static void mic_card_release_hwin_vmic(void *data)
{
	pci_release_region(data, 2);
}

/*
 * The host window: the function the extension names, in this slot, an
 * ivshmem device; enabled, its BAR2 claimed and mapped write-back (it is
 * RAM of the host guest).  Undone through devres of the doorbell device.
 */
static int mic_card_hwin_vmic(struct mic_card_vmic *vmic)
{
	struct device *dev = &vmic->pdev->dev;
	u32 devfn = mic_card_rd_vmic(vmic, MIC_VMIC_EXT_HWIN_DEVFN);
	struct pci_dev *hwin;
	int ret;

	if (devfn != PCI_DEVFN(MIC_VMIC_CARD_SLOT, MIC_VMIC_FN_MEM))
		return dev_err_probe(dev, -ENODEV, "host window at devfn %#x, not in this slot\n",
				     devfn);
	hwin = pci_get_slot(vmic->pdev->bus, devfn);
	if (!hwin)
		return dev_err_probe(dev, -ENODEV, "no host window device\n");
	ret = devm_add_action_or_reset(dev, mic_card_put_hwin_vmic, hwin);
	if (ret)
		return ret;
	if (hwin->vendor != MIC_VMIC_PCI_VENDOR ||
	    hwin->device != MIC_VMIC_PCI_DEVICE)
		return dev_err_probe(dev, -ENODEV, "host window %s is not ivshmem\n",
				     pci_name(hwin));
	ret = pci_enable_device(hwin);
	if (ret)
		return dev_err_probe(dev, ret, "cannot enable the host window\n");
	ret = devm_add_action_or_reset(dev, mic_card_disable_hwin_vmic, hwin);
	if (ret)
		return ret;
	ret = pci_request_region(hwin, 2, "mic_card");
	if (ret)
		return dev_err_probe(dev, ret, "cannot claim the host window\n");
	ret = devm_add_action_or_reset(dev, mic_card_release_hwin_vmic, hwin);
	if (ret)
		return ret;
	vmic->hwin_pdev = hwin;
	vmic->hwin_size = pci_resource_len(hwin, 2);
	vmic->hwin = devm_memremap(dev, pci_resource_start(hwin, 2),
				   vmic->hwin_size, MEMREMAP_WB);
	if (IS_ERR(vmic->hwin))
		return dev_err_probe(dev, PTR_ERR(vmic->hwin), "cannot map the host window\n");
	return 0;
}

/* One MSI-X vector per doorbell vector, each with a thread. */
static int mic_card_irqs_vmic(struct mic_card_vmic *vmic)
{
	struct pci_dev *pdev = vmic->pdev;
	unsigned int v;
	int ret;

	/* An MSI-X message is a write of the device: it needs bus mastering. */
	pci_set_master(pdev);
	ret = pci_alloc_irq_vectors(pdev, vmic->nvec, vmic->nvec, PCI_IRQ_MSIX);
	if (ret < 0)
		return dev_err_probe(&pdev->dev, ret, "cannot get %u MSI-X vectors\n",
				     vmic->nvec);
	for (v = 0; v < vmic->nvec; v++) {
		vmic->vecs[v].vmic = vmic;
		vmic->vecs[v].vec = v;
		ret = devm_request_threaded_irq(&pdev->dev,
						pci_irq_vector(pdev, v), NULL,
						mic_card_thread_vmic,
						IRQF_ONESHOT, "mic_card",
						&vmic->vecs[v]);
		if (ret)
			return dev_err_probe(&pdev->dev, ret, "cannot request vector %u\n",
					     v);
	}
	return 0;
}

/* The register file: BAR2 large enough, with the vmic signature. */
static int mic_card_regs_vmic(struct mic_card_vmic *vmic)
{
	struct pci_dev *pdev = vmic->pdev;
	int ret;

	if (pci_resource_len(pdev, 2) < MIC_VMIC_REGS_SIZE)
		return dev_err_probe(&pdev->dev, -ENODEV,
				     "BAR2 too small for the vmic registers\n");
	ret = pcim_iomap_regions(pdev, BIT(0) | BIT(2), "mic_card");
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "cannot map BAR0 and BAR2\n");
	vmic->ivregs = pcim_iomap_table(pdev)[0];
	vmic->regs = pcim_iomap_table(pdev)[2];
	if (mic_card_rd_vmic(vmic, MIC_VMIC_EXT_MAGIC) != MIC_VMIC_MAGIC ||
	    mic_card_rd_vmic(vmic, MIC_VMIC_EXT_VERSION) != MIC_VMIC_VERSION)
		return dev_err_probe(&pdev->dev, -ENODEV,
				     "no vmic register file (magic %#x, version %u)\n",
				     mic_card_rd_vmic(vmic, MIC_VMIC_EXT_MAGIC),
				     mic_card_rd_vmic(vmic, MIC_VMIC_EXT_VERSION));
	return 0;
}

static int mic_card_probe_vmic(struct pci_dev *pdev,
			       const struct pci_device_id *id)
{
	struct mic_card_vmic *vmic;
	int ret;

	/* Only the doorbell function of the card's slot is ours. */
	if (pdev->devfn != PCI_DEVFN(MIC_VMIC_CARD_SLOT, MIC_VMIC_FN_REGS))
		return -ENODEV;
	vmic = devm_kzalloc(&pdev->dev, sizeof(*vmic), GFP_KERNEL);
	if (!vmic)
		return -ENOMEM;
	vmic->pdev = pdev;
	vmic->mcard.dev = &pdev->dev;
	vmic->mcard.ops = &mic_card_ops_vmic;
	ret = pcim_enable_device(pdev);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "cannot enable device\n");
	ret = mic_card_regs_vmic(vmic);
	if (ret)
		return ret;
	ret = mic_card_read_ext_vmic(vmic);
	if (ret)
		return ret;
	ret = mic_card_hwin_vmic(vmic);
	if (ret)
		return ret;
	ret = mic_card_irqs_vmic(vmic);
	if (ret)
		return ret;
	pci_set_drvdata(pdev, vmic);
	ret = mic_card_start(&vmic->mcard);
	if (ret)
		return ret;
	mic_card_scan_vmic(vmic, MIC_CARD_VMIC_ALL_VECS);
	return 0;
}

static const struct pci_device_id mic_card_ids_vmic[] = {
	{ PCI_DEVICE(MIC_VMIC_PCI_VENDOR, MIC_VMIC_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mic_card_ids_vmic);

static struct pci_driver mic_card_driver_vmic = {
	.name = "mic_card",
	.id_table = mic_card_ids_vmic,
	.probe = mic_card_probe_vmic,
};

/**
 * mic_card_register_vmic() - register the vmic PCI driver
 *
 * It binds only to the doorbell function of slot MIC_VMIC_CARD_SLOT
 * whose register file has the vmic signature.
 *
 * Return: 0, or a negative errno.
 */
int mic_card_register_vmic(void)
{
	return pci_register_driver(&mic_card_driver_vmic);
}

/**
 * mic_card_unregister_vmic() - undo mic_card_register_vmic()
 */
void mic_card_unregister_vmic(void)
{
	pci_unregister_driver(&mic_card_driver_vmic);
}
