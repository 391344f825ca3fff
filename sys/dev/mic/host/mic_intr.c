// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 host driver: interrupts.  The card raises card to host
 * doorbells 0..MIC_C2H_DBS - 1; they arrive on MSI-X vectors (as many as
 * the leaf can use), else on one MSI or INTx line, else the doorbells are
 * polled.  The hard handler asks the leaf which doorbells are pending and
 * acknowledges them; a thread runs their handlers, which may sleep.
 */
#include <linux/interrupt.h>
#include <linux/pci.h>

#include "mic_dev.h"

#define MIC_POLL_MS	50

static void mic_intr_pend(struct mic_device *mdev, u32 mask)
{
	unsigned int db;

	for (db = 0; db < MIC_C2H_DBS; db++)
		if (mask & BIT(db))
			set_bit(db, &mdev->intr.pending);
}

static void mic_intr_serve(struct mic_device *mdev)
{
	struct mic_intr *intr = &mdev->intr;
	struct mic_db_handler *h;
	unsigned int db;

	for (db = 0; db < MIC_C2H_DBS; db++) {
		if (!test_and_clear_bit(db, &intr->pending))
			continue;
		mutex_lock(&intr->lock);
		list_for_each_entry(h, &intr->handlers[db], node)
			h->fn(h->data);
		mutex_unlock(&intr->lock);
	}
}

