// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 host driver: the sysfs class "mic" and the attributes of
 * /sys/class/mic/micN (ABI.md section 1, ABI/sysfs-class-mic).
 */
#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "mic_dev.h"

/* The text written to an attribute, less one trailing newline. */
static size_t mic_sysfs_len(const char *buf, size_t count)
{
	if (count && buf[count - 1] == '\n')
		count--;
	return count;
}

static ssize_t family_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct mic_device *mdev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", mdev->hw.ops->family);
}
static DEVICE_ATTR_RO(family);

static ssize_t stepping_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct mic_device *mdev = dev_get_drvdata(dev);
	const char *s;

	switch (mdev->hw.stepping) {
	case 0x00:
		s = "A0";
		break;
	case 0x10:
		s = "B0";
		break;
	case 0x11:
		s = "B1";
		break;
	case 0x20:
		s = "C0";
		break;
	default:
		s = "??";
		break;
	}
	return sysfs_emit(buf, "%s\n", s);
}
static DEVICE_ATTR_RO(stepping);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct mic_device *mdev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", mic_state_name(READ_ONCE(mdev->state)));
}

static ssize_t state_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct mic_device *mdev = dev_get_drvdata(dev);
	int ret;

	mutex_lock(&mdev->lock);
	if (sysfs_streq(buf, "boot"))
		ret = mic_boot(mdev);
	else if (sysfs_streq(buf, "reset"))
		ret = mic_reset(mdev, false);
	else if (sysfs_streq(buf, "shutdown"))
		ret = mic_shutdown(mdev);
	else
		ret = -EINVAL;
	mutex_unlock(&mdev->lock);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(state);

static ssize_t shutdown_status_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct mic_device *mdev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n",
			  mic_status_name(READ_ONCE(mdev->shutdown_status)));
}
static DEVICE_ATTR_RO(shutdown_status);

static ssize_t heartbeat_timeout_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	struct mic_device *mdev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(mdev->hb_timeout));
}

static ssize_t heartbeat_timeout_store(struct device *dev,
				       struct device_attribute *attr,
				       const char *buf, size_t count)
{
	struct mic_device *mdev = dev_get_drvdata(dev);
	unsigned int v;
	int ret;

	ret = kstrtouint(buf, 10, &v);
	if (ret)
		return ret;
	if (v > MIC_HEARTBEAT_MAX)
		return -ERANGE;
	mutex_lock(&mdev->lock);
	mdev->hb_timeout = v;
	mutex_unlock(&mdev->lock);
	return count;
}
static DEVICE_ATTR_RW(heartbeat_timeout);

static ssize_t cmdline_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct mic_device *mdev = dev_get_drvdata(dev);
	ssize_t n;

	mutex_lock(&mdev->lock);
	n = sysfs_emit(buf, "%s\n", mdev->cmdline);
	mutex_unlock(&mdev->lock);
	return n;
}

static ssize_t cmdline_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	struct mic_device *mdev = dev_get_drvdata(dev);
	char *s;

	s = kmemdup_nul(buf, mic_sysfs_len(buf, count), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	mutex_lock(&mdev->lock);
	swap(mdev->cmdline, s);
	mutex_unlock(&mdev->lock);
	kfree(s);
	return count;
}
static DEVICE_ATTR_RW(cmdline);

/* Replace a name attribute (firmware, ramdisk). */
static ssize_t mic_sysfs_set_name(struct mic_device *mdev, char *name,
				  const char *buf, size_t count)
{
	size_t len = mic_sysfs_len(buf, count);

	if (len >= MIC_ATTR_LEN)
		return -ENAMETOOLONG;
	mutex_lock(&mdev->lock);
	memcpy(name, buf, len);
	name[len] = '\0';
	mutex_unlock(&mdev->lock);
	return count;
}

static ssize_t mic_sysfs_show_name(struct mic_device *mdev, const char *name,
				   char *buf)
{
	ssize_t n;

	mutex_lock(&mdev->lock);
	n = sysfs_emit(buf, "%s\n", name);
	mutex_unlock(&mdev->lock);
	return n;
}

static ssize_t firmware_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct mic_device *mdev = dev_get_drvdata(dev);

	return mic_sysfs_show_name(mdev, mdev->firmware, buf);
}

