/* SPDX-License-Identifier: BSD-2-Clause */

/*
 * micd: the configuration (config.c, with lex.c, parse.c, setting.c,
 * addr.c and check.c), the card processes (proc.c in the parent, card.c in
 * each, in its sandbox: sandbox.c, asking the parent with priv.c), the
 * virtio devices (vio.c, with a backend each: viocon.c,
 * vioblk.c, vionet.c with its tap, tap.c) and their buffers (iobuf.c),
 * the cards' names in /etc/hosts (hosts.c), the messages between
 * processes, and logging (log.c).  Include after "mic.h".
 */

#ifndef MICD_H
#define MICD_H

#include <sys/types.h>
#include <sys/uio.h>

#include <poll.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/mic_common.h>

#define MICD_CONF		"/etc/micd.conf"
#define MICD_PIDFILE		"/run/micd.pid"
#define MICD_LOGDIR		"/var/log/micd"	/* console logs: micN.console */
#define MICD_RUNDIR		"/run/micd"	/* consoles: micN.console */
#define MICD_RUNDIR_ENV		"MICD_RUNDIR"	/* instead of MICD_RUNDIR */
#define MICD_FIRMWARE		"mic/uos.img"
#define MICD_USER		"_micd"	/* card processes run as */
#define MICD_USERLEN_MAX	32	/* a user name */

#define MICD_UNITS		256	/* cards mic0 to mic255 */
#define MICD_DISKS_MAX		16	/* disks per card */
#define MICD_NAMELEN_MAX	255	/* firmware and ramdisk names */
#define MICD_PATHLEN_MAX	1023	/* disk and console log paths */
#define MICD_CMDLINE_MAX	2000	/* what the card's 2048 bytes leave */
#define MICD_CONF_MAX		(1024 * 1024)	/* size of micd.conf */

/* Settings, in the order micd -n prints them. */
enum conf_key {
	CONF_FIRMWARE,
	CONF_RAMDISK,
	CONF_CMDLINE,
	CONF_ADDRESS,
	CONF_HOSTADDR,
	CONF_LLADDR,
	CONF_CONSLOG,
	CONF_BOOT,
	CONF_CRASHBOOT,
	CONF_DISK,
	CONF_NKEYS
};

/* An IPv4 address and prefix length. */
struct inet4 {
	uint32_t	i_addr;		/* host byte order */
	int		i_len;		/* 1 to 32; 0: none */
};
#define INET4_STRLEN	sizeof("255.255.255.255/32")

struct disk {
	char		*d_path;
	int		 d_readonly;
	int		 d_line;
};

/* The settings of one card (or of the default block), all resolved. */
struct cardconf {
	char		 cc_name[MIC_NAME_MAX];	/* micN, or "default" */
	int		 cc_unit;	/* N; -1 for the default block */
	int		 cc_line;	/* of its block; 0 if not in the file */
	int		 cc_lines[CONF_NKEYS];	/* where each was set; 0: not */
	char		*cc_firmware;
	char		*cc_ramdisk;
	char		*cc_cmdline;
	char		*cc_conslog;	/* NULL: none */
	struct inet4	 cc_addr;	/* the card's */
	struct inet4	 cc_hostaddr;	/* the host's end of the link */
	uint8_t		 cc_lladdr[6];	/* the card's MAC address */
	int		 cc_boot;	/* boot when micd starts */
	int		 cc_crashboot;	/* boot again after a crash */
	struct disk	 cc_disks[MICD_DISKS_MAX];
	size_t		 cc_ndisks;
};

struct config {
	char		*cf_name;	/* of the file, for messages */
	char		*cf_user;	/* the card processes' user */
	int		 cf_userline;	/* where it was set; 0: not */
	struct cardconf	 cf_default;
	struct cardconf	*cf_cards[MICD_UNITS];	/* by unit; NULL: none */
};

/* config_load() */
#define CONFIG_EREAD	(-1)	/* cannot read the file: errno */
#define CONFIG_ESYNTAX	(-2)	/* errors in the file, logged */

/* Reading micd.conf: the lexer's tokens and state. */
#define LEX_TOKEN_MAX	4096	/* a word or a string, with the NUL */

enum tok {
	TOK_EOF,
	TOK_NL,
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_WORD,
	TOK_STRING,
	TOK_ERROR	/* already reported */
};

struct lex {
	const char	*l_name;	/* of the file, for messages */
	const char	*l_p;		/* the next byte */
	const char	*l_end;
	int		 l_line;	/* of the next byte */
	int		 l_tokline;	/* of the current token */
	enum tok	 l_tok;		/* the current token */
	int		 l_back;	/* lex_next() returns it again */
	int		 l_errors;
	char		 l_text[LEX_TOKEN_MAX];	/* of a word or string */
};

