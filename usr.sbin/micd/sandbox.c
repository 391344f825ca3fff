/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The wall around a card process.  Once it has opened what it keeps (the
 * card's state attributes, the pty, the tap), a card process chroots to
 * an empty directory, becomes the unprivileged user of micd.conf, sets
 * no_new_privs and installs a seccomp filter that allows only the system
 * calls it makes.  Whatever it needs to open later (/dev/micN for each
 * device, the disk images, the console log) and every privileged act
 * (sysfs writes, the tap's address) it asks of the parent (priv.c).
 *
 * A system call outside the filter raises SIGSYS; the handler tells the
 * parent the call's number over the request channel and the process dies
 * of SIGSYS, which the parent logs before it starts the card process
 * again.  A call of another architecture (the x32 or i386 entry points)
 * kills the process at once, without a report.
 *
 * The parent resolves the user and makes the empty directory
 * ($MICD_RUNDIR/empty: root's, mode 0755, nothing in it).
 */

#define _GNU_SOURCE	/* setresuid(), setresgid() */

#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/fs.h>
#include <linux/if_tun.h>
#include <linux/mic_ioctl.h>
#include <linux/seccomp.h>

#include "mic.h"
#include "micd.h"

static void	sandbox_sigsys(int, siginfo_t *, void *);
static void	sandbox_filter(const char *);
static int	sandbox_isempty(const char *);

/* The system calls of a card process, on x86_64 (musl, static). */
static const unsigned int sandbox_calls[] = {
	SYS_read, SYS_write, SYS_readv, SYS_writev,
	SYS_pread64, SYS_pwrite64, SYS_preadv, SYS_pwritev,
	SYS_lseek, SYS_close, SYS_poll, SYS_ppoll,
	SYS_fstat, SYS_newfstatat, SYS_flock, SYS_fsync, SYS_fdatasync,
	SYS_recvfrom, SYS_recvmsg, SYS_sendto, SYS_sendmsg,
	SYS_connect,		/* syslog(3) reconnecting: nothing to reach */
	SYS_brk, SYS_mmap, SYS_munmap, SYS_mremap, SYS_madvise,
	SYS_clock_gettime, SYS_gettimeofday, SYS_nanosleep,
	SYS_clock_nanosleep, SYS_getpid, SYS_gettid,
	SYS_rt_sigprocmask, SYS_rt_sigreturn, SYS_exit, SYS_exit_group
};

/* The ioctl(2) requests it makes: devices, tap, pty, disks. */
static const unsigned int sandbox_ioctls[] = {
	MIC_VIRTIO_ADD_DEVICE, MIC_VIRTIO_COPY_DESC,
	TUNSETOFFLOAD, TUNSETVNETHDRSZ,
	TCFLSH,
	BLKGETSIZE64
};

#define SANDBOX_NCALLS	(sizeof(sandbox_calls) / sizeof(sandbox_calls[0]))
#define SANDBOX_NIOCTLS	(sizeof(sandbox_ioctls) / sizeof(sandbox_ioctls[0]))
/* Arch: load, check, kill; load nr; the calls; ioctl, load, requests; ends. */
#define SANDBOX_PROGLEN	(SANDBOX_NCALLS + SANDBOX_NIOCTLS + 8)

static int	sandbox_fd = -1;	/* the request channel */
static int	sandbox_unit;

/*
 * The parent: look up the user name of the card processes.  -1 with a
 * message in why (of whylen bytes) if there is no such user, or it is
 * root.
 */
int
sandbox_user(const char *name, struct sandbox *sb, char *why, size_t whylen)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		(void)snprintf(why, whylen, "user %s: %s", name, errno != 0 ?
		    strerror(errno) : "no such user");
		return (-1);
	}
	if (pw->pw_uid == 0) {
		(void)snprintf(why, whylen, "user %s: uid 0: card processes "
		    "do not run as root", name);
		return (-1);
	}
	sb->sb_uid = pw->pw_uid;
	sb->sb_gid = pw->pw_gid;
	(void)snprintf(sb->sb_user, sizeof(sb->sb_user), "%s", name);
	return (0);
}

/*
 * The parent: make the empty directory the card processes chroot to, in
 * dir (made if missing): root's, mode 0755, with nothing in it.
 */
void
sandbox_root(const char *dir, struct sandbox *sb)
{
	struct stat st;
	int n;

	n = snprintf(sb->sb_root, sizeof(sb->sb_root), "%s/empty", dir);
	if (n < 0 || (size_t)n >= sizeof(sb->sb_root))
		fatalx("%s: path too long", dir);
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		fatal("%s", dir);
	if (mkdir(sb->sb_root, 0755) == -1 && errno != EEXIST)
		fatal("%s", sb->sb_root);
	if (lstat(sb->sb_root, &st) == -1)
		fatal("%s", sb->sb_root);
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0)
		fatalx("%s: not a directory of root's", sb->sb_root);
	if ((st.st_mode & 07777) != 0755 && chmod(sb->sb_root, 0755) == -1)
		fatal("%s", sb->sb_root);
	if (!sandbox_isempty(sb->sb_root))
		fatalx("%s: not empty", sb->sb_root);
}