static irqreturn_t mic_intr_hard(int irq, void *data)
{
	struct mic_irq *mi = data;
	struct mic_hw *hw = &mi->mdev->hw;
	u32 mask;

	mask = hw->ops->ack_interrupt(hw, mi->vector);
	if (!mask)
		return IRQ_NONE;
	mic_intr_pend(mi->mdev, mask);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t mic_intr_thread(int irq, void *data)
{
	struct mic_irq *mi = data;

	mic_intr_serve(mi->mdev);
	return IRQ_HANDLED;
}

/* No interrupt: look at the doorbells every MIC_POLL_MS. */
static void mic_intr_poll(struct work_struct *work)
{
	struct mic_device *mdev = container_of(to_delayed_work(work),
					       struct mic_device, intr.poll);
	struct mic_hw *hw = &mdev->hw;

	mic_intr_pend(mdev, hw->ops->ack_interrupt(hw, 0));
	mic_intr_serve(mdev);
	schedule_delayed_work(&mdev->intr.poll, msecs_to_jiffies(MIC_POLL_MS));
}

static int mic_intr_alloc(struct mic_device *mdev)
{
	struct pci_dev *pdev = mdev->pdev;
	struct mic_hw *hw = &mdev->hw;
	unsigned int types = hw->irq_types;
	int nvec;

	if (!types)
		types = PCI_IRQ_MSIX | PCI_IRQ_MSI | PCI_IRQ_LEGACY;
	nvec = pci_alloc_irq_vectors(pdev, 1, max(hw->want_vectors, 1U),
				     types);
	if (nvec < 0) {
		dev_warn(&pdev->dev, "no interrupt: polling the doorbells\n");
		hw->irq_mode = MIC_IRQ_NONE;
		hw->nr_vectors = 1;
		return 0;
	}
	if (pdev->msix_enabled)
		hw->irq_mode = MIC_IRQ_MSIX;
	else if (pdev->msi_enabled)
		hw->irq_mode = MIC_IRQ_MSI;
	else
		hw->irq_mode = MIC_IRQ_INTX;
	hw->nr_vectors = hw->irq_mode == MIC_IRQ_MSIX ? nvec : 1;
	return nvec;
}

static void mic_intr_free_irqs(struct mic_device *mdev, unsigned int n)
{
	struct mic_irq *irqs = mdev->intr.irqs;

	while (n--)
		free_irq(pci_irq_vector(mdev->pdev, n), &irqs[n]);
}

/**
 * mic_intr_init() - set up the interrupts of a card
 * @mdev: the card
 *
 * Allocates the vectors, requests a threaded handler for each, and lets
 * the leaf route and enable the doorbell sources; without interrupts,
 * starts polling.
 *
 * Return: 0 or a negative errno.
 */
int mic_intr_init(struct mic_device *mdev)
{
	struct mic_intr *intr = &mdev->intr;
	struct mic_hw *hw = &mdev->hw;
	unsigned int i;
	int nvec, ret;

	mutex_init(&intr->lock);
	for (i = 0; i < MIC_C2H_DBS; i++)
		INIT_LIST_HEAD(&intr->handlers[i]);
	INIT_DELAYED_WORK(&intr->poll, mic_intr_poll);
	nvec = mic_intr_alloc(mdev);
	for (i = 0; i < nvec; i++) {
		intr->irqs[i].mdev = mdev;
		intr->irqs[i].vector = i;
		ret = request_threaded_irq(pci_irq_vector(mdev->pdev, i),
					   mic_intr_hard, mic_intr_thread,
					   hw->irq_mode == MIC_IRQ_INTX ?
					   IRQF_SHARED : 0,
					   mdev->name, &intr->irqs[i]);
		if (ret) {
			mic_intr_free_irqs(mdev, i);
			pci_free_irq_vectors(mdev->pdev);
			return dev_err_probe(&mdev->pdev->dev, ret,
					     "cannot request interrupt %u\n", i);
		}
	}
	intr->nr_irqs = nvec;
	hw->ops->intr_init(hw);
	if (hw->irq_mode == MIC_IRQ_NONE)
		schedule_delayed_work(&intr->poll, 0);
	return 0;
}

/**
 * mic_intr_uninit() - take down the interrupts of a card
 * @mdev: the card
 *
 * Disables the sources, frees the interrupts and stops polling; no
 * doorbell handler runs afterwards.
 */
void mic_intr_uninit(struct mic_device *mdev)
{
	struct mic_hw *hw = &mdev->hw;

	hw->ops->intr_uninit(hw);
	cancel_delayed_work_sync(&mdev->intr.poll);
	if (mdev->intr.nr_irqs) {
		mic_intr_free_irqs(mdev, mdev->intr.nr_irqs);
		pci_free_irq_vectors(mdev->pdev);
		mdev->intr.nr_irqs = 0;
	}
}

/**
 * mic_intr_restore() - route and enable the doorbell sources again
 * @mdev: the card
 *
 * Called before every boot: some X100 steppings lose the routing over a
 * reset.
 */
void mic_intr_restore(struct mic_device *mdev)
{
	mdev->hw.ops->intr_init(&mdev->hw);
}

/**
 * mic_db_add() - add a handler of a card to host doorbell
 * @mdev: the card
 * @db: the doorbell, below MIC_C2H_DBS
 * @h: the handler, with &mic_db_handler.fn and &mic_db_handler.data set
 *
 * Several handlers may share a doorbell: each runs on every ring of it,
 * and finds out for itself whether there is something for it.
 */
void mic_db_add(struct mic_device *mdev, unsigned int db,
		struct mic_db_handler *h)
{
	mutex_lock(&mdev->intr.lock);
	list_add_tail(&h->node, &mdev->intr.handlers[db]);
	mutex_unlock(&mdev->intr.lock);
}

/**
 * mic_db_del() - remove a handler of a card to host doorbell
 * @mdev: the card
 * @db: the doorbell given to mic_db_add()
 * @h: the handler
 *
 * When it returns, @h is not running and will not run again.
 */
void mic_db_del(struct mic_device *mdev, unsigned int db,
		struct mic_db_handler *h)
{
	mutex_lock(&mdev->intr.lock);
	list_del(&h->node);
	mutex_unlock(&mdev->intr.lock);
}

/**
 * mic_send_h2c_db() - ring a host to card doorbell
 * @mdev: the card
 * @db: the doorbell, as the card published it in the device page
 *
 * A doorbell outside 0..MIC_H2C_DBS - 1 (-1: not published) is not rung.
 *
 * Return: 0, or -EIO for a doorbell the card never published.
 */
int mic_send_h2c_db(struct mic_device *mdev, int db)
{
	if (db < 0 || db >= MIC_H2C_DBS)
		return -EIO;
	mdev->hw.ops->send_h2c_db(&mdev->hw, db);
	return 0;
}
