// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 card driver: the module and the core above the hardware
 * ops.  The card finds the device page through its scratchpads, tells the
 * host it is online, powers off when the host asks, and reports halt,
 * power-off, restart and panic (ABI.md section 4).
 *
 * Host to card doorbells are allocated here and handed to the leaf; its
 * interrupt code calls mic_card_doorbell() in process context, and every
 * handler re-reads the state the doorbell announces: a doorbell only says
 * "look again".
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/panic_notifier.h>
#include <linux/reboot.h>

#include "../common/mic_abi_check.h"
#include "../common/mic_dp.h"
#include "mic_card.h"

/**
 * mic_card_host_addr() - translate a card address of host memory
 * @mcard: the card
 * @card_addr: an address in the card's view of host memory
 * @len: bytes from @card_addr, at least 1
 * @host_addr: set to the host address of @card_addr
 *
 * The card sees host memory at MIC_CARD_SYSTEM_BASE + 16 GiB * entry +
 * offset, through the SMPT entries the host programs.  The range may not
 * cross from one entry to the next: the host maps nothing that way.
 *
 * Return: 0, or -EINVAL (with a message) if the range is not in the
 * card's view of host memory.
 */
int mic_card_host_addr(struct mic_card *mcard, u64 card_addr, size_t len,
		       u64 *host_addr)
{
	u64 off = card_addr - MIC_CARD_SYSTEM_BASE;
	u64 in_entry = off & (BIT_ULL(MIC_CARD_SMPT_SHIFT) - 1);
	u64 entry = off >> MIC_CARD_SMPT_SHIFT;

	if (card_addr < MIC_CARD_SYSTEM_BASE || entry >= MIC_CARD_SMPT_ENTRIES ||
	    len == 0 || len > BIT_ULL(MIC_CARD_SMPT_SHIFT) - in_entry) {
		dev_err(mcard->dev, "card address %#llx + %zu: not in the host memory window\n",
			card_addr, len);
		return -EINVAL;
	}
	*host_addr = MIC_CARD_SMPT_ADDR(mcard->ops->read_smpt(mcard, entry)) +
		     in_entry;
	return 0;
}

/**
 * mic_card_map() - map host memory the card addresses
 * @mcard: the card
 * @card_addr: the card address of the memory
 * @len: its length
 *
 * The address is translated through the SMPT, checked, and mapped as
 * normal memory.  Undone by mic_card_unmap().
 *
 * Return: the mapping, or NULL (with a message) if the range is not in
 * host memory the card can reach.
 */
void *mic_card_map(struct mic_card *mcard, u64 card_addr, size_t len)
{
	u64 host_addr;

	if (mic_card_host_addr(mcard, card_addr, len, &host_addr))
		return NULL;
	return mcard->ops->map(mcard, card_addr, host_addr, len);
}

/**
 * mic_card_unmap() - undo mic_card_map()
 * @mcard: the card
 * @va: what mic_card_map() returned
 */
void mic_card_unmap(struct mic_card *mcard, void *va)
{
	mcard->ops->unmap(mcard, va);
}

/**
 * mic_card_send_intr() - ring a card to host doorbell
 * @mcard: the card
 * @db: the doorbell, as the host wrote it in the device page
 *
 * The state the doorbell announces is written before: the leaf orders
 * the doorbell after it.  Safe in any context, a panic included.
 */
void mic_card_send_intr(struct mic_card *mcard, int db)
{
	if (db < 0 || db >= mcard->ops->c2h_dbs)
		return;
	mcard->ops->send_intr(mcard, db);
}

/**
 * mic_card_doorbell() - handle a host to card doorbell
 * @mcard: the card
 * @db: the doorbell that rang
 *
 * Called by the leaf, in process context, once it has acknowledged the
 * doorbell.  A doorbell nobody has allocated is ignored.
 */
void mic_card_doorbell(struct mic_card *mcard, int db)
{
	void (*fn)(struct mic_card *mcard, void *data);

	if (db < 0 || db >= MIC_CARD_MAX_DBS)
		return;
	/* Pairs with mic_card_db_alloc(): @data is set before @fn. */
	fn = smp_load_acquire(&mcard->db[db].fn);
	if (!fn) {
		dev_dbg(mcard->dev, "doorbell %d: not in use\n", db);
		return;
	}
	fn(mcard, mcard->db[db].data);
}

