#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Build a micemu(8) initramfs (an uncompressed newc cpio archive), the
# uncompressed kernel that micemu boots directly (PVH, which saves the
# guest decompressing the bzImage under emulation), or the ssh keys the
# two images share:
#	mkimage.sh keys keydir
#	mkimage.sh card out.img keydir
#	mkimage.sh host out.img card.img keydir
#	mkimage.sh vmlinux out
# Environment: SRCTOP (the tree), KVER (the kernel the modules are for).
# The kernel modules in <kind>.modules come from Debian's kernel, with
# their dependencies, in load order (busybox insmod follows none).  The
# tree's modules and static tools are taken when they have been built.
# Debian's dynamically linked programs (dropbear, e2fsprogs) come with
# their shared libraries and the dynamic loader.
#
# The keys, made once and kept until "bmake clean": keydir/card_ed25519
# is the host key of every card's dropbear, keydir/root_ed25519 the host
# guest root's identity, whose public half is root's authorized_keys on
# the cards; the host image's known_hosts has the cards' key for the
# names mic0..mic7 and their default addresses 172.31.1.1..172.31.8.1.
set -eu

kind=$1
out=$2
srcdir=$(cd "$(dirname "$0")" && pwd)
: "${SRCTOP:=$srcdir/../..}"
: "${KVER:?KVER is not set}"
moddir=/lib/modules/$KVER
busybox=/bin/busybox

die() {
	echo "mkimage: $*" >&2
	exit 1
}

# The bzImage's payload (after 512 * (setup_sects + 1) bytes, at
# payload_offset), an xz stream for Debian's kernels.
if [ "$kind" = vmlinux ]; then
	bz=/boot/vmlinuz-$KVER
	ss=$(od -An -tu1 -j 497 -N 1 "$bz" | tr -d ' ')
	po=$(od -An -tu4 -j 584 -N 4 "$bz" | tr -d ' ')
	tail -c +$(((ss + 1) * 512 + po + 1)) "$bz" |
	    xz -dc --single-stream >"$out.tmp" || die "$bz: not an xz kernel"
	mv "$out.tmp" "$out"
	exit 0
fi

if [ "$kind" = keys ]; then
	command -v dropbearkey >/dev/null ||
	    die "dropbearkey: not found (dropbear-bin)"
	mkdir -p "$out"
	chmod 700 "$out"
	for k in card root; do
		[ -s "$out/${k}_ed25519" ] && continue
		rm -f "$out/${k}_ed25519.tmp"
		dropbearkey -t ed25519 -f "$out/${k}_ed25519.tmp" \
		    >/dev/null 2>&1 || die "dropbearkey: cannot make a key"
		mv "$out/${k}_ed25519.tmp" "$out/${k}_ed25519"
	done
	exit 0
fi

[ -r "$moddir/modules.dep" ] || die "$moddir/modules.dep: not found"
[ -x "$busybox" ] || die "$busybox: not found (busybox-static)"
root=$(mktemp -d "${TMPDIR:-/tmp}/mkimage.XXXXXX")
trap 'rm -rf "$root"' EXIT

# Paths (relative to $moddir) of the named modules, dependencies first.
resolve() {
	awk -v want="$*" '
	{
		sub(":", "", $1)
		name = $1
		sub(".*/", "", name)
		sub(/\.ko.*$/, "", name)
		gsub("-", "_", name)
		path[name] = $1
		deps[$1] = ""
		for (i = 2; i <= NF; i++)
			deps[$1] = deps[$1] " " $i
	}
	function visit(p,	d, i, n) {
		if (p in seen)
			return
		seen[p] = 1
		n = split(deps[p], d, " ")
		for (i = n; i >= 1; i--)
			visit(d[i])
		print p
	}
	END {
		n = split(want, w, " ")
		for (i = 1; i <= n; i++) {
			m = w[i]
			gsub("-", "_", m)
			if (!(m in path)) {
				print "mkimage: no module " w[i] >"/dev/stderr"
				exit 1
			}
			visit(path[m])
		}
	}' "$moddir/modules.dep"
}

# Copy modules into /lib/modules and append their names to /etc/modules.
add_modules() {
	for m in $(resolve "$@"); do
		n=$(basename "$m")
		grep -qx "$n" "$root/etc/modules" 2>/dev/null && continue
		case $m in
		*.ko) cp "$moddir/$m" "$root/lib/modules/$n" ;;
		*.ko.xz) xz -dc "$moddir/$m" >"$root/lib/modules/${n%.xz}"
			n=${n%.xz} ;;
		*) die "$m: unknown module format" ;;
		esac
		echo "$n" >>"$root/etc/modules"
	done
}

# A module of the tree, if built, after what it depends on.
add_tree_module() {
	[ -f "$1" ] || return 0
	deps=$(/sbin/modinfo -F depends "$1" | tr ',' ' ')
	[ -z "$deps" ] || add_modules $deps
	# Without its debug sections: a smaller image to copy at every boot.
	strip --strip-debug -o "$root/lib/modules/${1##*/}" "$1"
	basename "$1" >>"$root/etc/modules"
}

base() {
	for d in bin sbin usr/bin usr/sbin etc lib/modules proc sys dev \
	    dev/pts tmp run root mnt/share var/log; do
		mkdir -p "$root/$d"
	done
	: >"$root/etc/modules"
	cp "$busybox" "$root/bin/busybox"
	for a in $("$busybox" --list-full); do
		[ -L "$root/$a" ] || [ -e "$root/$a" ] || ln -s /bin/busybox "$root/$a"
	done
	echo 'root::0:0:root:/root:/bin/sh' >"$root/etc/passwd"
	echo 'root:x:0:' >"$root/etc/group"
	ln -s /run "$root/var/run"
	echo /bin/sh >"$root/etc/shells"
	printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' \
	    >"$root/etc/nsswitch.conf"
	printf '127.0.0.1\tlocalhost\n' >"$root/etc/hosts"
}