static ssize_t firmware_store(struct device *dev,
			      struct device_attribute *attr, const char *buf,
			      size_t count)
{
	struct mic_device *mdev = dev_get_drvdata(dev);

	return mic_sysfs_set_name(mdev, mdev->firmware, buf, count);
}
static DEVICE_ATTR_RW(firmware);

static ssize_t ramdisk_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct mic_device *mdev = dev_get_drvdata(dev);

	return mic_sysfs_show_name(mdev, mdev->ramdisk, buf);
}

static ssize_t ramdisk_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	struct mic_device *mdev = dev_get_drvdata(dev);

	return mic_sysfs_set_name(mdev, mdev->ramdisk, buf, count);
}
static DEVICE_ATTR_RW(ramdisk);

static ssize_t bootmode_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "linux\n");
}

static ssize_t bootmode_store(struct device *dev,
			      struct device_attribute *attr, const char *buf,
			      size_t count)
{
	return sysfs_streq(buf, "linux") ? count : -EINVAL;
}
static DEVICE_ATTR_RW(bootmode);

/* a.b.c.d/len, len 0..32, nothing else. */
static bool mic_sysfs_ipaddr_valid(const char *s, size_t len)
{
	const char *slash, *end;
	unsigned int prefix;
	char num[3];
	u8 addr[4];

	slash = strnchr(s, len, '/');
	if (!slash || !in4_pton(s, slash - s, addr, '/', &end) ||
	    end != slash)
		return false;
	len -= slash + 1 - s;
	if (len < 1 || len > 2)
		return false;
	memcpy(num, slash + 1, len);
	num[len] = '\0';
	if (!isdigit(num[0]) || kstrtouint(num, 10, &prefix) || prefix > 32)
		return false;
	return true;
}

static ssize_t ipaddr_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct mic_device *mdev = dev_get_drvdata(dev);

	return mic_sysfs_show_name(mdev, mdev->ipaddr, buf);
}

static ssize_t ipaddr_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct mic_device *mdev = dev_get_drvdata(dev);
	size_t len = mic_sysfs_len(buf, count);

	if (len && (len >= sizeof(mdev->ipaddr) ||
		    !mic_sysfs_ipaddr_valid(buf, len)))
		return -EINVAL;
	mutex_lock(&mdev->lock);
	memcpy(mdev->ipaddr, buf, len);
	mdev->ipaddr[len] = '\0';
	mutex_unlock(&mdev->lock);
	return count;
}
static DEVICE_ATTR_RW(ipaddr);

static ssize_t log_buf_addr_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct mic_device *mdev = dev_get_drvdata(dev);
	u64 addr;
	u32 len;

	if (mic_log_info(mdev, &addr, &len))
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "0x%llx\n", addr);
}
static DEVICE_ATTR_RO(log_buf_addr);

static ssize_t log_buf_len_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct mic_device *mdev = dev_get_drvdata(dev);
	u64 addr;
	u32 len;

	if (mic_log_info(mdev, &addr, &len))
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "0x%x\n", len);
}
static DEVICE_ATTR_RO(log_buf_len);

static struct attribute *mic_attrs[] = {
	&dev_attr_family.attr,
	&dev_attr_stepping.attr,
	&dev_attr_state.attr,
	&dev_attr_shutdown_status.attr,
	&dev_attr_heartbeat_timeout.attr,
	&dev_attr_cmdline.attr,
	&dev_attr_firmware.attr,
	&dev_attr_ramdisk.attr,
	&dev_attr_bootmode.attr,
	&dev_attr_ipaddr.attr,
	&dev_attr_log_buf_addr.attr,
	&dev_attr_log_buf_len.attr,
	NULL
};
ATTRIBUTE_GROUPS(mic);

struct class mic_class = {
	.name = "mic",
	.owner = THIS_MODULE,
	.dev_groups = mic_groups,
};

/**
 * mic_sysfs_notify() - wake up the pollers of a card's attributes
 * @mdev: the card
 * @state: whether "state" changed
 * @status: whether "shutdown_status" changed
 */
void mic_sysfs_notify(struct mic_device *mdev, bool state, bool status)
{
	if (state && mdev->kn_state)
		sysfs_notify_dirent(mdev->kn_state);
	if (status && mdev->kn_status)
		sysfs_notify_dirent(mdev->kn_status);
}
