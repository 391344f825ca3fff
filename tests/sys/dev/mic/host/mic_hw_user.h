/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel API that sys/dev/mic/host/mic_hw.h and its leafs use, for
 * building them in user space (mic_hw.h includes this header when
 * __KERNEL__ is not defined).  Register access goes to fake windows,
 * plain memory that a test maps with mic_hw_user_map(); every access is
 * recorded in order, so that a test can check exact register sequences.
 * The fake windows live in mic_hw_user.c.
 */

#ifndef MIC_HW_USER_H
#define MIC_HW_USER_H

#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t		u8;
typedef uint16_t	u16;
typedef uint32_t	u32;
typedef uint64_t	u64;
typedef uint16_t	__le16;
typedef uint32_t	__le32;
typedef uint64_t	__le64;
typedef uint64_t	dma_addr_t;
typedef uint64_t	phys_addr_t;
typedef uint64_t	resource_size_t;

/* The number of holders: taking a held lock aborts (a deadlock). */
typedef int		spinlock_t;

#define	__iomem

struct device;
struct pci_dev;

#define	le16_to_cpu(x)	le16toh(x)
#define	le32_to_cpu(x)	le32toh(x)
#define	le64_to_cpu(x)	le64toh(x)
#define	cpu_to_le16(x)	htole16(x)
#define	cpu_to_le32(x)	htole32(x)
#define	cpu_to_le64(x)	htole64(x)

/* The fake windows. */
#define	MIC_HW_USER_WINS	4	/* windows at a time */
#define	MIC_HW_USER_LOG		4096	/* accesses recorded at most */

/* What an access was: mic_io.io_op. */
#define	MIC_IO_READ32	1	/* io_val: the value read */
#define	MIC_IO_WRITE32	2	/* io_val: the value written */
#define	MIC_IO_TOIO	3	/* memcpy_toio(); io_val: the length */
#define	MIC_IO_FROMIO	4	/* memcpy_fromio(); io_val: the length */
#define	MIC_IO_WMB	5	/* wmb(); no window */
#define	MIC_IO_MSLEEP	6	/* msleep(); io_val: the milliseconds */

/*
 * One recorded access.  io_win is the window (-1 for none), io_off the
 * offset into it, io_locks the spinlocks held at the time.
 */
struct mic_io {
	int		io_win;
	int		io_op;
	uint64_t	io_off;
	uint64_t	io_val;
	int		io_locks;
};

extern struct mic_io	mic_hw_user_log[MIC_HW_USER_LOG];
extern size_t		mic_hw_user_nlog;
extern int		mic_hw_user_locks;
extern int		mic_hw_user_nmsg;

void	*mic_hw_user_map(int, size_t);
void	 mic_hw_user_unmap(void);
void	 mic_hw_user_clear(void);
u32	 mic_hw_user_peek32(int, uint64_t);
void	 mic_hw_user_poke32(int, uint64_t, u32);

u32	 ioread32(const void __iomem *);
void	 iowrite32(u32, void __iomem *);
void	 memcpy_toio(void __iomem *, const void *, size_t);
void	 memcpy_fromio(void *, const void __iomem *, size_t);
void	 mic_hw_user_wmb(void);
void	 msleep(unsigned int);
void	 mic_hw_user_lock(spinlock_t *);
void	 mic_hw_user_unlock(spinlock_t *);
void	 mic_hw_user_printk(const char *, const struct device *,
	    const char *, ...) __attribute__((__format__(__printf__, 3, 4)));

#define	wmb()			mic_hw_user_wmb()
#define	cond_resched()		do { } while (0)
#define	dev_err(dev, ...)	mic_hw_user_printk("error", (dev), __VA_ARGS__)
#define	dev_warn(dev, ...)	mic_hw_user_printk("warning", (dev), \
				    __VA_ARGS__)

#define	spin_lock_init(l)	(*(l) = 0)
#define	spin_lock_irqsave(l, flags) do {				\
	(flags) = 0;							\
	mic_hw_user_lock(l);						\
} while (0)
#define	spin_unlock_irqrestore(l, flags) do {				\
	(void)(flags);							\
	mic_hw_user_unlock(l);						\
} while (0)

#endif /* MIC_HW_USER_H */
