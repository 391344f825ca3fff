/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intel MIC X100 card driver: what the core (mic_device.c, mic_log.c)
 * and the hardware leaves (mic_vmic.c, mic_x100.c) share.
 *
 * A leaf finds its hardware, fills a struct mic_card with the hardware
 * ops and calls mic_card_start(); everything above the ops table is the
 * same for the real card and the virtual one.
 */
#ifndef MIC_CARD_H
#define MIC_CARD_H

#include <linux/bitmap.h>
#include <linux/build_bug.h>
#include <linux/console.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <linux/mic_common.h>

/*
 * The card's view of host memory (ABI.md section 6.6): 32 SMPT entries
 * of 16 GiB from card address 0x80_0000_0000; an entry holds the host
 * address >> 34 in bits 31:2.
 */
#define MIC_CARD_SYSTEM_BASE	0x8000000000ULL
#define MIC_CARD_SMPT_SHIFT	34
#define MIC_CARD_SMPT_ENTRIES	32
#define MIC_CARD_SMPT_ADDR(e)	((u64)((e) >> 2) << MIC_CARD_SMPT_SHIFT)

/* Host to card doorbells: the most any leaf has (vmic: 16). */
#define MIC_CARD_MAX_DBS	16

/*
 * The size of the log ring, header included.  Its layout and the rules
 * of its writer are in <linux/mic_common.h>.
 */
#define MIC_CARD_LOG_SIZE	(64 * 1024)

/**
 * struct mic_card_log - the card's side of the log ring
 * @lock: serialises writers; only tried in an oops, never slept on
 * @hdr: the ring, in card memory
 * @data: the data area, right after @hdr
 * @data_size: bytes of @data
 * @head: where the next byte goes in @data
 * @written: bytes written so far, the value published in @hdr
 * @con: the console that feeds the ring
 */
struct mic_card_log {
	raw_spinlock_t lock;
	struct mic_log_header *hdr;
	u8 *data;
	u32 data_size;
	u32 head;
	u64 written;
	struct console con;
};

struct mic_card;

/**
 * struct mic_card_hw_ops - what a hardware leaf provides
 * @h2c_dbs: host to card doorbells the leaf serves, numbered from 0
 * @c2h_dbs: card to host doorbells, numbered from 0
 * @read_spad: read scratchpad @idx (0..15)
 * @write_spad: write scratchpad @idx (0..15)
 * @read_smpt: read SMPT entry @entry (0..31)
 * @map: map @len bytes of host memory, at @card_addr in the card's view
 *	and @host_addr after SMPT translation, as normal memory; NULL if
 *	they cannot be
 * @unmap: undo @map
 * @enable_db: start delivering host to card doorbell @db to
 *	mic_card_doorbell(), in process context
 * @disable_db: stop delivering doorbell @db; when it returns, no
 *	mic_card_doorbell() call for @db is running
 * @send_intr: ring card to host doorbell @db, after the state it
 *	announces; safe in any context, a panic included
 */
struct mic_card_hw_ops {
	unsigned int h2c_dbs;
	unsigned int c2h_dbs;
	u32 (*read_spad)(struct mic_card *mcard, unsigned int idx);
	void (*write_spad)(struct mic_card *mcard, unsigned int idx, u32 val);
	u32 (*read_smpt)(struct mic_card *mcard, unsigned int entry);
	void *(*map)(struct mic_card *mcard, u64 card_addr, u64 host_addr,
		     size_t len);
	void (*unmap)(struct mic_card *mcard, void *va);
	int (*enable_db)(struct mic_card *mcard, int db);
	void (*disable_db)(struct mic_card *mcard, int db);
	void (*send_intr)(struct mic_card *mcard, int db);
};

/**
 * struct mic_card_db - a host to card doorbell in use
 * @fn: its handler, called in process context
 * @data: the handler's argument
 */
struct mic_card_db {
	void (*fn)(struct mic_card *mcard, void *data);
	void *data;
};

/**
 * struct mic_card - the card, as the core sees it
 * @dev: the device of the leaf (PCI function or platform device)
 * @ops: the leaf's hardware ops
 * @db_lock: serialises doorbell allocation
 * @db_used: the doorbells allocated
 * @db: handlers of the doorbells allocated
 * @bp: the device page, in host memory; NULL until it has been found
 * @dp_addr: card address of the device page
 * @c2h_shutdown_db: the host's doorbell for shutdown, crash and online
 * @h2c_shutdown_db: the card's doorbell for a shutdown request
 * @h2c_config_db: the card's doorbell for hot plug and config changes
 * @powering_off: the host's shutdown request is being served
 * @reboot_nb: reports halt, power-off and restart
 * @panic_nb: reports a crash
 * @heartbeat: beats &struct mic_bootparam.heartbeat while online
 * @log: the log ring
 * @vdev_lock: serialises the scans of the device page and the removal of
 *	virtio devices
 * @vdevs: the virtio devices registered (mic_virtio.c)
 * @vdev_bad: blocks of the device page refused, by offset / 8, until
 *	their slot is removed
 * @vdev_stopped: no virtio device is registered (before the online
 *	handshake, and for good after shutdown or unload)
 */
struct mic_card {
	struct device *dev;
	const struct mic_card_hw_ops *ops;
	struct mutex db_lock;	/* allocation of @db_used and @db */
	unsigned long db_used;
	struct mic_card_db db[MIC_CARD_MAX_DBS];
	struct mic_bootparam *bp;
	u64 dp_addr;
	int c2h_shutdown_db;
	int h2c_shutdown_db;
	int h2c_config_db;
	atomic_t powering_off;
	struct notifier_block reboot_nb;
	struct notifier_block panic_nb;
	struct delayed_work heartbeat;
	struct mic_card_log log;
	struct mutex vdev_lock;	/* @vdevs, @vdev_bad, @vdev_stopped */
	struct list_head vdevs;
	DECLARE_BITMAP(vdev_bad, MIC_DP_SIZE / 8);
	bool vdev_stopped;
};

/* mic_device.c: the core */
int mic_card_start(struct mic_card *mcard);
void mic_card_doorbell(struct mic_card *mcard, int db);
int mic_card_db_alloc(struct mic_card *mcard,
		      void (*fn)(struct mic_card *mcard, void *data),
		      void *data);
void mic_card_db_free(struct mic_card *mcard, int db);
void mic_card_send_intr(struct mic_card *mcard, int db);
int mic_card_host_addr(struct mic_card *mcard, u64 card_addr, size_t len,
		       u64 *host_addr);
void *mic_card_map(struct mic_card *mcard, u64 card_addr, size_t len);
void mic_card_unmap(struct mic_card *mcard, void *va);

/* mic_log.c: the log ring */
int mic_card_log_init(struct mic_card *mcard);

/* mic_virtio.c: virtio devices of the device page */
int mic_card_virtio_start(struct mic_card *mcard);
void mic_card_virtio_config_db(struct mic_card *mcard);
void mic_card_virtio_stop(struct mic_card *mcard);

/* mic_vmic.c and mic_x100.c: the leaves */
int mic_card_register_vmic(void);
void mic_card_unregister_vmic(void);
int mic_card_register_x100(void);
void mic_card_unregister_x100(void);

#endif /* MIC_CARD_H */
