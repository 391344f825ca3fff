// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 host driver: the state machine of a card (ABI.md
 * section 1): boot, shutdown, reset, and the card's reports through the
 * device page and MIC_C2H_SHUTDOWN_DB.  Every transition is made with
 * mic_device.lock held.
 */
#include <linux/firmware.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "../common/mic_dp.h"
#include "mic_dev.h"

static const char * const mic_state_names[MIC_STATE_LAST] = {
	[MIC_READY] = "ready",
	[MIC_BOOTING] = "booting",
	[MIC_ONLINE] = "online",
	[MIC_SHUTTING_DOWN] = "shutting_down",
	[MIC_RESETTING] = "resetting",
	[MIC_RESET_FAILED] = "reset_failed",
};

static const char * const mic_status_names[MIC_STATUS_LAST] = {
	[MIC_NOP] = "nop",
	[MIC_CRASHED] = "crashed",
	[MIC_HALTED] = "halted",
	[MIC_POWER_OFF] = "poweroff",
	[MIC_RESTART] = "restart",
	[MIC_LOST] = "lost",
};

/**
 * mic_state_name() - the name of a state, as sysfs shows it
 * @state: the state
 *
 * Return: the name.
 */
const char *mic_state_name(enum mic_state state)
{
	return state < MIC_STATE_LAST ? mic_state_names[state] : "??";
}

/**
 * mic_status_name() - the name of a shutdown status, as sysfs shows it
 * @status: an &enum mic_status value
 *
 * Return: the name.
 */
const char *mic_status_name(u8 status)
{
	return status < MIC_STATUS_LAST ? mic_status_names[status] : "??";
}

/**
 * mic_set_state() - move a card to a state
 * @mdev: the card, its lock held
 * @state: the new state
 *
 * Pollers of the sysfs attribute "state" are woken up.  Entering
 * resetting ends every virtio device of the card (mic_virtio_end()).
 */
void mic_set_state(struct mic_device *mdev, enum mic_state state)
{
	lockdep_assert_held(&mdev->lock);
	if (mdev->state == state)
		return;
	dev_dbg(mdev->hw.dev, "%s: %s -> %s\n", mdev->name,
		mic_state_name(mdev->state), mic_state_name(state));
	mdev->state = state;
	/* The card stops: every virtio device ends (ABI.md section 1). */
	if (state == MIC_RESETTING)
		mic_virtio_end(mdev);
	if (state == MIC_ONLINE)
		mic_heartbeat_start(mdev);
	mic_sysfs_notify(mdev, true, false);
}

static void mic_set_status(struct mic_device *mdev, u8 status)
{
	if (mdev->shutdown_status == status)
		return;
	mdev->shutdown_status = status;
	mic_sysfs_notify(mdev, false, true);
}

/* " mem=<MiB>M", " mic.ip=<ipaddr>" when set, then the cmdline attribute. */
static char *mic_boot_cmdline(struct mic_device *mdev, size_t *size)
{
	char *s;

	s = kasprintf(GFP_KERNEL, " mem=%lluM%s%s%s%s",
		      (u64)mdev->hw.aper.len >> 20,
		      mdev->ipaddr[0] ? " mic.ip=" : "", mdev->ipaddr,
		      mdev->cmdline[0] ? " " : "", mdev->cmdline);
	if (!s)
		return ERR_PTR(-ENOMEM);
	*size = strlen(s) + 1;
	if (*size > MIC_CMDLINE_MAX) {
		kfree(s);
		return ERR_PTR(-E2BIG);
	}
	return s;
}

static int mic_boot_fw(struct mic_device *mdev, const char *name,
		       const struct firmware **fw)
{
	int ret;

	ret = firmware_request_nowarn(fw, name, mdev->hw.dev);
	if (ret)
		dev_err(mdev->hw.dev, "%s: boot: firmware \"%s\": error %d\n",
			mdev->name, name, ret);
	return ret;
}

