// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 host driver: the module, the "mic" class and the PCI
 * driver of the X100 functions.
 */
#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "../common/mic_abi_check.h"
#include "../common/mic_dp.h"

/**
 * struct mic_device - one card
 * @pdev: its PCI function
 * @dp: its device page, in host memory
 */
struct mic_device {
	struct pci_dev *pdev;
	void *dp;
};

static struct class mic_class = {
	.name = "mic",
	.owner = THIS_MODULE,
};

static const struct pci_device_id mic_pci_ids[] = {
	{ PCI_VDEVICE(INTEL, 0x2250) },
	{ PCI_VDEVICE(INTEL, 0x2251) },
	{ PCI_VDEVICE(INTEL, 0x2252) },
	{ PCI_VDEVICE(INTEL, 0x2253) },
	{ PCI_VDEVICE(INTEL, 0x2254) },
	{ PCI_VDEVICE(INTEL, 0x2255) },
	{ PCI_VDEVICE(INTEL, 0x2256) },
	{ PCI_VDEVICE(INTEL, 0x2257) },
	{ PCI_VDEVICE(INTEL, 0x2258) },
	{ PCI_VDEVICE(INTEL, 0x2259) },
	{ PCI_VDEVICE(INTEL, 0x225a) },
	{ PCI_VDEVICE(INTEL, 0x225b) },
	{ PCI_VDEVICE(INTEL, 0x225c) },
	{ PCI_VDEVICE(INTEL, 0x225d) },
	{ PCI_VDEVICE(INTEL, 0x225e) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mic_pci_ids);

static int mic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mic_device *mdev;
	unsigned long page;
	int ret;

	mdev = devm_kzalloc(&pdev->dev, sizeof(*mdev), GFP_KERNEL);
	if (!mdev)
		return -ENOMEM;
	mdev->pdev = pdev;
	ret = pcim_enable_device(pdev);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "cannot enable device\n");
	/* The device page: one whole page, so that it can be mapped. */
	page = devm_get_free_pages(&pdev->dev, GFP_KERNEL, 0);
	if (!page)
		return -ENOMEM;
	mdev->dp = (void *)page;
	mic_dp_init(mdev->dp, 0);
	pci_set_drvdata(pdev, mdev);
	return 0;
}

static struct pci_driver mic_driver = {
	.name = "mic_host",
	.id_table = mic_pci_ids,
	.probe = mic_probe,
};

static int __init mic_init(void)
{
	int ret;

	ret = class_register(&mic_class);
	if (ret)
		return ret;
	ret = pci_register_driver(&mic_driver);
	if (ret)
		goto err_class_unregister;
	return 0;

err_class_unregister:
	class_unregister(&mic_class);
	return ret;
}

static void __exit mic_exit(void)
{
	pci_unregister_driver(&mic_driver);
	class_unregister(&mic_class);
}

module_init(mic_init);
module_exit(mic_exit);

MODULE_DESCRIPTION("Intel MIC X100 coprocessor host driver");
MODULE_LICENSE("GPL");