/* Log an error at the current token. */
#define lex_error(l, ...)	lex_error_at((l), (l)->l_tokline, __VA_ARGS__)

/* A setting: its keyword (one or more words) and its value's parser. */
struct keyword {
	const char	*k_name;
	enum conf_key	 k_key;
	int		 k_cardonly;	/* not in the default block */
	int		(*k_parse)(struct lex *, struct cardconf *,
			    const struct keyword *);
};

/*
 * Parent and card processes talk over a SOCK_SEQPACKET socketpair, one
 * message per packet: this header, then m_len bytes.
 */
struct micd_msg {
	uint32_t	m_type;
	uint32_t	m_card;		/* unit */
	uint32_t	m_len;		/* of what follows */
};
#define MICD_MSG_CONFIG	1	/* the card's block, as micd -n prints it */
#define MICD_MSG_MAX	(64 * 1024)

/*
 * The requests of a card process to the parent, on a channel of their own
 * (a second socketpair): the card process sends one and waits for the
 * reply, MICD_MSG_REPLY with an int32_t errno (0: done) and, for an open,
 * the descriptor (SCM_RIGHTS).  The parent acts on its own settings of the
 * card, never on paths or values the card process sends, save a disk's
 * path, which must be one of the card's disks.
 */
#define MICD_MSG_REPLY		2
#define MICD_MSG_OPEN_DEV	3	/* /dev/micN, for a new device */
#define MICD_MSG_OPEN_DISK	4	/* uint32_t readonly, the path */
#define MICD_MSG_OPEN_CONSLOG	5	/* the console log */
#define MICD_MSG_TAP_ADDRESS	6	/* give the tap the host address */
#define MICD_MSG_BOOT		7	/* the boot settings, then boot */
#define MICD_MSG_RESET		8
#define MICD_MSG_SECCOMP	9	/* int32_t: the call, no reply */
#define MICD_REQ_MAX		(sizeof(uint32_t) + MICD_PATHLEN_MAX)

/* The sandbox of the card processes (sandbox.c). */
struct sandbox {
	uid_t		sb_uid;
	gid_t		sb_gid;
	char		sb_user[MICD_USERLEN_MAX + 1];
	char		sb_root[MICD_PATHLEN_MAX + 1];	/* the empty dir */
	int		sb_fault;	/* -x: SIGUSR1 makes a forbidden call */
};

/*
 * The process of one card.  Everything it waits for is a descriptor in its
 * poll(2) loop: the card's state attributes, the parent's channel, its
 * signals, and what the backends add with card_io_add().
 */
#define CARD_IO_MAX	64

struct card;

struct card_io {
	void		(*ci_fn)(struct card *, int, short, void *);
	void		 *ci_arg;
};

/*
 * A backend: b_init when the card process starts and b_exit when it ends
 * (what outlives the card's boots, such as the console's pty), b_start when
 * the card boots or is found up (add the virtio device), b_stop before a
 * reset and at exit (remove it), b_config after the parent sent a new
 * configuration (c_conf is the new one, the argument the old one).  Each
 * logs its own failures; b_init, b_exit and b_config may be NULL.
 */
struct backend {
	const char	*b_name;
	void		(*b_init)(struct card *);
	void		(*b_exit)(struct card *);
	int		(*b_start)(struct card *);
	void		(*b_stop)(struct card *);
	void		(*b_config)(struct card *, const struct cardconf *);
};

/* A bounded byte queue over a caller's array (iobuf.c). */
struct iobuf {
	char		*b_data;
	size_t		 b_size;
	size_t		 b_off;		/* of the oldest byte */
	size_t		 b_len;		/* queued */
	uint64_t	 b_dropped;	/* by iobuf_put(), in all */
};

/*
 * A virtio device over an open file of /dev/micN (vio.c).  The backend
 * fills in v_card, v_name, v_ready and v_arg, sets v_fd to -1, and builds
 * the descriptor block with vio_desc(); v_ready is called when a ring of
 * the device is readable.  The rest starts zeroed (a static struct).
 */
struct vio {
	struct card	*v_card;
	const char	*v_name;	/* the backend, for messages */
	int		 v_fd;		/* -1: no device */
	void		(*v_ready)(struct vio *);
	void		*v_arg;		/* the backend's */
	size_t		 v_desclen;
	uint8_t		 v_desc[MIC_MAX_DESC_BLK_SIZE];
	void		*v_map;		/* read-only; NULL (zeroed): none */
	size_t		 v_maplen;
	size_t		 v_dpoff;	/* of the block in it; 0: unknown */
};

/* A chain as vio_peek() saw it in the ring: a hint the card may falsify. */
struct vio_chain {
	uint64_t	vc_rlen;	/* readable bytes */
	uint64_t	vc_wlen;	/* writable bytes */
	unsigned int	vc_ndesc;
};