/* Load and start the card: the image, its command line and ramdisk. */
static int mic_boot_load(struct mic_device *mdev, struct mic_image *img)
{
	struct mic_hw *hw = &mdev->hw;
	struct mic_load_layout lo;
	int ret;

	/* Every size checked before anything is written to the card. */
	ret = mic_load_check(hw, hw->ops->read_spad(hw, MIC_SPAD_DOWNLOAD),
			     img, &lo);
	if (ret)
		return ret;
	mic_smpt_restore(mdev);
	mic_intr_restore(mdev);
	/* The old log ring is gone with the old card kernel. */
	hw->ops->write_spad(hw, MIC_SPAD_LOG_LO, 0);
	hw->ops->write_spad(hw, MIC_SPAD_LOG_HI, 0);
	hw->ops->write_spad(hw, MIC_SPAD_LOG_SIZE, 0);
	hw->ops->write_spad(hw, MIC_SPAD_DP_LO, lower_32_bits(mdev->dp_card));
	hw->ops->write_spad(hw, MIC_SPAD_DP_HI, upper_32_bits(mdev->dp_card));
	return hw->ops->boot(hw, img);
}

/**
 * mic_boot() - boot a ready card
 * @mdev: the card, its lock held
 *
 * Builds the command line, requests the image and the ramdisk (none if
 * the ramdisk attribute is empty), loads them and starts the card, which
 * goes to booting.  On error the state stays ready.
 *
 * Return: 0; -EBUSY if the card is not ready; -E2BIG for a command line
 * over MIC_CMDLINE_MAX; the error of request_firmware(); an error of
 * mic_hw_ops.boot (-EFBIG, -ENOEXEC, -EIO).
 */
int mic_boot(struct mic_device *mdev)
{
	const struct firmware *image, *ramdisk = NULL;
	struct mic_image img = {};
	char *cmdline;
	int ret;

	lockdep_assert_held(&mdev->lock);
	if (mdev->state != MIC_READY)
		return -EBUSY;
	cmdline = mic_boot_cmdline(mdev, &img.cmdline_size);
	if (IS_ERR(cmdline))
		return PTR_ERR(cmdline);
	ret = mic_boot_fw(mdev, mdev->firmware, &image);
	if (ret)
		goto out_cmdline;
	if (mdev->ramdisk[0]) {
		ret = mic_boot_fw(mdev, mdev->ramdisk, &ramdisk);
		if (ret)
			goto out_image;
		img.ramdisk = ramdisk->data;
		img.ramdisk_size = ramdisk->size;
	}
	img.image = image->data;
	img.image_size = image->size;
	img.cmdline = cmdline;
	ret = mic_boot_load(mdev, &img);
	if (ret)
		dev_err(mdev->hw.dev, "%s: boot: cannot load the card: error %d\n",
			mdev->name, ret);
	else
		mic_set_state(mdev, MIC_BOOTING);
	release_firmware(ramdisk);
out_image:
	release_firmware(image);
out_cmdline:
	kfree(cmdline);
	return ret;
}

/**
 * mic_shutdown() - ask an online card to power off
 * @mdev: the card, its lock held
 *
 * Sets shutdown_card in the device page and rings the card's
 * h2c_shutdown_db; the card goes to shutting_down, and reports.
 *
 * Return: 0; -EBUSY while booting; -EINVAL in any other state but
 * online; -EIO if the card published no usable doorbell.
 */
int mic_shutdown(struct mic_device *mdev)
{
	struct mic_bootparam *bp = mdev->dp;
	int ret;

	lockdep_assert_held(&mdev->lock);
	if (mdev->state == MIC_BOOTING)
		return -EBUSY;
	if (mdev->state != MIC_ONLINE)
		return -EINVAL;
	WRITE_ONCE(bp->shutdown_card, 1);
	/* The request before the doorbell that announces it. */
	wmb();
	ret = mic_send_h2c_db(mdev, READ_ONCE(bp->h2c_shutdown_db));
	if (ret) {
		WRITE_ONCE(bp->shutdown_card, 0);
		dev_err(mdev->hw.dev, "%s: shutdown: the card has no shutdown doorbell\n",
			mdev->name);
		return ret;
	}
	mic_set_state(mdev, MIC_SHUTTING_DOWN);
	return 0;
}

/**
 * mic_reset() - start a reset of a card
 * @mdev: the card, its lock held
 * @force: reset whatever the state (debugfs); else not in ready or
 *	resetting
 *
 * The card goes to resetting; mic_device.reset_work polls it, and moves
 * it to ready when it is back, or to reset_failed after
 * MIC_RESET_TIMEOUT_MS.
 *
 * Return: 0, or -EINVAL in ready or resetting without @force.
 */
