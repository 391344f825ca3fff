# SPDX-License-Identifier: BSD-2-Clause
#
# Build rules for atf-c and atf-sh test programs (see tests/Makefile.inc).

# The source directory this one mirrors: tests/lib/libmic -> lib/libmic.
_ATF_RELDIR=	${.CURDIR:tA:S,^${SRCTOP}/tests/,,}
.PATH:	${SRCTOP}/${_ATF_RELDIR}

.SUFFIXES: .o .c

.for t in ${ATF_TESTS_C}
SRCS.$t?=	$t.c
OBJS.$t=	${SRCS.$t:T:R:S/$/.o/}
_ATF_OBJS+=	${OBJS.$t}
$t: ${OBJS.$t}
	${CC} ${LDFLAGS} -o ${.TARGET} ${OBJS.$t} ${LDADD.$t} -latf-c
.endfor

# Objects are built here with the host libc, never taken from the source
# directory on .PATH, where the musl build keeps its own.
.NOPATH: ${_ATF_OBJS}

.for t in ${ATF_TESTS_SH}
$t: $t.sh
	(echo '#! /usr/bin/env atf-sh'; cat ${.ALLSRC}) >${.TARGET}.tmp
	chmod +x ${.TARGET}.tmp && mv ${.TARGET}.tmp ${.TARGET}
.endfor

# The compiler writes each object's headers to a .d file beside it, so
# that a changed header rebuilds the objects that include it.
.c.o:
	${CC} ${CFLAGS} -MD -MF ${.TARGET:R}.d -c ${.IMPSRC} -o ${.TARGET}
.for d in ${_ATF_OBJS:O:u:R:S/$/.d/}
.-include "$d"
.endfor

all: ${ATF_TESTS_C} ${ATF_TESTS_SH}
clean:
	rm -f ${ATF_TESTS_C} ${ATF_TESTS_SH} ${_ATF_OBJS:O:u} \
	    ${_ATF_OBJS:O:u:R:S/$/.d/} *.tmp
lint:
install:
