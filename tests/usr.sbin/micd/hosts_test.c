/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hosts.c: the edit of a hosts file against golden files (hosts/NAME.in
 * with micd's block put in gives hosts/NAME.out), the removal of the
 * block, and hosts_update() on a file in the work directory ($MICD_HOSTS)
 * for cards of a fake sysfs tree ($MIC_SYSFS_ROOT) and of a
 * configuration: which cards, mode and owner kept, no rewrite when
 * nothing changes, a symbolic link followed.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "mic.h"
#include "micd.h"

#define BLOCK	"# micd: begin: micd(8) rewrites these lines\n"	\
		"172.31.1.1\tmic0\n"				\
		"10.0.0.7\tmic5\n"				\
		"# micd: end\n"

/* The contents of a file, NUL-terminated; *lenp its length. */
static char *
slurp(const char *path, size_t *lenp)
{
	struct stat sb;
	char *buf;
	int fd;

	ATF_REQUIRE_MSG((fd = open(path, O_RDONLY)) != -1, "%s: %s", path,
	    strerror(errno));
	ATF_REQUIRE(fstat(fd, &sb) == 0);
	ATF_REQUIRE((buf = malloc((size_t)sb.st_size + 1)) != NULL);
	ATF_REQUIRE_EQ(read(fd, buf, (size_t)sb.st_size), sb.st_size);
	buf[sb.st_size] = '\0';
	(void)close(fd);
	*lenp = (size_t)sb.st_size;
	return (buf);
}

/* hosts_edit() of in with block: the text, and what it returned. */
static char *
edit(const char *in, size_t len, const char *block, int *found)
{
	char *out;
	size_t outlen;
	FILE *fp;

	ATF_REQUIRE((fp = open_memstream(&out, &outlen)) != NULL);
	*found = hosts_edit(in, len, block, fp);
	ATF_REQUIRE(fclose(fp) == 0);
	return (out);
}

static void
spew(const char *path, const char *text, mode_t mode)
{
	int fd;

	ATF_REQUIRE((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)) !=
	    -1);
	ATF_REQUIRE_EQ(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ATF_REQUIRE(fchmod(fd, mode) == 0);
	ATF_REQUIRE(close(fd) == 0);
}

ATF_TC(golden);
ATF_TC_HEAD(golden, tc)
{
	atf_tc_set_md_var(tc, "descr", "hosts/NAME.in with the block put in "
	    "is hosts/NAME.out: an empty file, other lines (with and without "
	    "a final newline), an old block, blocks in the middle with a "
	    "stray end line, a begin line without an end line");
}
ATF_TC_BODY(golden, tc)
{
	static const char *const names[] = { "empty", "other", "nonewline",
	    "old", "middle", "unterminated" };
	static const int found[] = { 0, 0, 0, 1, 1, 1 };
	char path[1024], *in, *want, *out;
	size_t i, inlen, wantlen;
	int f;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		(void)snprintf(path, sizeof(path), "%s/hosts/%s.in",
		    atf_tc_get_config_var(tc, "srcdir"), names[i]);
		in = slurp(path, &inlen);
		(void)snprintf(path, sizeof(path), "%s/hosts/%s.out",
		    atf_tc_get_config_var(tc, "srcdir"), names[i]);
		want = slurp(path, &wantlen);
		out = edit(in, inlen, BLOCK, &f);
		ATF_CHECK_STREQ_MSG(out, want, "%s", names[i]);
		ATF_CHECK_EQ_MSG(f, found[i], "%s", names[i]);
		free(out);
		/* Done again, it changes nothing. */
		out = edit(want, wantlen, BLOCK, &f);
		ATF_CHECK_STREQ_MSG(out, want, "%s again", names[i]);
		free(out);
		free(in);
		free(want);
	}
}

ATF_TC(remove);
ATF_TC_HEAD(remove, tc)
{
	atf_tc_set_md_var(tc, "descr", "with no card, the block goes and "
	    "nothing else; a file without a block is left as it is");
}
ATF_TC_BODY(remove, tc)
{
	static const char in[] = "127.0.0.1\tlocalhost\n" BLOCK "::1\tx\n";
	static const char other[] = "127.0.0.1\tlocalhost";
	char *out;
	int f;

	out = edit(in, strlen(in), "", &f);
	ATF_CHECK_STREQ(out, "127.0.0.1\tlocalhost\n::1\tx\n");
	ATF_CHECK_EQ(f, 1);
	free(out);
	out = edit(other, strlen(other), "", &f);
	ATF_CHECK_STREQ(out, other);
	ATF_CHECK_EQ(f, 0);
	free(out);
}