int mic_reset(struct mic_device *mdev, bool force)
{
	const struct mic_hw_ops *ops = mdev->hw.ops;

	lockdep_assert_held(&mdev->lock);
	if (!force && (mdev->state == MIC_READY ||
		       mdev->state == MIC_RESETTING))
		return -EINVAL;
	/* The card stops first; its devices end after. */
	ops->reset(&mdev->hw);
	mic_set_state(mdev, MIC_RESETTING);
	mdev->reset_deadline = jiffies +
		msecs_to_jiffies(ops->reset_delay_ms + MIC_RESET_TIMEOUT_MS);
	mod_delayed_work(system_wq, &mdev->reset_work,
			 msecs_to_jiffies(ops->reset_delay_ms));
	return 0;
}

/* A reset completed: a fresh device page, nothing to report, ready. */
static void mic_reset_done(struct mic_device *mdev)
{
	mic_virtio_reset_done(mdev);	/* the rings the card had */
	mic_dp_init(mdev->dp, MIC_C2H_SHUTDOWN_DB);
	mic_set_status(mdev, MIC_NOP);
	mic_set_state(mdev, MIC_READY);
}

static void mic_reset_poll(struct work_struct *work)
{
	struct mic_device *mdev = container_of(to_delayed_work(work),
					       struct mic_device, reset_work);

	mutex_lock(&mdev->lock);
	if (mdev->state != MIC_RESETTING) {
		mutex_unlock(&mdev->lock);
		return;
	}
	if (mdev->hw.ops->ready(&mdev->hw)) {
		mic_reset_done(mdev);
	} else if (time_after(jiffies, mdev->reset_deadline)) {
		dev_err(mdev->hw.dev, "%s: reset: the card did not come back\n",
			mdev->name);
		mic_set_state(mdev, MIC_RESET_FAILED);
	} else {
		schedule_delayed_work(&mdev->reset_work,
				      msecs_to_jiffies(mdev->hw.ops->reset_poll_ms));
	}
	mutex_unlock(&mdev->lock);
}

/**
 * mic_reset_sync() - reset a card and wait for it
 * @mdev: the card, its lock not held, mic_device.reset_work not running
 *
 * For remove: nothing is done to a card that is ready.
 *
 * Return: true if the card is ready, false if it did not come back.
 */
bool mic_reset_sync(struct mic_device *mdev)
{
	const struct mic_hw_ops *ops = mdev->hw.ops;
	unsigned long deadline;
	bool ready;

	mutex_lock(&mdev->lock);
	if (mdev->state == MIC_READY && ops->ready(&mdev->hw)) {
		mutex_unlock(&mdev->lock);
		return true;
	}
	ops->reset(&mdev->hw);
	mic_set_state(mdev, MIC_RESETTING);
	msleep(ops->reset_delay_ms);
	deadline = jiffies + msecs_to_jiffies(MIC_RESET_TIMEOUT_MS);
	while (!(ready = ops->ready(&mdev->hw)) &&
	       time_before(jiffies, deadline))
		msleep(max(ops->reset_poll_ms, 1U));
	if (ready)
		mic_reset_done(mdev);
	else
		mic_set_state(mdev, MIC_RESET_FAILED);
	mutex_unlock(&mdev->lock);
	return ready;
}

/* MIC_C2H_SHUTDOWN_DB: the card came online, or reports a shutdown. */
static void mic_state_report(struct work_struct *work)
{
	struct mic_device *mdev = container_of(work, struct mic_device,
					       state_work);
	struct mic_bootparam *bp = mdev->dp;
	u8 status, card_state;

	mutex_lock(&mdev->lock);
	if (mdev->state != MIC_BOOTING && mdev->state != MIC_ONLINE &&
	    mdev->state != MIC_SHUTTING_DOWN)
		goto out;
	status = READ_ONCE(bp->shutdown_status);
	/* The status before the state: a card may report both at once. */
	rmb();
	card_state = READ_ONCE(bp->card_state);
	if (status > MIC_RESTART) {	/* lost is the host's word */
		dev_warn_ratelimited(mdev->hw.dev,
				     "%s: unknown shutdown status %u ignored\n",
				     mdev->name, status);
	} else if (status != MIC_NOP) {
		mic_set_status(mdev, status);
		mic_set_state(mdev, MIC_SHUTTING_DOWN);
	} else if (card_state == MIC_CARD_ONLINE &&
		   mdev->state == MIC_BOOTING) {
		mic_set_state(mdev, MIC_ONLINE);
	}
out:
	mutex_unlock(&mdev->lock);
}

