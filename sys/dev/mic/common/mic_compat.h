/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The accessor layer of common/: the code both modules share is written
 * against the kernel names below, and the same files build in user space
 * (unit tests, fuzzing, libmic), where this header provides them.
 *
 * In user space: C11 with GNU extensions (__typeof__, __atomic builtins),
 * musl or glibc, and <linux/types.h> from the UAPI headers.
 */
#ifndef MIC_COMPAT_H
#define MIC_COMPAT_H

#ifdef __KERNEL__

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/barrier.h>
#include <asm/byteorder.h>

#else /* !__KERNEL__ */

#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#define le16_to_cpu(x)	((u16)le16toh(x))
#define le32_to_cpu(x)	((u32)le32toh(x))
#define le64_to_cpu(x)	((u64)le64toh(x))
#define cpu_to_le16(x)	((__le16)htole16(x))
#define cpu_to_le32(x)	((__le32)htole32(x))
#define cpu_to_le64(x)	((__le64)htole64(x))

/* One access, never torn, never repeated or merged by the compiler. */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)

/* Compiler barrier: no access moves across it. */
#define barrier()	__atomic_signal_fence(__ATOMIC_SEQ_CST)
/* Full barrier: loads and stores before it are done before any after it. */
#define mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
/* Read barrier: loads before it are done before loads after it. */
#define rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
/* Write barrier: stores before it are visible before stores after it. */
#define wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#endif /* __KERNEL__ */

#endif /* MIC_COMPAT_H */
