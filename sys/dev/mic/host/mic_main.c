// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 host driver: the module, the "mic" class and the PCI
 * driver of the X100 functions and of micemu's virtual cards.  Probe sets
 * a card up from the bottom (hardware, device page, interrupts, state) to
 * the top (class device, debugfs); remove takes it down in the reverse
 * order, after resetting a running card.
 */
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include <linux/mic_vmic.h>

#include "../common/mic_abi_check.h"
#include "../common/mic_dp.h"
#include "mic_dev.h"

static dev_t mic_devt;
static DEFINE_IDA(mic_ida);

#define MIC_X100_ID(dev)						\
	{ PCI_VDEVICE(INTEL, dev), (kernel_ulong_t)&mic_x100_ops }

static const struct pci_device_id mic_pci_ids[] = {
	MIC_X100_ID(0x2250),
	MIC_X100_ID(0x2251),
	MIC_X100_ID(0x2252),
	MIC_X100_ID(0x2253),
	MIC_X100_ID(0x2254),
	MIC_X100_ID(0x2255),
	MIC_X100_ID(0x2256),
	MIC_X100_ID(0x2257),
	MIC_X100_ID(0x2258),
	MIC_X100_ID(0x2259),
	MIC_X100_ID(0x225a),
	MIC_X100_ID(0x225b),
	MIC_X100_ID(0x225c),
	MIC_X100_ID(0x225d),
	MIC_X100_ID(0x225e),
	/* ivshmem: a vmic card only if its register file says so. */
	{ PCI_DEVICE(MIC_VMIC_PCI_VENDOR, MIC_VMIC_PCI_DEVICE),
	  .driver_data = (kernel_ulong_t)&mic_vmic_ops },
	{ }
};
MODULE_DEVICE_TABLE(pci, mic_pci_ids);

/* The device page: a whole page, mapped for the card through the SMPT. */
static int mic_dp_alloc(struct mic_device *mdev)
{
	struct device *dev = &mdev->pdev->dev;
	int ret;

	mdev->dp = (void *)get_zeroed_page(GFP_KERNEL);
	if (!mdev->dp)
		return -ENOMEM;
	mic_dp_init(mdev->dp, MIC_C2H_SHUTDOWN_DB);
	mdev->dp_dma = dma_map_single(dev, mdev->dp, PAGE_SIZE,
				      DMA_BIDIRECTIONAL);
	ret = dma_mapping_error(dev, mdev->dp_dma);
	if (ret)
		goto err_free;
	ret = mic_smpt_map(mdev, mdev->dp_dma, PAGE_SIZE, &mdev->dp_card);
	if (ret)
		goto err_unmap;
	return 0;

err_unmap:
	dma_unmap_single(dev, mdev->dp_dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
err_free:
	free_page((unsigned long)mdev->dp);
	return ret;
}

static void mic_dp_free(struct mic_device *mdev)
{
	if (mdev->dp_leaked) {
		dev_warn(&mdev->pdev->dev, "card not reset: device page leaked\n");
		return;
	}
	mic_smpt_unmap(mdev, mdev->dp_card, PAGE_SIZE);
	dma_unmap_single(&mdev->pdev->dev, mdev->dp_dma, PAGE_SIZE,
			 DMA_BIDIRECTIONAL);
	free_page((unsigned long)mdev->dp);
}

/* The attributes' defaults (ABI.md section 1). */
static int mic_attr_init(struct mic_device *mdev)
{
	snprintf(mdev->name, sizeof(mdev->name), "mic%d", mdev->id);
	mdev->cmdline = kstrdup("", GFP_KERNEL);
	if (!mdev->cmdline)
		return -ENOMEM;
	strscpy(mdev->firmware, "mic/uos.img", sizeof(mdev->firmware));
	snprintf(mdev->ramdisk, sizeof(mdev->ramdisk), "mic/mic%d.image",
		 mdev->id);
	if (mdev->id < 254)
		snprintf(mdev->ipaddr, sizeof(mdev->ipaddr),
			 "172.31.%d.1/24", mdev->id + 1);
	return 0;
}

static int mic_dev_add(struct mic_device *mdev)
{
	struct device *sdev;

	sdev = device_create(&mic_class, &mdev->pdev->dev,
			     MKDEV(MAJOR(mic_devt), mdev->id), mdev, "%s",
			     mdev->name);
	if (IS_ERR(sdev))
		return PTR_ERR(sdev);
	mutex_lock(&mdev->lock);
	mdev->sdev = sdev;
	mdev->kn_state = sysfs_get_dirent(sdev->kobj.sd, "state");
	mdev->kn_status = sysfs_get_dirent(sdev->kobj.sd, "shutdown_status");
	mutex_unlock(&mdev->lock);
	return 0;
}

static void mic_dev_del(struct mic_device *mdev)
{
	struct kernfs_node *kn_state, *kn_status;
	struct device *sdev;

	mutex_lock(&mdev->lock);
	sdev = mdev->sdev;
	kn_state = mdev->kn_state;
	kn_status = mdev->kn_status;
	mdev->sdev = NULL;
	mdev->kn_state = NULL;
	mdev->kn_status = NULL;
	mutex_unlock(&mdev->lock);
	sysfs_put(kn_status);
	sysfs_put(kn_state);
	device_destroy(&mic_class, sdev->devt);
}

static int mic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mic_device *mdev;
	int ret;

	mdev = devm_kzalloc(&pdev->dev, sizeof(*mdev), GFP_KERNEL);
	if (!mdev)
		return -ENOMEM;
	mdev->pdev = pdev;
	mdev->hw.ops = (const struct mic_hw_ops *)id->driver_data;
	mdev->hw.dev = &pdev->dev;
	mutex_init(&mdev->lock);
	ret = pcim_enable_device(pdev);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "cannot enable device\n");
	ret = mdev->hw.ops->probe(&mdev->hw, pdev);
	if (ret)
		goto err_hw_remove;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret) {
		dev_err_probe(&pdev->dev, ret, "no 64-bit DMA\n");
		goto err_hw_remove;
	}
	pci_set_master(pdev);
	ret = ida_alloc_max(&mic_ida, MIC_MAX_CARDS - 1, GFP_KERNEL);
	if (ret < 0)
		goto err_hw_remove;
	mdev->id = ret;
	ret = mic_attr_init(mdev);
	if (ret)
		goto err_ida_free;
	mic_smpt_init(mdev);
	ret = mic_virtio_init(mdev);
	if (ret)
		goto err_attr_free;
	ret = mic_dp_alloc(mdev);	/* undone by mic_dp_free() */
	if (ret)
		goto err_virtio_uninit;
	ret = mic_intr_init(mdev);
	if (ret)
		goto err_dp_free;
	ret = mic_boot_init(mdev);
	if (ret)
		goto err_intr_uninit;
	pci_set_drvdata(pdev, mdev);
	ret = mic_fops_add(mdev, MKDEV(MAJOR(mic_devt), mdev->id));
	if (ret)
		goto err_boot_uninit;
	ret = mic_dev_add(mdev);
	if (ret)
		goto err_fops_del;
	mic_debugfs_add(mdev);
	dev_info(&pdev->dev, "%s: %s card, %llu MiB, state %s\n", mdev->name,
		 mdev->hw.ops->family, (u64)mdev->hw.aper.len >> 20,
		 mic_state_name(mdev->state));
	return 0;