/* Look at the heartbeat of an online card; lost after hb_timeout misses. */
static void mic_heartbeat_check(struct work_struct *work)
{
	struct mic_device *mdev = container_of(to_delayed_work(work),
					       struct mic_device, hb_work);
	struct mic_bootparam *bp = mdev->dp;
	u32 beat;

	mutex_lock(&mdev->lock);
	if (mdev->state != MIC_ONLINE)
		goto out;
	beat = le32_to_cpu(READ_ONCE(bp->heartbeat));
	if (beat != mdev->hb_last) {
		mdev->hb_last = beat;
		mdev->hb_seen = true;
		mdev->hb_misses = 0;
	} else if (mdev->hb_seen && mdev->hb_timeout &&
		   ++mdev->hb_misses >= mdev->hb_timeout) {
		dev_err(mdev->hw.dev, "%s: lost: no heartbeat for %u s\n",
			mdev->name, mdev->hb_misses);
		mic_set_status(mdev, MIC_LOST);
		mic_set_state(mdev, MIC_SHUTTING_DOWN);
		goto out;
	}
	schedule_delayed_work(&mdev->hb_work,
			      msecs_to_jiffies(MIC_HEARTBEAT_MS));
out:
	mutex_unlock(&mdev->lock);
}

/**
 * mic_heartbeat_start() - watch the heartbeat of a card that came online
 * @mdev: the card, its lock held
 */
void mic_heartbeat_start(struct mic_device *mdev)
{
	lockdep_assert_held(&mdev->lock);
	mdev->hb_last = le32_to_cpu(READ_ONCE(((struct mic_bootparam *)
					       mdev->dp)->heartbeat));
	mdev->hb_seen = false;
	mdev->hb_misses = 0;
	mod_delayed_work(system_wq, &mdev->hb_work,
			 msecs_to_jiffies(MIC_HEARTBEAT_MS));
}

static void mic_state_db(void *data)
{
	struct mic_device *mdev = data;

	schedule_work(&mdev->state_work);
}

/**
 * mic_boot_init() - set up the state machine of a card
 * @mdev: the card, with its device page and interrupts set up
 *
 * A card that is not ready (one left running, or half reset) is reset.
 *
 * Return: 0.
 */
int mic_boot_init(struct mic_device *mdev)
{
	INIT_WORK(&mdev->state_work, mic_state_report);
	INIT_DELAYED_WORK(&mdev->reset_work, mic_reset_poll);
	INIT_DELAYED_WORK(&mdev->hb_work, mic_heartbeat_check);
	mdev->hb_timeout = MIC_HEARTBEAT_TIMEOUT;
	mdev->db_shutdown.fn = mic_state_db;
	mdev->db_shutdown.data = mdev;
	mic_db_add(mdev, MIC_C2H_SHUTDOWN_DB, &mdev->db_shutdown);
	mutex_lock(&mdev->lock);
	mdev->state = MIC_READY;
	mdev->shutdown_status = MIC_NOP;
	if (!mdev->hw.ops->ready(&mdev->hw)) {
		dev_info(mdev->hw.dev, "%s: card not ready: resetting it\n",
			 mdev->name);
		mic_reset(mdev, true);
	}
	mutex_unlock(&mdev->lock);
	return 0;
}

/**
 * mic_boot_uninit() - stop the state machine of a card, and the card
 * @mdev: the card, its class device gone
 *
 * A card that is not ready is reset, and waited for, so that it writes
 * no more into host memory; if it does not come back, its device page is
 * marked leaked.
 */
void mic_boot_uninit(struct mic_device *mdev)
{
	mic_db_del(mdev, MIC_C2H_SHUTDOWN_DB, &mdev->db_shutdown);
	cancel_work_sync(&mdev->state_work);
	cancel_delayed_work_sync(&mdev->reset_work);
	cancel_delayed_work_sync(&mdev->hb_work);
	if (!mic_reset_sync(mdev)) {
		dev_err(mdev->hw.dev, "%s: remove: the card did not reset\n",
			mdev->name);
		mdev->dp_leaked = true;
	}
}