/**
 * mic_card_db_alloc() - allocate a host to card doorbell
 * @mcard: the card
 * @fn: its handler, called in process context
 * @data: the handler's argument
 *
 * The lowest free doorbell is taken.  Undone by mic_card_db_free().
 *
 * Return: the doorbell number, or a negative errno: -ENOSPC when all
 * are in use.
 */
int mic_card_db_alloc(struct mic_card *mcard,
		      void (*fn)(struct mic_card *mcard, void *data),
		      void *data)
{
	int db, ret;

	mutex_lock(&mcard->db_lock);
	db = find_first_zero_bit(&mcard->db_used, mcard->ops->h2c_dbs);
	if (db >= mcard->ops->h2c_dbs) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	mcard->db[db].data = data;
	/* Pairs with mic_card_doorbell(): @data is set before @fn. */
	smp_store_release(&mcard->db[db].fn, fn);
	ret = mcard->ops->enable_db(mcard, db);
	if (ret) {
		WRITE_ONCE(mcard->db[db].fn, NULL);
		goto out_unlock;
	}
	__set_bit(db, &mcard->db_used);
	ret = db;
out_unlock:
	mutex_unlock(&mcard->db_lock);
	return ret;
}

/**
 * mic_card_db_free() - free a host to card doorbell
 * @mcard: the card
 * @db: what mic_card_db_alloc() returned
 *
 * When it returns, the doorbell's handler is not running and will not
 * be called again.
 */
void mic_card_db_free(struct mic_card *mcard, int db)
{
	mutex_lock(&mcard->db_lock);
	if (db >= 0 && db < MIC_CARD_MAX_DBS &&
	    __test_and_clear_bit(db, &mcard->db_used)) {
		/* No new call takes @fn; disable_db() waits for a running one. */
		WRITE_ONCE(mcard->db[db].fn, NULL);
		mcard->ops->disable_db(mcard, db);
	}
	mutex_unlock(&mcard->db_lock);
}

static void mic_card_free_dbs(void *data)
{
	struct mic_card *mcard = data;
	int db;

	for (db = 0; db < MIC_CARD_MAX_DBS; db++)
		mic_card_db_free(mcard, db);
}

/* Write the shutdown status, then tell the host. */
static void mic_card_report(struct mic_card *mcard, enum mic_status status)
{
	WRITE_ONCE(mcard->bp->shutdown_status, status);
	mic_card_send_intr(mcard, mcard->c2h_shutdown_db);
}

/* The shutdown doorbell: power off, in order, if the host asks for it. */
static void mic_card_shutdown_db(struct mic_card *mcard, void *data)
{
	if (!READ_ONCE(mcard->bp->shutdown_card))
		return;
	if (atomic_xchg(&mcard->powering_off, 1))
		return;
	dev_info(mcard->dev, "the host asks the card to shut down\n");
	orderly_poweroff(true);
}

/* The config doorbell: hot plug and config changes of virtio devices. */
static void mic_card_config_db(struct mic_card *mcard, void *data)
{
	mic_card_virtio_config_db(mcard);
}

/*
 * Halt, power-off and restart, from the reboot event: the kernel's
 * system_state is never taken for the status.  The card's virtio devices
 * are removed before the status is written (ABI.md section 4).
 */
static int mic_card_reboot(struct notifier_block *nb, unsigned long event,
			   void *cmd)
{
	struct mic_card *mcard = container_of(nb, struct mic_card, reboot_nb);
	enum mic_status status;

	switch (event) {
	case SYS_HALT:
		status = MIC_HALTED;
		break;
	case SYS_POWER_OFF:
		status = MIC_POWER_OFF;
		break;
	case SYS_RESTART:
		status = MIC_RESTART;
		break;
	default:
		return NOTIFY_DONE;
	}
	mic_card_virtio_stop(mcard);
	mic_card_report(mcard, status);
	return NOTIFY_DONE;
}

