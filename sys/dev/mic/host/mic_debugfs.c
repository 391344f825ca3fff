// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 host driver: debugfs, mic_host/micN/:
 *	smpt		the SMPT entries and their use counts
 *	dp		the device page, decoded
 *	post_code	the card's POST code
 *	log		the card's log ring, as text
 *	reset		write anything: reset the card, whatever its state
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "../common/mic_dp.h"
#include "mic_dev.h"

static struct dentry *mic_dbg_root;

static int mic_smpt_show(struct seq_file *s, void *unused)
{
	struct mic_device *mdev = s->private;
	struct mic_smpt *smpt = &mdev->smpt;
	u32 value[MIC_SMPT_ENTRIES];
	dma_addr_t addr[MIC_SMPT_ENTRIES];
	unsigned int ref[MIC_SMPT_ENTRIES];
	unsigned int i;

	spin_lock(&smpt->lock);
	memcpy(value, smpt->value, sizeof(value));
	memcpy(addr, smpt->addr, sizeof(addr));
	memcpy(ref, smpt->ref, sizeof(ref));
	spin_unlock(&smpt->lock);
	seq_puts(s, "entry      value          host address     card address refs\n");
	for (i = 0; i < MIC_SMPT_ENTRIES; i++)
		seq_printf(s, "%5u 0x%08x 0x%016llx 0x%012llx %4u\n", i,
			   value[i], (u64)addr[i],
			   MIC_SYSTEM_BASE + ((u64)i << MIC_SMPT_SHIFT), ref[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mic_smpt);

static void mic_dp_show_block(struct seq_file *s, void *dp,
			      const struct mic_dp_block *b)
{
	struct mic_vqconfig *vq = mic_dp_vqconfig(dp, b);
	struct mic_device_ctrl *ctrl = mic_dp_ctrl(dp, b);
	struct mic_device_desc *desc = dp + b->off;
	unsigned int i;

	seq_printf(s, "device at %u: type %d num_vq %u feature_len %u config_len %u status 0x%02x\n",
		   b->off, b->type, b->num_vq, b->feature_len, b->config_len,
		   READ_ONCE(desc->status));
	for (i = 0; i < b->num_vq; i++)
		seq_printf(s, "  vq %u: address 0x%llx used_address 0x%llx num %u\n",
			   i, le64_to_cpu(READ_ONCE(vq[i].address)),
			   le64_to_cpu(READ_ONCE(vq[i].used_address)),
			   le16_to_cpu(READ_ONCE(vq[i].num)));
	seq_printf(s, "  features: host %*phN guest %*phN\n",
		   b->feature_len, mic_dp_host_features(dp, b),
		   b->feature_len, mic_dp_guest_features(dp, b));
	seq_printf(s, "  ctrl: vdev 0x%llx config_change %u vdev_reset %u guest_ack %u host_ack %u used_address_updated %u c2h_vdev_db %d h2c_vdev_db %d\n",
		   le64_to_cpu(READ_ONCE(ctrl->vdev)),
		   READ_ONCE(ctrl->config_change), READ_ONCE(ctrl->vdev_reset),
		   READ_ONCE(ctrl->guest_ack), READ_ONCE(ctrl->host_ack),
		   READ_ONCE(ctrl->used_address_updated),
		   READ_ONCE(ctrl->c2h_vdev_db), READ_ONCE(ctrl->h2c_vdev_db));
}

static int mic_dp_show(struct seq_file *s, void *unused)
{
	struct mic_device *mdev = s->private;
	struct mic_bootparam *bp = mdev->dp;
	unsigned int pos = MIC_DP_FIRST;
	struct mic_dp_block b;
	int ret;

	seq_printf(s, "host address 0x%llx card address 0x%llx\n",
		   (u64)mdev->dp_dma, mdev->dp_card);
	seq_printf(s, "magic 0x%08x\n", le32_to_cpu(READ_ONCE(bp->magic)));
	seq_printf(s, "c2h_shutdown_db %d\n", READ_ONCE(bp->c2h_shutdown_db));
	seq_printf(s, "h2c_shutdown_db %d\n", READ_ONCE(bp->h2c_shutdown_db));
	seq_printf(s, "h2c_config_db %d\n", READ_ONCE(bp->h2c_config_db));
	seq_printf(s, "shutdown_status %u\n", READ_ONCE(bp->shutdown_status));
	seq_printf(s, "shutdown_card %u\n", READ_ONCE(bp->shutdown_card));
	seq_printf(s, "card_state %u\n", READ_ONCE(bp->card_state));
	seq_printf(s, "heartbeat %u\n", le32_to_cpu(READ_ONCE(bp->heartbeat)));
	while ((ret = mic_dp_walk(mdev->dp, &pos, &b)) > 0) {
		if (b.type == MIC_DESC_TYPE_REMOVED)
			seq_printf(s, "removed at %u: %u bytes\n", b.off,
				   b.size);
		else
			mic_dp_show_block(s, mdev->dp, &b);
	}
	if (ret < 0)
		seq_printf(s, "corrupt list at %u\n", pos);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mic_dp);

static int mic_rings_show(struct seq_file *s, void *unused)
{
	struct mic_device *mdev = s->private;
	unsigned int live, dead;

	mutex_lock(&mdev->lock);
	mic_virtio_rings(mdev, &live, &dead);
	mutex_unlock(&mdev->lock);
	seq_printf(s, "live %u\ndead %u\n", live, dead);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mic_rings);

static int mic_post_code_show(struct seq_file *s, void *unused)
{
	struct mic_device *mdev = s->private;
	u16 code;

	mutex_lock(&mdev->lock);
	code = mdev->hw.ops->read_post_code(&mdev->hw);
	mutex_unlock(&mdev->lock);
	seq_printf(s, "%c%c 0x%04x\n",
		   isprint(code & 0xff) ? code & 0xff : '.',
		   isprint(code >> 8) ? code >> 8 : '.', code);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mic_post_code);

/* log: a snapshot taken at open, read from there. */
struct mic_log_text {
	char *text;
	size_t len;
};

static int mic_log_open(struct inode *inode, struct file *file)
{
	struct mic_log_text *t;
	ssize_t n;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	n = mic_log_read(inode->i_private, &t->text);
	if (n < 0) {
		kfree(t);
		return n;
	}
	t->len = n;
	file->private_data = t;
	return nonseekable_open(inode, file);
}

static ssize_t mic_log_file_read(struct file *file, char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct mic_log_text *t = file->private_data;

	return simple_read_from_buffer(buf, count, ppos, t->text, t->len);
}

static int mic_log_release(struct inode *inode, struct file *file)
{
	struct mic_log_text *t = file->private_data;

	kvfree(t->text);
	kfree(t);
	return 0;
}

static const struct file_operations mic_log_fops = {
	.owner = THIS_MODULE,
	.open = mic_log_open,
	.read = mic_log_file_read,
	.release = mic_log_release,
	.llseek = no_llseek,
};

static ssize_t mic_reset_write(struct file *file, const char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct mic_device *mdev = file->private_data;
	int ret;

	mutex_lock(&mdev->lock);
	ret = mic_reset(mdev, true);
	mutex_unlock(&mdev->lock);
	return ret ? ret : count;
}

static const struct file_operations mic_reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = mic_reset_write,
	.llseek = no_llseek,
};

/**
 * mic_debugfs_init() - make the debugfs directory mic_host
 */
void mic_debugfs_init(void)
{
	mic_dbg_root = debugfs_create_dir("mic_host", NULL);
}

/**
 * mic_debugfs_exit() - remove the debugfs directory mic_host
 */
void mic_debugfs_exit(void)
{
	debugfs_remove_recursive(mic_dbg_root);
}

/**
 * mic_debugfs_add() - make a card's debugfs directory
 * @mdev: the card
 */
void mic_debugfs_add(struct mic_device *mdev)
{
	struct dentry *d;

	d = debugfs_create_dir(mdev->name, mic_dbg_root);
	mdev->dbg_dir = d;
	debugfs_create_file("smpt", 0444, d, mdev, &mic_smpt_fops);
	debugfs_create_file("dp", 0444, d, mdev, &mic_dp_fops);
	debugfs_create_file("rings", 0444, d, mdev, &mic_rings_fops);
	debugfs_create_file("post_code", 0444, d, mdev, &mic_post_code_fops);
	debugfs_create_file("log", 0444, d, mdev, &mic_log_fops);
	debugfs_create_file("reset", 0200, d, mdev, &mic_reset_fops);
}

/**
 * mic_debugfs_del() - remove a card's debugfs directory
 * @mdev: the card
 *
 * When it returns, no file of the card is being used.
 */
void mic_debugfs_del(struct mic_device *mdev)
{
	debugfs_remove_recursive(mdev->dbg_dir);
	mdev->dbg_dir = NULL;
}