/* What a failed COPY_DESC means for the device. */
enum vio_fate {
	VIO_RETRY,	/* interrupted: again */
	VIO_READD,	/* the card broke a ring: close, add it again */
	VIO_ENDED,	/* removed, or the card was reset: close */
	VIO_FAILED	/* anything else, logged: close */
};

struct card {
	char			 c_name[MIC_NAME_MAX];
	int			 c_unit;
	struct config		*c_config;
	const struct cardconf	*c_conf;	/* in c_config */
	enum mic_state		 c_state;	/* as last read */
	enum mic_shutdown	 c_shutdown;	/* as last read */
	int			 c_statefd;
	int			 c_statusfd;
	int			 c_fake;	/* not sysfs: re-read it */
	int			 c_boot;	/* boot when ready */
	int			 c_reset;	/* reset written, not seen */
	int			 c_up;		/* the backends are started */
	int			 c_quit;	/* leave the loop */
	int			 c_exit;	/* and exit with this */
	nfds_t			 c_npfd;
	struct pollfd		 c_pfd[CARD_IO_MAX];
	struct card_io		 c_io[CARD_IO_MAX];
};

/* addr.c */
int		 addr_inet4_parse(const char *, struct inet4 *);
void		 addr_inet4_print(const struct inet4 *, char *, size_t);
uint32_t	 addr_inet4_mask(int);
struct inet4	 addr_inet4_peer(const struct inet4 *);
int		 addr_inet4_overlap(const struct inet4 *,
		    const struct inet4 *);
int		 addr_lladdr_parse(const char *, uint8_t *);
void		 addr_lladdr_print(const uint8_t *, char *, size_t);

/* card.c */
_Noreturn void	card_main(struct config *, int, int, int,
		    const struct sandbox *);
int		card_io_add(struct card *, int, short,
		    void (*)(struct card *, int, short, void *), void *);
void		card_io_events(struct card *, int, short);
void		card_io_del(struct card *, int);

/* check.c */
void		check_config(struct lex *, const struct config *);

/* config.c */
int		 config_load(const char *, const char *, struct config **);
struct config	*config_parse(const char *, const char *, size_t);
void		 config_free(struct config *);
const struct cardconf *config_card(struct config *, int);
void		 config_print(FILE *, const struct config *);
void		 config_print_card(FILE *, const struct cardconf *);
void		*config_calloc(size_t);
char		*config_strdup(const char *);
void		 config_clear_card(struct cardconf *);

/* iobuf.c */
void		iobuf_init(struct iobuf *, char *, size_t);
void		iobuf_clear(struct iobuf *);
size_t		iobuf_len(const struct iobuf *);
size_t		iobuf_room(const struct iobuf *);
size_t		iobuf_data(const struct iobuf *, struct iovec *);
size_t		iobuf_space(const struct iobuf *, struct iovec *);
void		iobuf_consume(struct iobuf *, size_t);
void		iobuf_produce(struct iobuf *, size_t);
size_t		iobuf_put(struct iobuf *, const char *, size_t);
ssize_t		iobuf_read(struct iobuf *, int);
ssize_t		iobuf_write(struct iobuf *, int);

/* lex.c */
struct lex	*lex_new(const char *, const char *, size_t);
enum tok	 lex_next(struct lex *);
void		 lex_back(struct lex *);
int		 lex_expect(struct lex *, enum tok, const char *);
int		 lex_unexpected(struct lex *, const char *);
int		 lex_error_at(struct lex *, int, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));

