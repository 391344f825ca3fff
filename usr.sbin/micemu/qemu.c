/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * QEMU command lines of the host guest and of the card guests, and
 * starting and stopping them.
 *
 * Host guest: RAM is host.mem; per card K, at slot 0x10 + K, function
 * 0 is the card's ivshmem-doorbell (register file), function 1 an
 * ivshmem-plain onto micK.mem (the aperture) and function 2 one onto
 * micK.host (the host page, which the card guest never maps).  Card
 * guest: RAM is
 * micK.mem; at slot 0x10, function 0 is the same doorbell device and
 * function 1 an ivshmem-plain onto host.mem (the host window).
 */
#include <sys/prctl.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/mic_vmic.h>

#include "micemu.h"

/*
 * Words for every guest's kernel.  Under emulation on a busy machine the
 * boot-time check that the timer interrupt works can miss its few ticks
 * and panic ("IO-APIC + timer doesn't work"): skip it, as virtual
 * machines do.
 */
#define QEMU_APPEND	"no_timer_check "

struct args {
	char		**a_v;
	size_t		  a_n;
	size_t		  a_cap;
};

static void	args_add(struct args *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	args_free(struct args *);
static char	*qemu_esc(const char *);
static void	qemu_machine(struct args *, const char *, uint64_t,
		    const char *, int);
static void	qemu_host_cards(struct args *);
static void	qemu_host_script(struct args *);
static pid_t	qemu_spawn(struct args *, int, int);

pid_t
qemu_host(void)
{
	struct args a = { NULL, 0, 0 };
	const char *extra = getenv("MICEMU_APPEND");
	pid_t pid;

	qemu_machine(&a, "host", micemu.m_hostmem, path_mem("host.mem"), 1);
	args_add(&a, "-kernel");
	args_add(&a, "%s", micemu.m_vmlinux != NULL ? micemu.m_vmlinux :
	    micemu.m_bzimage);
	args_add(&a, "-initrd");
	args_add(&a, "%s/host.img", micemu.m_datadir);
	args_add(&a, "-append");
	args_add(&a, "console=ttyS0 " QEMU_APPEND
	    "panic=-1 micemu.cards=%d%s%s",
	    micemu.m_ncards, extra != NULL ? " " : "",
	    extra != NULL ? extra : "");
	args_add(&a, "-chardev");
	if (micemu.m_interactive)
		args_add(&a, "stdio,id=con,mux=on,signal=off,logfile=%s",
		    qemu_esc(path_work("host.log")));
	else
		args_add(&a, "file,id=con,path=%s",
		    qemu_esc(path_work("host.log")));
	args_add(&a, "-serial");
	args_add(&a, "chardev:con");
	if (micemu.m_interactive) {
		args_add(&a, "-mon");
		args_add(&a, "chardev=con,mode=readline");
	}
	qemu_host_script(&a);
	if (micemu.m_share != NULL) {
		args_add(&a, "-fsdev");
		args_add(&a, "local,id=share,path=%s,security_model=none",
		    qemu_esc(micemu.m_share));
		args_add(&a, "-device");
		args_add(&a, "virtio-9p-pci,fsdev=share,mount_tag=share");
	}
	qemu_host_cards(&a);
	pid = qemu_spawn(&a, micemu.m_interactive, SIGTERM);
	args_free(&a);
	return (pid);
}

/*
 * The card guest's kernel command line: micemu's own words (the console
 * on the serial port that goes to micK.log, QEMU_APPEND, then
 * MICEMU_CARD_APPEND), then what the host loaded.  snprintf()'s return
 * value.
 */
int
qemu_card_cmdline(char *buf, size_t size, const char *host)
{
	const char *extra = getenv("MICEMU_CARD_APPEND");

	if (extra == NULL)
		extra = "";
	return (snprintf(buf, size, "console=ttyS0 " QEMU_APPEND "%s%s%s",
	    extra, *extra != '\0' ? " " : "", host));
}

/* Start card k's guest; cmdline is from qemu_card_cmdline(). */
pid_t
qemu_card(int k, const char *kernel, const char *initrd, const char *cmdline)
{
	struct args a = { NULL, 0, 0 };
	const char *smp = getenv("MICEMU_CARD_SMP");
	char name[16];
	pid_t pid;
	int ncpu;

	(void)snprintf(name, sizeof(name), "mic%d", k);
	ncpu = smp != NULL ? atoi(smp) : 1;
	qemu_machine(&a, name, micemu.m_cardmem, path_mem("%s.mem", name),
	    ncpu >= 1 && ncpu <= 8 ? ncpu : 1);
	args_add(&a, "-object");
	args_add(&a, "memory-backend-file,id=hwin,mem-path=%s,size=%lluM,"
	    "share=on", qemu_esc(path_mem("host.mem")),
	    (unsigned long long)(micemu.m_hostmem >> 20));
	args_add(&a, "-kernel");
	args_add(&a, "%s", kernel);
	if (initrd != NULL) {
		args_add(&a, "-initrd");
		args_add(&a, "%s", initrd);
	}
	args_add(&a, "-append");
	args_add(&a, "%s", cmdline);
	args_add(&a, "-chardev");
	args_add(&a, "file,id=con,path=%s,append=on",
	    qemu_esc(path_work("%s.log", name)));
	args_add(&a, "-serial");
	args_add(&a, "chardev:con");
	args_add(&a, "-chardev");
	args_add(&a, "socket,id=db,path=%s", qemu_esc(path_work("%s.sock",
	    name)));
	args_add(&a, "-device");
	args_add(&a, "ivshmem-doorbell,chardev=db,vectors=%d,addr=%#x.%d,"
	    "multifunction=on", MICEMU_NVEC, MIC_VMIC_CARD_SLOT,
	    MIC_VMIC_FN_REGS);
	args_add(&a, "-device");
	args_add(&a, "ivshmem-plain,memdev=hwin,addr=%#x.%d",
	    MIC_VMIC_CARD_SLOT, MIC_VMIC_FN_MEM);
	args_add(&a, "-monitor");
	args_add(&a, "unix:%s,server=on,wait=off",
	    qemu_esc(path_work("%s.monitor", name)));
	pid = qemu_spawn(&a, 0, SIGKILL);
	args_free(&a);
	return (pid);
}

/* Stop a guest now (a card reset is not orderly either) and reap it. */
void
qemu_kill(pid_t pid)
{
	int status;

	(void)kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
}

/* What every guest has: RAM from a shared file, no other devices. */
static void
qemu_machine(struct args *a, const char *name, uint64_t mem,
    const char *mempath, int ncpu)
{
	args_add(a, "%s", micemu.m_qemu);
	args_add(a, "-name");
	args_add(a, "micemu-%s", name);
	args_add(a, "-machine");
	args_add(a, "pc,accel=tcg,memory-backend=ram");
	args_add(a, "-smp");
	args_add(a, "%d", ncpu);
	args_add(a, "-m");
	args_add(a, "%lluM", (unsigned long long)(mem >> 20));
	args_add(a, "-object");
	args_add(a, "memory-backend-file,id=ram,mem-path=%s,size=%lluM,"
	    "share=on", qemu_esc(mempath), (unsigned long long)(mem >> 20));
	args_add(a, "-nodefaults");
	args_add(a, "-no-user-config");
	args_add(a, "-display");
	args_add(a, "none");
	args_add(a, "-no-reboot");
}

/* Each card's doorbell device and aperture, at fixed slots. */
static void
qemu_host_cards(struct args *a)
{
	int k, slot;

	for (k = 0; k < micemu.m_ncards; k++) {
		slot = MIC_VMIC_HOST_SLOT(k);
		args_add(a, "-object");
		args_add(a, "memory-backend-file,id=aper%d,mem-path=%s,"
		    "size=%lluM,share=on", k,
		    qemu_esc(path_mem("mic%d.mem", k)),
		    (unsigned long long)(micemu.m_cardmem >> 20));
		args_add(a, "-chardev");
		args_add(a, "socket,id=db%d,path=%s", k,
		    qemu_esc(path_work("mic%d.sock", k)));
		args_add(a, "-device");
		args_add(a, "ivshmem-doorbell,chardev=db%d,vectors=%d,"
		    "addr=%#x.%d,multifunction=on", k, MICEMU_NVEC, slot,
		    MIC_VMIC_FN_REGS);
		args_add(a, "-device");
		args_add(a, "ivshmem-plain,memdev=aper%d,addr=%#x.%d", k, slot,
		    MIC_VMIC_FN_MEM);
		args_add(a, "-object");
		args_add(a, "memory-backend-file,id=hpage%d,mem-path=%s,"
		    "size=%u,share=on", k, qemu_esc(path_mem("mic%d.host", k)),
		    MIC_VMIC_HOST_PAGE_SIZE);
		args_add(a, "-device");
		args_add(a, "ivshmem-plain,memdev=hpage%d,addr=%#x.%d", k, slot,
		    MIC_VMIC_FN_HOST);
	}
}

/*
 * With -s: the script in fw_cfg, its output on ttyS1 (a socket that
 * micemu copies to its standard output), its status through
 * isa-debug-exit (QEMU exits with 2 * value + 1).
 */
static void
qemu_host_script(struct args *a)
{
	if (micemu.m_script == NULL)
		return;
	args_add(a, "-fw_cfg");
	args_add(a, "name=opt/micemu/script,file=%s",
	    qemu_esc(micemu.m_script));
	args_add(a, "-chardev");
	args_add(a, "socket,id=out,path=%s", qemu_esc(path_work("out.sock")));
	args_add(a, "-serial");
	args_add(a, "chardev:out");
	args_add(a, "-device");
	args_add(a, "isa-debug-exit,iobase=0xf4,iosize=0x04");
}

/*
 * Fork and exec QEMU; it dies with micemu whatever happens to micemu:
 * the host guest's QEMU by SIGTERM (it restores the terminal), a card's
 * by SIGKILL (it may be stopped).
 */
static pid_t
qemu_spawn(struct args *a, int tty, int deathsig)
{
	pid_t pid, parent = getpid();
	sigset_t none;
	int fd;

	args_add(a, NULL);
	a->a_n--;
	pid = fork();
	if (pid == -1) {
		warn("fork");
		return (-1);
	}
	if (pid > 0)
		return (pid);
	if (prctl(PR_SET_PDEATHSIG, deathsig) == -1 || getppid() != parent)
		_exit(127);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	(void)signal(SIGPIPE, SIG_DFL);
	if (!tty) {
		(void)setpgid(0, 0);
		fd = open("/dev/null", O_RDONLY);
		if (fd != -1 && fd != STDIN_FILENO) {
			(void)dup2(fd, STDIN_FILENO);
			(void)close(fd);
		}
	}
	execvp(a->a_v[0], a->a_v);
	warn("%s", a->a_v[0]);
	_exit(127);
}

/* Append one argument; NULL appends the terminating null pointer. */
static void
args_add(struct args *a, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	if (a->a_n + 1 >= a->a_cap) {
		a->a_cap = a->a_cap ? a->a_cap * 2 : 64;
		a->a_v = reallocarray(a->a_v, a->a_cap, sizeof(*a->a_v));
		if (a->a_v == NULL)
			err(1, NULL);
	}
	if (fmt != NULL) {
		va_start(ap, fmt);
		if (vasprintf(&s, fmt, ap) == -1)
			err(1, NULL);
		va_end(ap);
	}
	a->a_v[a->a_n++] = s;
}

static void
args_free(struct args *a)
{
	size_t i;

	for (i = 0; i < a->a_n; i++)
		free(a->a_v[i]);
	free(a->a_v);
}

/* A value inside QEMU's option syntax: double every comma. */
static char *
qemu_esc(const char *s)
{
	static char buf[8][4096];
	static int next;
	char *p, *d;

	p = d = buf[next++ % 8];
	for (; *s != '\0' && d < p + sizeof(buf[0]) - 2; s++) {
		*d++ = *s;
		if (*s == ',')
			*d++ = ',';
	}
	*d = '\0';
	return (p);
}