static int
sandbox_isempty(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int empty;

	if ((d = opendir(dir)) == NULL)
		fatal("%s", dir);
	empty = 1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			empty = 0;
	(void)closedir(d);
	return (empty);
}

/*
 * A card process, of card unit, with everything it keeps open: enter the
 * sandbox sb.  reqfd is the request channel, where a forbidden call is
 * reported.  Any failure is fatal: a card process never runs outside.
 */
void
sandbox_enter(const char *name, int unit, int reqfd,
    const struct sandbox *sb)
{
	struct rlimit rl;
	struct sigaction sa;
	gid_t gid;

	sandbox_fd = reqfd;
	sandbox_unit = unit;
	memset(&rl, 0, sizeof(rl));
	if (setrlimit(RLIMIT_CORE, &rl) == -1)
		fatal("%s: sandbox: no core dumps", name);
	if (chroot(sb->sb_root) == -1 || chdir("/") == -1)
		fatal("%s: sandbox: chroot %s", name, sb->sb_root);
	gid = sb->sb_gid;
	if (setgroups(1, &gid) == -1 ||
	    setresgid(sb->sb_gid, sb->sb_gid, sb->sb_gid) == -1 ||
	    setresuid(sb->sb_uid, sb->sb_uid, sb->sb_uid) == -1)
		fatal("%s: sandbox: user %s", name, sb->sb_user);
	if (setuid(0) != -1 || geteuid() != sb->sb_uid ||
	    getegid() != sb->sb_gid)
		fatalx("%s: sandbox: user %s: privileges not dropped", name,
		    sb->sb_user);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("%s: sandbox: no_new_privs", name);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sandbox_sigsys;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	(void)sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) == -1)
		fatal("%s: sandbox: SIGSYS", name);
	sandbox_filter(name);
	log_debug("%s: sandbox: user %s (%lu:%lu), root %s", name,
	    sb->sb_user, (unsigned long)sb->sb_uid,
	    (unsigned long)sb->sb_gid, sb->sb_root);
}

/*
 * The filter: x86_64 only (else the process is killed), the calls of
 * sandbox_calls, ioctl(2) with the requests of sandbox_ioctls; anything
 * else traps (SIGSYS).
 */
static void
sandbox_filter(const char *name)
{
	struct sock_filter f[SANDBOX_PROGLEN], *p;
	struct sock_fprog prog;
	size_t i;
	unsigned int left;

	p = f;
	*p++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch));
	*p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    AUDIT_ARCH_X86_64, 1, 0);
	*p++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_KILL_PROCESS);
	*p++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
	/* Each allowed call jumps to the ALLOW at the end. */
	for (i = 0; i < SANDBOX_NCALLS; i++) {
		left = (unsigned int)(SANDBOX_NCALLS - i - 1);
		*p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    sandbox_calls[i], left + 3 + SANDBOX_NIOCTLS, 0);
	}
	/* ioctl: its request, the low 32 bits of the second argument. */
	*p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    SYS_ioctl, 0, SANDBOX_NIOCTLS + 1);
	*p++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, args[1]));
	for (i = 0; i < SANDBOX_NIOCTLS; i++) {
		left = (unsigned int)(SANDBOX_NIOCTLS - i - 1);
		*p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    sandbox_ioctls[i], left + 1, 0);
	}
	*p++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_TRAP);
	*p++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);
	if (p - f != (ptrdiff_t)SANDBOX_PROGLEN)
		fatalx("%s: sandbox: filter of %td instructions", name, p - f);
	prog.len = (unsigned short)(p - f);
	prog.filter = f;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == -1)
		fatal("%s: sandbox: seccomp", name);
}

/*
 * SIGSYS from the filter: tell the parent which call it was, then make a
 * forbidden call again.  SIGSYS is blocked in its handler (and reset to
 * its default): the kernel unblocks it, and the process dies of it.
 */
static void
sandbox_sigsys(int sig, siginfo_t *si, void *ctx)
{
	struct iovec iov;
	int32_t nr;

	(void)sig;
	(void)ctx;
	nr = si->si_syscall;
	iov.iov_base = &nr;
	iov.iov_len = sizeof(nr);
	(void)priv_send(sandbox_fd, MICD_MSG_SECCOMP, (uint32_t)sandbox_unit,
	    &iov, 1, -1, MSG_DONTWAIT);
	for (;;)
		sandbox_forbidden();
}

/*
 * A system call the filter does not allow, socket(2): for micd -x, and
 * the SIGSYS handler.
 */
void
sandbox_forbidden(void)
{
	(void)syscall(SYS_socket, AF_INET, SOCK_DGRAM, 0);
}
