// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 card driver: the log ring (ABI.md section 4).
 *
 * A console copies every kernel message into a ring in card memory,
 * the boot messages already in the printk buffer first.  The card
 * publishes the ring's card address (its physical address, which is its
 * offset in the host's aperture) in SPAD8 (bits 31:0) and SPAD9 (63:32),
 * and its size in SPAD10, so that the host reads the card's log through
 * the aperture, live and after a crash.  The layout, and the rules this
 * writer keeps for the reader, are in <linux/mic_common.h>: the bytes
 * are stored before the count that covers them, and the count is
 * published at least every MIC_LOG_SLACK bytes.
 */
#include <linux/console.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "mic_card.h"

/* Copy into the ring, publishing the count after each chunk. */
static void mic_card_log_copy(struct mic_card_log *log, const char *s,
			      unsigned int n)
{
	unsigned int chunk;

	while (n) {
		chunk = min3(n, log->data_size - log->head,
			     (unsigned int)MIC_LOG_SLACK);
		memcpy(log->data + log->head, s, chunk);
		log->head += chunk;
		if (log->head == log->data_size)
			log->head = 0;
		log->written += chunk;
		s += chunk;
		n -= chunk;
		/* The bytes are in the ring before the count that shows them. */
		dma_wmb();
		WRITE_ONCE(log->hdr->written, cpu_to_le64(log->written));
	}
}

/*
 * The console's write.  In an oops the lock is only tried, and the
 * message written even without it: the lock may belong to a CPU that
 * has been stopped, and the panic is what the host most wants to read.
 */
static void mic_card_log_write(struct console *con, const char *s,
			       unsigned int n)
{
	struct mic_card_log *log = con->data;
	unsigned long flags;

	if (!oops_in_progress) {
		raw_spin_lock_irqsave(&log->lock, flags);
		mic_card_log_copy(log, s, n);
		raw_spin_unlock_irqrestore(&log->lock, flags);
	} else if (raw_spin_trylock_irqsave(&log->lock, flags)) {
		mic_card_log_copy(log, s, n);
		raw_spin_unlock_irqrestore(&log->lock, flags);
	} else {
		mic_card_log_copy(log, s, n);
	}
}

/* Before the pages go: no reader takes them for a ring any more. */
static void mic_card_log_clear(void *data)
{
	struct mic_card *mcard = data;

	WRITE_ONCE(mcard->log.hdr->magic, 0);
}

static void mic_card_log_unregister(void *data)
{
	struct mic_card *mcard = data;

	unregister_console(&mcard->log.con);
}

static void mic_card_log_unpublish(void *data)
{
	struct mic_card *mcard = data;

	mcard->ops->write_spad(mcard, MIC_SPAD_LOG_LO, 0);
	mcard->ops->write_spad(mcard, MIC_SPAD_LOG_HI, 0);
	mcard->ops->write_spad(mcard, MIC_SPAD_LOG_SIZE, 0);
}

/* The ring: zeroed, its size, then its magic. */
static int mic_card_log_alloc(struct mic_card *mcard)
{
	struct mic_card_log *log = &mcard->log;
	unsigned long page;

	page = devm_get_free_pages(mcard->dev, GFP_KERNEL | __GFP_ZERO,
				   get_order(MIC_CARD_LOG_SIZE));
	if (!page)
		return -ENOMEM;
	raw_spin_lock_init(&log->lock);
	log->hdr = (struct mic_log_header *)page;
	log->data = (u8 *)(log->hdr + 1);
	log->data_size = MIC_CARD_LOG_SIZE - sizeof(*log->hdr);
	log->hdr->size = cpu_to_le32(MIC_CARD_LOG_SIZE);
	dma_wmb();
	WRITE_ONCE(log->hdr->magic, cpu_to_le32(MIC_LOG_MAGIC));
	return devm_add_action_or_reset(mcard->dev, mic_card_log_clear, mcard);
}

/**
 * mic_card_log_init() - start the log ring and publish it
 * @mcard: the card; its ops can write the scratchpads
 *
 * The ring is allocated in card memory and fed by a console that gets
 * the messages already logged too.  Its address and size go to SPAD8..10
 * last.  All is undone through devres: the scratchpads are cleared, the
 * console unregistered, the magic cleared and the ring freed.
 *
 * Return: 0, or a negative errno.
 */
int mic_card_log_init(struct mic_card *mcard)
{
	struct mic_card_log *log = &mcard->log;
	struct device *dev = mcard->dev;
	phys_addr_t addr;
	int ret;

	ret = mic_card_log_alloc(mcard);
	if (ret)
		return ret;

	strscpy(log->con.name, "miclog", sizeof(log->con.name));
	log->con.write = mic_card_log_write;
	log->con.flags = CON_PRINTBUFFER | CON_ENABLED | CON_ANYTIME;
	log->con.index = 0;
	log->con.data = log;
	register_console(&log->con);
	ret = devm_add_action_or_reset(dev, mic_card_log_unregister, mcard);
	if (ret)
		return ret;

	addr = virt_to_phys(log->hdr);
	mcard->ops->write_spad(mcard, MIC_SPAD_LOG_SIZE, MIC_CARD_LOG_SIZE);
	mcard->ops->write_spad(mcard, MIC_SPAD_LOG_HI, upper_32_bits(addr));
	mcard->ops->write_spad(mcard, MIC_SPAD_LOG_LO, lower_32_bits(addr));
	ret = devm_add_action_or_reset(dev, mic_card_log_unpublish, mcard);
	if (ret)
		return ret;
	dev_info(dev, "log ring at card address %pa, %u bytes\n", &addr,
		 MIC_CARD_LOG_SIZE);
	return 0;
}
