/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intel MIC X100 host driver: one card, and what the files of mic_host
 * share.  The hardware is behind struct mic_hw_ops (mic_hw.h).
 *
 * Decisions where ABI.md and <linux/mic_vmic.h> are silent; the card side
 * (mic_card.ko) and micemu(8) follow them:
 *
 * - vmic peer ids: micemu, the ivshmem server, writes host_peer and
 *   card_peer when a guest connects or goes.  The host only reads them
 *   (card_peer, to ring the card); its own id is in the IVPOSITION
 *   register.
 * - Doorbells: the host gives the card c2h_shutdown_db = 0 in the
 *   bootparam.  The card may publish any host to card doorbell from 0 to
 *   MIC_H2C_DBS - 1; anything else (-1 included) counts as not published.
 * - The online handshake and the shutdown reports share c2h_shutdown_db:
 *   on it the host reads shutdown_status first, then card_state.  A
 *   status other than nop moves a booting, online or shutting_down card
 *   to shutting_down (a card that comes online and powers off at once
 *   may be seen doing both in one interrupt); else card_state == 1 moves
 *   a booting card to online.  A status above restart is ignored, with a
 *   warning.
 * - The log ring (ABI.md section 4): its layout and the rules of the
 *   card, its writer, are in <linux/mic_common.h>.  The host accepts a
 *   size in the header up to the one in MIC_SPAD_LOG_SIZE and
 *   MIC_LOG_MAX, and clears MIC_SPAD_LOG_* before every boot: an old
 *   ring is readable until the next boot (a reset keeps it), and never
 *   read after.
 * - Boot errors (state stays ready): -E2BIG for a command line over
 *   MIC_CMDLINE_MAX, request_firmware()'s error (-ENOENT) for a missing
 *   file, -ENOEXEC for an image that is not a bzImage, -EFBIG when the
 *   image and the command line do not fit between the download address
 *   and the ramdisk (twice the download address), or the ramdisk between
 *   there and the end of card memory (never -ENOSPC), -EIO when SPAD2
 *   says the card is not ready.  An empty ramdisk attribute boots
 *   without a ramdisk.
 * - The whole command line is " mem=<MiB>M", " mic.ip=<ipaddr>" when set,
 *   then " " and the cmdline attribute when that is not empty.
 * - Heartbeat: while a card is online the host looks at its heartbeat
 *   count once a second (MIC_HEARTBEAT_MS), from the first time it saw
 *   it move; after heartbeat_timeout looks in a row that found it
 *   unchanged (looks, not seconds: a host too busy to look does not count
 *   time against the card) the card is lost: shutdown_status "lost", state
 *   shutting_down, one error line.  A card never reports "lost" itself:
 *   like any status above restart, it is ignored with a warning.
 * - "shutdown" in ready, shutting_down, resetting or reset_failed is
 *   -EINVAL, like "reset" in ready or resetting; only booting is -EBUSY;
 *   -EIO if the card published no h2c_shutdown_db.
 * - vmic needs MSI-X (QEMU's ivshmem drops a doorbell when MSI-X is off):
 *   without it the host polls the doorbell words every 50 ms.
 * - A reset that times out at remove leaks the device page rather than
 *   freeing memory that a card that did not stop may still write.
 *
 * Virtio devices (/dev/micN, mic_fops.c and mic_virtio.c), beyond the
 * virtio protocol notes:
 * - A reset stops the card first (the hardware reset), then ends its
 *   devices (state resetting): POLLERR, -ENODEV, the rings are let go.
 * - Ring memory is freed only when the card cannot write it: when the
 *   device goes while the card is ready, or when the next reset
 *   completes; never on the card's word (an acknowledged removal, a
 *   config doorbell of -1), and not while the card is reset_failed.  A
 *   removal the card did not acknowledge in 10 s marks the slot removed.
 *   debugfs rings counts the live and the kept (dead) rings.
 * - Nothing the card drives holds a lock a reset takes for long: a
 *   removal returns at most a ring's worth of chains a step, and a copy
 *   holds mic_vdev.lock for a piece of MIC_VDEV_BOUNCE bytes at most,
 *   never while it touches the caller's memory.
 * - close() of a device on a card that never published h2c_config_db
 *   (ready, or booting before its scan) removes it at once; on a
 *   booting, online or shutting_down card that did, in the background.
 * - ADD_DEVICE rings h2c_config_db whenever the card published it
 *   (booting too: the card may have scanned the page just before).
 * - The ADD_DEVICE block's status, guest features and control block are
 *   the host's: they are zeroed, whatever the caller put there.
 * - Errors are checked in this order: the argument (-EFAULT, -EINVAL),
 *   then the file (-EBUSY), the card (-EBUSY, -ENODEV) and the page
 *   (-ENOSPC).  CONFIG_CHANGE: -EINVAL, -EFAULT, -ENODEV, -EIO, -EBUSY.
 * - COPY_DESC copies through a bounce buffer of MIC_VDEV_BOUNCE bytes
 *   and is interrupted (-EINTR) by a fatal signal only; the used length
 *   is the bytes written into the chain over all its calls.  A copy
 *   that sees the card reset the device between two pieces returns 0
 *   with the bytes moved so far, and completes nothing.
 * - mmap covers the device page and the rings as they were at
 *   ADD_DEVICE; each page keeps its own reference, so a mapping stays
 *   readable (frozen) after the device ends.  After the end, mmap is
 *   -ENODEV.
 * - An open file outlives its card (unbind): its ioctls and mmap give
 *   -ENODEV, poll POLLERR.  rmmod waits for open files (module
 *   reference) and for removals in progress (drained at remove).
 * - No compat_ioctl: struct mic_copy_desc holds a pointer.
 */