/* A panic: no locks, no sleeping, only two stores and a doorbell. */
static int mic_card_panic(struct notifier_block *nb, unsigned long event,
			  void *msg)
{
	struct mic_card *mcard = container_of(nb, struct mic_card, panic_nb);

	mic_card_report(mcard, MIC_CRASHED);
	return NOTIFY_DONE;
}

static void mic_card_unregister_panic(void *data)
{
	struct mic_card *mcard = data;

	atomic_notifier_chain_unregister(&panic_notifier_list,
					 &mcard->panic_nb);
}

static void mic_card_unmap_dp(void *data)
{
	struct mic_card *mcard = data;

	mcard->ops->unmap(mcard, mcard->bp);
	mcard->bp = NULL;
}

/*
 * Find the device page: its card address is in SPAD14/15, it must be in
 * host memory the card reaches, start with MIC_MAGIC and name a card to
 * host doorbell the card has.
 */
static int mic_card_find_dp(struct mic_card *mcard)
{
	const struct mic_card_hw_ops *ops = mcard->ops;
	struct device *dev = mcard->dev;
	struct mic_bootparam *bp;
	u64 addr, host_addr;
	int db, ret;

	addr = (u64)ops->read_spad(mcard, MIC_SPAD_DP_HI) << 32 |
	       ops->read_spad(mcard, MIC_SPAD_DP_LO);
	if (!addr) {
		dev_err(dev, "no device page: SPAD14 and SPAD15 are 0\n");
		return -ENODEV;
	}
	ret = mic_card_host_addr(mcard, addr, MIC_DP_SIZE, &host_addr);
	if (ret)
		return ret;
	bp = ops->map(mcard, addr, host_addr, MIC_DP_SIZE);
	if (!bp)
		return -EINVAL;
	if (!mic_dp_has_magic(bp)) {
		dev_err(dev, "device page at %#llx (card address %#llx): magic %#x, not %#x: refusing it\n",
			host_addr, addr, le32_to_cpu(READ_ONCE(bp->magic)),
			MIC_MAGIC);
		ops->unmap(mcard, bp);
		return -EINVAL;
	}
	db = READ_ONCE(bp->c2h_shutdown_db);
	if (db < 0 || db >= ops->c2h_dbs) {
		dev_err(dev, "device page at %#llx (card address %#llx): c2h_shutdown_db %d is not a doorbell: refusing it\n",
			host_addr, addr, db);
		ops->unmap(mcard, bp);
		return -EINVAL;
	}
	mcard->bp = bp;
	mcard->dp_addr = addr;
	mcard->c2h_shutdown_db = db;
	ret = devm_add_action_or_reset(dev, mic_card_unmap_dp, mcard);
	if (ret)
		return ret;
	dev_info(dev, "device page at %#llx (card address %#llx)\n",
		 host_addr, addr);
	return 0;
}

/* One beat, and the next in MIC_HEARTBEAT_MS: the host sees us alive. */
static void mic_card_beat(struct work_struct *work)
{
	struct mic_card *mcard = container_of(to_delayed_work(work),
					      struct mic_card, heartbeat);
	struct mic_bootparam *bp = mcard->bp;

	WRITE_ONCE(bp->heartbeat,
		   cpu_to_le32(le32_to_cpu(READ_ONCE(bp->heartbeat)) + 1));
	schedule_delayed_work(&mcard->heartbeat,
			      msecs_to_jiffies(MIC_HEARTBEAT_MS));
}

static void mic_card_stop_beat(void *data)
{
	struct mic_card *mcard = data;

	cancel_delayed_work_sync(&mcard->heartbeat);
}

/* Undo the handshake: the host has no doorbell to ring any more. */
static void mic_card_offline(void *data)
{
	struct mic_card *mcard = data;

	WRITE_ONCE(mcard->bp->card_state, MIC_CARD_NOT_UP);
	WRITE_ONCE(mcard->bp->h2c_config_db, -1);
	WRITE_ONCE(mcard->bp->h2c_shutdown_db, -1);
}