/* The work directory's fake sysfs tree with cards mic0 and mic2. */
static void
cards(void)
{
	ATF_REQUIRE(mkdir("sys", 0755) == 0);
	ATF_REQUIRE(mkdir("sys/mic0", 0755) == 0);
	ATF_REQUIRE(mkdir("sys/mic2", 0755) == 0);
	ATF_REQUIRE(setenv("MIC_SYSFS_ROOT", "sys", 1) == 0);
}

static struct config *
conf(void)
{
	static const char text[] =
	    "card mic2 {\n\taddress none\n}\n"
	    "card mic5 {\n\taddress 10.0.0.7/24\n}\n"
	    "card mic7 {\n\taddress 10.0.7.1/24\n}\n";
	struct config *cf;

	ATF_REQUIRE((cf = config_parse("micd.conf", text,
	    strlen(text))) != NULL);
	return (cf);
}

ATF_TC(update);
ATF_TC_HEAD(update, tc)
{
	atf_tc_set_md_var(tc, "descr", "the block names the cards there "
	    "and the cards of the file, each with its address (none: not "
	    "named); the file keeps its mode; unchanged, it is not rewritten");
}
ATF_TC_BODY(update, tc)
{
	static const char want[] = "127.0.0.1 localhost\n"
	    "# micd: begin: micd(8) rewrites these lines\n"
	    "172.31.1.1\tmic0\n10.0.0.7\tmic5\n10.0.7.1\tmic7\n"
	    "# micd: end\n";
	struct config *cf;
	struct stat before, after;
	char *text;
	size_t len;

	cards();
	spew("hosts", "127.0.0.1 localhost\n", 0640);
	ATF_REQUIRE(setenv(MICD_HOSTS_ENV, "hosts", 1) == 0);
	cf = conf();
	ATF_REQUIRE_EQ(hosts_update(cf), 0);
	text = slurp("hosts", &len);
	ATF_CHECK_STREQ(text, want);
	free(text);
	ATF_REQUIRE(stat("hosts", &before) == 0);
	ATF_CHECK_EQ(before.st_mode & 07777, 0640);
	ATF_REQUIRE_EQ(hosts_update(cf), 0);
	ATF_REQUIRE(stat("hosts", &after) == 0);
	ATF_CHECK_EQ(after.st_ino, before.st_ino);
	config_free(cf);
}

ATF_TC(missing);
ATF_TC_HEAD(missing, tc)
{
	atf_tc_set_md_var(tc, "descr", "a missing file is created with mode "
	    "0644; a symbolic link is followed and stays a link");
}
ATF_TC_BODY(missing, tc)
{
	struct config *cf;
	struct stat sb;
	char *text;
	size_t len;

	cards();
	cf = conf();
	ATF_REQUIRE(setenv(MICD_HOSTS_ENV, "new", 1) == 0);
	ATF_REQUIRE_EQ(hosts_update(cf), 0);
	ATF_REQUIRE(stat("new", &sb) == 0);
	ATF_CHECK_EQ(sb.st_mode & 07777, 0644);
	text = slurp("new", &len);
	ATF_CHECK(strstr(text, "\n10.0.7.1\tmic7\n") != NULL);
	free(text);
	spew("target", "10.1.1.1 a\n", 0600);
	ATF_REQUIRE(symlink("target", "link") == 0);
	ATF_REQUIRE(setenv(MICD_HOSTS_ENV, "link", 1) == 0);
	ATF_REQUIRE_EQ(hosts_update(cf), 0);
	ATF_REQUIRE(lstat("link", &sb) == 0);
	ATF_CHECK(S_ISLNK(sb.st_mode));
	text = slurp("target", &len);
	ATF_CHECK(strncmp(text, "10.1.1.1 a\n# micd: begin", 24) == 0);
	free(text);
	ATF_REQUIRE(stat("target", &sb) == 0);
	ATF_CHECK_EQ(sb.st_mode & 07777, 0600);
	config_free(cf);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, golden);
	ATF_TP_ADD_TC(tp, remove);
	ATF_TP_ADD_TC(tp, update);
	ATF_TP_ADD_TC(tp, missing);
	return (atf_no_error());
}