/* log.c */
struct lograte {
	time_t		lr_start;	/* of this period */
	unsigned int	lr_lines;	/* logged in it */
};
void		log_init(int, int);
int		log_rate(struct lograte *, unsigned int, int);
void		log_warn(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
void		log_warnx(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
void		log_info(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
void		log_debug(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
_Noreturn void	fatal(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
_Noreturn void	fatalx(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));

/* parse.c */
void		parse_file(struct lex *, struct config *);

/* priv.c: what a card process asks of the parent; the messages. */
#define PRIV_IOV_MAX	2	/* buffers of data in a message */
void		priv_init(int);
int		priv_send(int, uint32_t, uint32_t, const struct iovec *, int,
		    int, int);
int		priv_open_dev(struct card *);
int		priv_open_disk(struct card *, const char *, int);
int		priv_open_conslog(struct card *);
int		priv_tap_address(struct card *);
int		priv_boot(struct card *);
int		priv_reset(struct card *);

/* proc.c */
void		proc_start(struct config *, const struct sandbox *, int, int);
void		proc_config(struct config *, const struct sandbox *);
nfds_t		proc_pollfds(struct pollfd *, nfds_t);
void		proc_serve(const struct pollfd *, nfds_t);
void		proc_reap(void);
void		proc_respawn(void);
int		proc_timeout(void);
void		proc_stop(void);

/* sandbox.c */
int		sandbox_user(const char *, struct sandbox *, char *, size_t);
void		sandbox_root(const char *, struct sandbox *);
void		sandbox_enter(const char *, int, int, const struct sandbox *);
void		sandbox_forbidden(void);

/* setting.c */
const struct keyword *setting_lookup(const char *);
int		 setting_user(struct lex *, struct config *);

/* vio.c */
int		vio_desc(struct vio *, int, unsigned int, unsigned int,
		    const uint8_t *, size_t, const void *, size_t);
int		vio_devopen(const char *);
int		vio_open(struct vio *);
void		vio_close(struct vio *, const char *);
int		vio_isopen(const struct vio *);
enum vio_fate	vio_fate(int);
int		vio_copy(struct vio *, unsigned int, struct iovec *, size_t,
		    int, size_t *);
int		vio_status(const struct vio *);
int		vio_features(const struct vio *, uint8_t *, size_t);
int		vio_peek(const struct vio *, unsigned int, struct vio_chain *);

/* vionet.c */
extern const struct backend vionet_backend;
unsigned int	vionet_hdrlen(uint32_t);
unsigned int	vionet_offloads(uint32_t);
int		vionet_rxhdr_ok(const uint8_t *, size_t, uint32_t);
int		vionet_txhdr_ok(const uint8_t *, size_t, uint32_t);

/* tap.c: the host's end of a card's network (privileged). */
int		tap_open(const char *);
int		tap_offload(int, unsigned int, unsigned int);
int		tap_address(const char *, const struct inet4 *);

/* hosts.c: micd's block in /etc/hosts ($MICD_HOSTS). */
#define MICD_HOSTS		"/etc/hosts"
#define MICD_HOSTS_ENV		"MICD_HOSTS"	/* instead of MICD_HOSTS */
#define HOSTS_BEGIN		"# micd: begin"	/* a line that starts so */
#define HOSTS_END		"# micd: end"	/* a line just so */
int		hosts_update(struct config *);
int		hosts_edit(const char *, size_t, const char *, FILE *);

/* viocon.c */
extern const struct backend viocon_backend;
const char	*viocon_rundir(void);
int		 viocon_log_file(const char *);
void		 viocon_unlink(const char *);

/*
 * vioblk.c: a disk is one ring of VIOBLK_NUM entries; a request's data is
 * at most VIOBLK_SEG_MAX segments of VIOBLK_SIZE_MAX bytes, which fits
 * micd's buffer of VIOBLK_DATA_MAX bytes.
 */
#define VIOBLK_NUM		128
#define VIOBLK_SECTOR		512
#define VIOBLK_HDR		16	/* le32 type, le32 ioprio, le64 sector */
#define VIOBLK_SEG_MAX		(VIOBLK_NUM - 2)
#define VIOBLK_SIZE_MAX		(64 * 1024)
#define VIOBLK_DATA_MAX		(VIOBLK_SEG_MAX * VIOBLK_SIZE_MAX)

/* A request: its header, its chain's lengths, its data's length. */
struct vioblk_req {
	uint32_t	rq_type;
	uint64_t	rq_sector;
	uint64_t	rq_rlen;
	uint64_t	rq_wlen;	/* the status byte too */
	uint64_t	rq_len;		/* set by vioblk_check() */
};

enum vioblk_verdict {
	VIOBLK_OK,
	VIOBLK_NOSTATUS,	/* no writable byte: dropped */
	VIOBLK_SHORTHDR,	/* fewer than VIOBLK_HDR readable bytes */
	VIOBLK_UNSUPP,		/* an unknown type */
	VIOBLK_TOOLONG,		/* more than VIOBLK_DATA_MAX */
	VIOBLK_UNALIGNED,	/* not whole sectors */
	VIOBLK_READONLY,	/* a write to a read-only disk */
	VIOBLK_PASTEND		/* not inside the image */
};

/* Where the rest of a chain goes, for vioblk_iov(). */
struct vioblk_out {
	uint64_t	 o_skip;	/* readable bytes to take and drop */
	const void	*o_data;	/* then these for the card */
	size_t		 o_len;
	uint64_t	 o_zero;	/* then so many zeros */
	int		 o_status;	/* then this byte; -1: none */
};

extern const struct backend vioblk_backend;
int		vioblk_open_image(const char *, int);
enum vioblk_verdict vioblk_check(struct vioblk_req *, uint64_t, int);
int		vioblk_status(enum vioblk_verdict);
size_t		vioblk_head(struct iovec *, void *, void *, uint64_t);
size_t		vioblk_iov(struct iovec *, size_t, const struct vioblk_out *,
		    void *, const void *, size_t);
void		vioblk_serial(const char *, uint8_t *);

#endif /* !MICD_H */