#ifndef MIC_DEV_H
#define MIC_DEV_H

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <linux/mic_common.h>

#include "mic_hw.h"

struct cdev;
struct mic_device;

#define MIC_MAX_CARDS		256
#define MIC_NAME_LEN		8	/* "mic255" */
#define MIC_ATTR_LEN		256	/* firmware and ramdisk names */
#define MIC_RESET_TIMEOUT_MS	45000	/* ABI.md 6.5 */
#define MIC_HEARTBEAT_TIMEOUT	30	/* seconds, the default */
#define MIC_HEARTBEAT_MAX	3600

/* The doorbell the card rings for its state, written to the bootparam. */
#define MIC_C2H_SHUTDOWN_DB	0

/* The most of the card's log ring (<linux/mic_common.h>) the host reads. */
#define MIC_LOG_MAX		(16U << 20)

/**
 * enum mic_state - the states of a card (ABI.md section 1)
 * @MIC_READY: reset, waiting for a boot
 * @MIC_BOOTING: loaded and started, no online handshake yet
 * @MIC_ONLINE: the card's driver is up
 * @MIC_SHUTTING_DOWN: a shutdown was asked for or reported
 * @MIC_RESETTING: a reset is in progress
 * @MIC_RESET_FAILED: the card did not come back from a reset
 * @MIC_STATE_LAST: one past the last state
 */
enum mic_state {
	MIC_READY,
	MIC_BOOTING,
	MIC_ONLINE,
	MIC_SHUTTING_DOWN,
	MIC_RESETTING,
	MIC_RESET_FAILED,
	MIC_STATE_LAST
};

/**
 * struct mic_smpt - the system memory page table of a card
 * @lock: protects the rest
 * @value: the software copy of each entry, written to the card before
 *	every boot
 * @addr: the host address each entry maps (16 GiB aligned)
 * @ref: the number of mappings using each entry; 0 is a free entry
 */
struct mic_smpt {
	spinlock_t lock;	/* the entries and their counts */
	u32 value[MIC_SMPT_ENTRIES];
	dma_addr_t addr[MIC_SMPT_ENTRIES];
	unsigned int ref[MIC_SMPT_ENTRIES];
};

/**
 * struct mic_db_handler - a handler of a card to host doorbell
 * @node: in the list of its doorbell
 * @fn: called in process context (a threaded interrupt handler)
 * @data: its argument
 */
struct mic_db_handler {
	struct list_head node;
	void (*fn)(void *data);
	void *data;
};

/**
 * struct mic_irq - an interrupt line of a card
 * @mdev: the card
 * @vector: its index among the card's vectors
 */
struct mic_irq {
	struct mic_device *mdev;
	unsigned int vector;
};

/**
 * struct mic_intr - the interrupts of a card
 * @lock: protects @handlers; held while they run
 * @handlers: per card to host doorbell, its handlers
 * @pending: doorbells seen by the hard interrupt handlers, not yet served
 * @irqs: the interrupt lines requested
 * @nr_irqs: how many
 * @poll: polls the doorbells when the card has no usable interrupt
 */
struct mic_intr {
	struct mutex lock;	/* the handler lists */
	struct list_head handlers[MIC_C2H_DBS];
	unsigned long pending;
	struct mic_irq irqs[MIC_MAX_VECTORS];
	unsigned int nr_irqs;
	struct delayed_work poll;
};

/**
 * struct mic_virtio - the virtio devices of a card
 * @vdevs: every open file of /dev/micN (struct mic_vdev), and the
 *	removals in progress
 * @dead: rings let go that the card may still write, freed when a reset
 *	completes
 * @wq: the doorbell and removal works of the devices
 * @cdev: /dev/micN
 * @next_db: the round robin of card to host doorbells
 */
struct mic_virtio {
	struct list_head vdevs;
	struct list_head dead;
	struct workqueue_struct *wq;
	struct cdev *cdev;
	unsigned int next_db;
};

