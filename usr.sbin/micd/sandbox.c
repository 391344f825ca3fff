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

/*
 * The system calls a card process makes, on x86_64 (musl, static), with
 * no argument to check.  Besides: ioctl(2) with a request of
 * sandbox_ioctls; sendto(2) without an address (send(2): the request
 * channel, syslog(3)); connect(2), which syslog(3) tries when syslogd
 * went away, fails with EACCES.  No sendmsg(2), no connect(2): the card
 * process reaches no socket but those it holds connected.
 */
static const unsigned int sandbox_calls[] = {
	SYS_read, SYS_write, SYS_readv, SYS_writev,
	SYS_pread64, SYS_pwrite64, SYS_preadv, SYS_pwritev,
	SYS_lseek, SYS_close, SYS_poll, SYS_ppoll,
	SYS_fstat, SYS_newfstatat, SYS_flock, SYS_fsync, SYS_fdatasync,
	SYS_recvfrom, SYS_recvmsg,
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
/*
 * The filter's length: the architecture (3), the call's number (1), the
 * calls, connect (2), sendto (5), ioctl (2) and its requests, the ends
 * (2).
 */
#define SANDBOX_PROGLEN	(SANDBOX_NCALLS + SANDBOX_NIOCTLS + 15)

/*
 * Where a jump of the filter goes: over so many instructions (0: to the
 * next), or to one of the two returns at the end.
 */
#define TO_TRAP		(-1)	/* SECCOMP_RET_TRAP, before last */
#define TO_ALLOW	(-2)	/* SECCOMP_RET_ALLOW, last */

/* A filter being built. */
struct sandbox_prog {
	struct sock_filter	sp_f[SANDBOX_PROGLEN];
	size_t			sp_n;
	int			sp_overflow;
};

static void	sandbox_stmt(struct sandbox_prog *, uint16_t, uint32_t);
static void	sandbox_jump(struct sandbox_prog *, uint16_t, uint32_t, int,
		    int);
static uint8_t	sandbox_to(const struct sandbox_prog *, int);

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

static void
sandbox_stmt(struct sandbox_prog *sp, uint16_t code, uint32_t k)
{
	if (sp->sp_n == SANDBOX_PROGLEN) {
		sp->sp_overflow = 1;
		return;
	}
	sp->sp_f[sp->sp_n++] = (struct sock_filter)BPF_STMT(code, k);
}

/* The offset of a jump at the next instruction to where to. */
static uint8_t
sandbox_to(const struct sandbox_prog *sp, int to)
{
	if (to == TO_TRAP)
		return ((uint8_t)(SANDBOX_PROGLEN - 2 - sp->sp_n - 1));
	if (to == TO_ALLOW)
		return ((uint8_t)(SANDBOX_PROGLEN - 1 - sp->sp_n - 1));
	return ((uint8_t)to);
}

/* A conditional jump, to jt if the test holds, else to jf. */
static void
sandbox_jump(struct sandbox_prog *sp, uint16_t code, uint32_t k, int jt,
    int jf)
{
	if (sp->sp_n == SANDBOX_PROGLEN) {
		sp->sp_overflow = 1;
		return;
	}
	sp->sp_f[sp->sp_n] = (struct sock_filter)BPF_JUMP(code, k,
	    sandbox_to(sp, jt), sandbox_to(sp, jf));
	sp->sp_n++;
}

/*
 * The filter: x86_64 only (else the process is killed), the calls of
 * sandbox_calls, the checked ones; anything else traps (SIGSYS).  An
 * argument is two 32-bit words, low first (little-endian).
 */
static void
sandbox_filter(const char *name)
{
	struct sandbox_prog sp;
	struct sock_fprog prog;
	size_t i;
	uint32_t a4;

	memset(&sp, 0, sizeof(sp));
	sandbox_stmt(&sp, BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch));
	sandbox_jump(&sp, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	sandbox_stmt(&sp, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	sandbox_stmt(&sp, BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
	for (i = 0; i < SANDBOX_NCALLS; i++)
		sandbox_jump(&sp, BPF_JMP | BPF_JEQ | BPF_K, sandbox_calls[i],
		    TO_ALLOW, 0);
	sandbox_jump(&sp, BPF_JMP | BPF_JEQ | BPF_K, SYS_connect, 0, 1);
	sandbox_stmt(&sp, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES);
	/* sendto: the address, the fifth argument, is NULL (4 to check). */
	a4 = offsetof(struct seccomp_data, args[4]);
	sandbox_jump(&sp, BPF_JMP | BPF_JEQ | BPF_K, SYS_sendto, 0, 4);
	sandbox_stmt(&sp, BPF_LD | BPF_W | BPF_ABS, a4);
	sandbox_jump(&sp, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, TO_TRAP);
	sandbox_stmt(&sp, BPF_LD | BPF_W | BPF_ABS, a4 + 4);
	sandbox_jump(&sp, BPF_JMP | BPF_JEQ | BPF_K, 0, TO_ALLOW, TO_TRAP);
	/* ioctl: its request, the low 32 bits of the second argument. */
	sandbox_jump(&sp, BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, TO_TRAP);
	sandbox_stmt(&sp, BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, args[1]));
	for (i = 0; i < SANDBOX_NIOCTLS; i++)
		sandbox_jump(&sp, BPF_JMP | BPF_JEQ | BPF_K, sandbox_ioctls[i],
		    TO_ALLOW, 0);
	sandbox_stmt(&sp, BPF_RET | BPF_K, SECCOMP_RET_TRAP);
	sandbox_stmt(&sp, BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	if (sp.sp_overflow || sp.sp_n != SANDBOX_PROGLEN)
		fatalx("%s: sandbox: a filter of %zu instructions, not %zu",
		    name, sp.sp_n, (size_t)SANDBOX_PROGLEN);
	prog.len = (unsigned short)sp.sp_n;
	prog.filter = sp.sp_f;
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