# A dynamically linked program of Debian at path $2 in the image, with
# the shared libraries and the loader it needs, at the paths ldd shows
# (which the loader searches by default); $3 names its package.
add_prog() {
	[ -x "$1" ] || die "$1: not found ($3)"
	libs=$(ldd "$1" |
	    awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
	[ -n "$libs" ] || die "$1: not dynamically linked"
	for l in $libs; do
		[ -e "$root$l" ] && continue
		mkdir -p "$root${l%/*}"
		cp -L "$l" "$root$l"
	done
	rm -f "$root/$2"
	cp -L "$1" "$root/$2"
}

# The public half of key $1, as authorized_keys and known_hosts want it.
pubkey() {
	pk=$(dropbearkey -y -f "$1" | awk '/^ssh-/ { print $1, $2 }')
	[ -n "$pk" ] || die "$1: no public key in it"
	echo "$pk"
}

pack() {
	find "$root" -exec touch -h -d @0 {} +
	(cd "$root" && find . | LC_ALL=C sort |
	    cpio -o -H newc -R 0:0 --reproducible --quiet) >"$out.tmp"
	mv "$out.tmp" "$out"
}

case $kind in
card)
	base
	add_modules $(grep -v '^#' "$srcdir/card.modules")
	add_tree_module "$SRCTOP/sys/dev/mic/card/mic_card.ko"
	install -m 755 "$srcdir/card.rc" "$root/etc/rc"
	install -m 755 "$srcdir/card.action" "$root/etc/rc.action"
	install -m 755 "$srcdir/card.getty" "$root/etc/getty-hvc0"
	install -m 644 "$srcdir/card.inittab" "$root/etc/inittab"
	install -m 755 "$srcdir/card.net" "$root/etc/net-eth0"
	ln -s /bin/busybox "$root/init"
	# e2fsprogs: mkfs.ext4 and fsck.ext4 instead of busybox's mke2fs.
	add_prog /sbin/mke2fs sbin/mke2fs e2fsprogs
	add_prog /sbin/e2fsck sbin/e2fsck e2fsprogs
	ln -s mke2fs "$root/sbin/mkfs.ext4"
	ln -s e2fsck "$root/sbin/fsck.ext4"
	cp /etc/mke2fs.conf "$root/etc/mke2fs.conf"
	ln -s /proc/self/mounts "$root/etc/mtab"
	# dropbear, with the cards' host key and the host root's key.
	keys=${3:?usage: mkimage.sh card out.img keydir}
	add_prog /usr/sbin/dropbear usr/sbin/dropbear dropbear-bin
	mkdir -p "$root/etc/dropbear" "$root/root/.ssh"
	install -m 600 "$keys/card_ed25519" \
	    "$root/etc/dropbear/dropbear_ed25519_host_key"
	k=$(pubkey "$keys/root_ed25519")
	echo "$k" >"$root/root/.ssh/authorized_keys"
	chmod 700 "$root/root" "$root/root/.ssh"
	chmod 600 "$root/root/.ssh/authorized_keys"
	;;
host)
	card=${3:?usage: mkimage.sh host out.img card.img keydir}
	keys=${4:?usage: mkimage.sh host out.img card.img keydir}
	base
	add_modules $(grep -v '^#' "$srcdir/host.modules")
	add_tree_module "$SRCTOP/sys/dev/mic/host/mic_host.ko"
	for t in "$SRCTOP"/usr.sbin/*/; do
		t=$(basename "$t")
		[ "$t" != micemu ] && [ -x "$SRCTOP/usr.sbin/$t/$t" ] || continue
		cp "$SRCTOP/usr.sbin/$t/$t" "$root/usr/sbin/$t"
	done
	mkdir -p "$root/lib/firmware/mic"
	cp "/boot/vmlinuz-$KVER" "$root/lib/firmware/mic/uos.img"
	cp "$card" "$root/lib/firmware/mic/card.image"
	for n in 0 1 2 3 4 5 6 7; do
		ln -s card.image "$root/lib/firmware/mic/mic$n.image"
	done
	# micd's card processes run as _micd (micd.conf(5) "user").
	echo '_micd:x:900:900:micd card processes:/nonexistent:/bin/false' \
	    >>"$root/etc/passwd"
	echo '_micd:x:900:' >>"$root/etc/group"
	install -m 755 "$srcdir/host.init" "$root/init"
	install -m 644 "$srcdir/host.inittab" "$root/etc/inittab"
	install -m 644 "$srcdir/host.profile" "$root/etc/profile"
	mkdir -p "$root/etc/micemu"
	install -m 755 "$srcdir/host.demo" "$root/etc/micemu/demo"
	# ssh micN: dropbear's client, root's key, the cards' host key.
	add_prog /usr/bin/dbclient usr/bin/dbclient dropbear-bin
	ln -s dbclient "$root/usr/bin/ssh"
	mkdir -p "$root/root/.ssh"
	install -m 600 "$keys/root_ed25519" "$root/root/.ssh/id_dropbear"
	k=$(pubkey "$keys/card_ed25519")
	for n in 0 1 2 3 4 5 6 7; do
		echo "mic$n $k"
		echo "172.31.$((n + 1)).1 $k"
	done >"$root/root/.ssh/known_hosts"
	chmod 700 "$root/root" "$root/root/.ssh"
	;;
*)
	die "$kind: not card or host"
	;;
esac
pack