/* Doorbells and notifiers, then the online handshake. */
static int mic_card_online(struct mic_card *mcard)
{
	struct device *dev = mcard->dev;
	struct mic_bootparam *bp = mcard->bp;
	int ret;

	ret = devm_add_action_or_reset(dev, mic_card_free_dbs, mcard);
	if (ret)
		return ret;
	ret = mic_card_db_alloc(mcard, mic_card_shutdown_db, NULL);
	if (ret < 0)
		return dev_err_probe(dev, ret, "no shutdown doorbell\n");
	mcard->h2c_shutdown_db = ret;
	ret = mic_card_db_alloc(mcard, mic_card_config_db, NULL);
	if (ret < 0)
		return dev_err_probe(dev, ret, "no config doorbell\n");
	mcard->h2c_config_db = ret;

	mcard->reboot_nb.notifier_call = mic_card_reboot;
	ret = devm_register_reboot_notifier(dev, &mcard->reboot_nb);
	if (ret)
		return ret;
	mcard->panic_nb.notifier_call = mic_card_panic;
	atomic_notifier_chain_register(&panic_notifier_list, &mcard->panic_nb);
	ret = devm_add_action_or_reset(dev, mic_card_unregister_panic, mcard);
	if (ret)
		return ret;

	WRITE_ONCE(bp->h2c_shutdown_db, mcard->h2c_shutdown_db);
	WRITE_ONCE(bp->h2c_config_db, mcard->h2c_config_db);
	/* The doorbells are in the page before the host sees us online. */
	dma_wmb();
	WRITE_ONCE(bp->card_state, MIC_CARD_ONLINE);
	ret = devm_add_action_or_reset(dev, mic_card_offline, mcard);
	if (ret)
		return ret;
	INIT_DELAYED_WORK(&mcard->heartbeat, mic_card_beat);
	ret = devm_add_action_or_reset(dev, mic_card_stop_beat, mcard);
	if (ret)
		return ret;
	mic_card_beat(&mcard->heartbeat.work);
	mic_card_send_intr(mcard, mcard->c2h_shutdown_db);
	dev_dbg(dev, "online: shutdown doorbell %d, config doorbell %d\n",
		mcard->h2c_shutdown_db, mcard->h2c_config_db);
	/* The host may have asked before we listened: look once. */
	mic_card_shutdown_db(mcard, NULL);
	return mic_card_virtio_start(mcard);
}

/**
 * mic_card_start() - bring the card up, once the leaf is ready
 * @mcard: the card; the leaf has set @dev and @ops, and its doorbells
 *	reach mic_card_doorbell()
 *
 * The log ring first, so that the host can read why anything after it
 * failed; then the device page and the online handshake.  A device page
 * that is missing or wrong is refused with a message, and the card stays
 * offline with its log ring published.  Everything is undone through
 * devres when the leaf's device goes.
 *
 * Return: 0, or a negative errno if the card's own resources fail.
 */
int mic_card_start(struct mic_card *mcard)
{
	int ret;

	mutex_init(&mcard->db_lock);
	mutex_init(&mcard->vdev_lock);
	INIT_LIST_HEAD(&mcard->vdevs);
	mcard->vdev_stopped = true;
	mcard->c2h_shutdown_db = -1;
	mcard->h2c_shutdown_db = -1;
	mcard->h2c_config_db = -1;
	ret = mic_card_log_init(mcard);
	if (ret)
		return ret;
	if (mic_card_find_dp(mcard)) {
		dev_err(mcard->dev, "no usable device page: the card stays offline\n");
		return 0;
	}
	return mic_card_online(mcard);
}

static int __init mic_card_init(void)
{
	int ret;

	ret = mic_card_register_vmic();
	if (ret)
		return ret;
	ret = mic_card_register_x100();
	if (ret)
		goto err_unregister_vmic;
	return 0;

err_unregister_vmic:
	mic_card_unregister_vmic();
	return ret;
}

static void __exit mic_card_exit(void)
{
	mic_card_unregister_x100();
	mic_card_unregister_vmic();
}

module_init(mic_card_init);
module_exit(mic_card_exit);

MODULE_DESCRIPTION("Intel MIC X100 coprocessor card driver");
MODULE_LICENSE("GPL");