err_fops_del:
	mic_fops_del(mdev);
err_boot_uninit:
	mic_boot_uninit(mdev);
err_intr_uninit:
	mic_intr_uninit(mdev);
err_dp_free:
	mic_dp_free(mdev);
err_virtio_uninit:
	mic_virtio_uninit(mdev);
err_attr_free:
	kfree(mdev->cmdline);
err_ida_free:
	ida_free(&mic_ida, mdev->id);
err_hw_remove:
	if (mdev->hw.ops->remove)
		mdev->hw.ops->remove(&mdev->hw);
	return ret;
}

static void mic_remove(struct pci_dev *pdev)
{
	struct mic_device *mdev = pci_get_drvdata(pdev);

	mic_debugfs_del(mdev);
	mic_fops_del(mdev);	/* no more opens; open files stay */
	mic_dev_del(mdev);
	mic_boot_uninit(mdev);	/* resets a running card */
	mic_virtio_uninit(mdev);	/* detaches the open files */
	mic_intr_uninit(mdev);
	mic_dp_free(mdev);
	kfree(mdev->cmdline);
	ida_free(&mic_ida, mdev->id);
	if (mdev->hw.ops->remove)
		mdev->hw.ops->remove(&mdev->hw);
}

static struct pci_driver mic_driver = {
	.name = "mic_host",
	.id_table = mic_pci_ids,
	.probe = mic_probe,
	.remove = mic_remove,
};

static int __init mic_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&mic_devt, 0, MIC_MAX_CARDS, "mic");
	if (ret)
		return ret;
	ret = class_register(&mic_class);
	if (ret)
		goto err_chrdev_unregister;
	mic_debugfs_init();
	ret = pci_register_driver(&mic_driver);
	if (ret)
		goto err_debugfs_exit;
	return 0;

err_debugfs_exit:
	mic_debugfs_exit();
	class_unregister(&mic_class);
err_chrdev_unregister:
	unregister_chrdev_region(mic_devt, MIC_MAX_CARDS);
	return ret;
}

static void __exit mic_exit(void)
{
	pci_unregister_driver(&mic_driver);
	mic_debugfs_exit();
	class_unregister(&mic_class);
	unregister_chrdev_region(mic_devt, MIC_MAX_CARDS);
	ida_destroy(&mic_ida);
}

module_init(mic_init);
module_exit(mic_exit);

MODULE_DESCRIPTION("Intel MIC X100 coprocessor host driver");
MODULE_LICENSE("GPL");