/**
 * struct mic_device - one card
 * @hw: its hardware, for the leaf of its family
 * @pdev: its PCI function
 * @id: N of micN
 * @name: "micN"
 * @sdev: the device of the class "mic"
 * @kn_state: the sysfs file "state", for sysfs_notify_dirent()
 * @kn_status: the sysfs file "shutdown_status", likewise
 * @lock: serialises the state machine, the boot parameters and the
 *	hardware operations
 * @state: the current &enum mic_state
 * @shutdown_status: the &enum mic_status last reported
 * @cmdline: the cmdline attribute, never NULL
 * @firmware: the firmware attribute
 * @ramdisk: the ramdisk attribute
 * @ipaddr: the ipaddr attribute, "" for none
 * @dp: the device page
 * @dp_dma: its host (DMA) address
 * @dp_card: its card address, through the SMPT
 * @dp_leaked: the page could not be freed safely (a reset failed)
 * @smpt: the SMPT
 * @intr: the interrupts
 * @db_shutdown: the handler of MIC_C2H_SHUTDOWN_DB
 * @state_work: reads the card's report after MIC_C2H_SHUTDOWN_DB
 * @reset_work: polls a reset in progress
 * @reset_deadline: jiffies at which the reset in progress has failed
 * @hb_work: looks at the card's heartbeat every MIC_HEARTBEAT_MS while
 *	it is online
 * @hb_timeout: the heartbeat_timeout attribute, seconds; 0: never lost
 * @hb_last: the heartbeat count last seen
 * @hb_seen: the count moved since the card came online
 * @hb_misses: looks in a row that found the count unchanged
 * @dbg_dir: the card's debugfs directory
 * @virtio: the virtio devices, under @lock
 */
struct mic_device {
	struct mic_hw hw;
	struct pci_dev *pdev;
	int id;
	char name[MIC_NAME_LEN];
	struct device *sdev;
	struct kernfs_node *kn_state;
	struct kernfs_node *kn_status;
	struct mutex lock;	/* the state machine */
	enum mic_state state;
	u8 shutdown_status;
	char *cmdline;
	char firmware[MIC_ATTR_LEN];
	char ramdisk[MIC_ATTR_LEN];
	char ipaddr[20];
	void *dp;
	dma_addr_t dp_dma;
	u64 dp_card;
	bool dp_leaked;
	struct mic_smpt smpt;
	struct mic_intr intr;
	struct mic_db_handler db_shutdown;
	struct work_struct state_work;
	struct delayed_work reset_work;
	unsigned long reset_deadline;
	struct delayed_work hb_work;
	unsigned int hb_timeout;
	u32 hb_last;
	bool hb_seen;
	unsigned int hb_misses;
	struct dentry *dbg_dir;
	struct mic_virtio virtio;
};

static inline struct mic_device *mic_hw_to_mdev(struct mic_hw *hw)
{
	return container_of(hw, struct mic_device, hw);
}

/* mic_boot.c: the state machine, boot, shutdown and reset. */
const char *mic_state_name(enum mic_state state);
const char *mic_status_name(u8 status);
void mic_set_state(struct mic_device *mdev, enum mic_state state);
void mic_heartbeat_start(struct mic_device *mdev);
int mic_boot(struct mic_device *mdev);
int mic_shutdown(struct mic_device *mdev);
int mic_reset(struct mic_device *mdev, bool force);
bool mic_reset_sync(struct mic_device *mdev);
int mic_boot_init(struct mic_device *mdev);
void mic_boot_uninit(struct mic_device *mdev);

/* mic_intr.c: interrupts and card to host doorbells. */
int mic_intr_init(struct mic_device *mdev);
void mic_intr_uninit(struct mic_device *mdev);
void mic_intr_restore(struct mic_device *mdev);
void mic_db_add(struct mic_device *mdev, unsigned int db,
		struct mic_db_handler *h);
void mic_db_del(struct mic_device *mdev, unsigned int db,
		struct mic_db_handler *h);
int mic_send_h2c_db(struct mic_device *mdev, int db);

/* mic_smpt.c: the card's view of host memory. */
void mic_smpt_init(struct mic_device *mdev);
int mic_smpt_map(struct mic_device *mdev, dma_addr_t addr, size_t len,
		 u64 *card_addr);
void mic_smpt_unmap(struct mic_device *mdev, u64 card_addr, size_t len);
void mic_smpt_restore(struct mic_device *mdev);

/* mic_sysfs.c: the class and its attributes. */
extern struct class mic_class;
void mic_sysfs_notify(struct mic_device *mdev, bool state, bool status);

/* mic_debugfs.c: mic_host/micN/ in debugfs. */
void mic_debugfs_init(void);
void mic_debugfs_exit(void);
void mic_debugfs_add(struct mic_device *mdev);
void mic_debugfs_del(struct mic_device *mdev);

/* mic_log.c: the card's log ring. */
int mic_log_info(struct mic_device *mdev, u64 *addr, u32 *len);
ssize_t mic_log_read(struct mic_device *mdev, char **text);

/* mic_virtio.c: the virtio devices; mic_fops.c: /dev/micN. */
int mic_virtio_init(struct mic_device *mdev);
void mic_virtio_uninit(struct mic_device *mdev);
void mic_virtio_end(struct mic_device *mdev);
void mic_virtio_reset_done(struct mic_device *mdev);
void mic_virtio_rings(struct mic_device *mdev, unsigned int *live,
		      unsigned int *dead);
int mic_fops_add(struct mic_device *mdev, dev_t devt);
void mic_fops_del(struct mic_device *mdev);

#endif /* MIC_DEV_H */
