#!/bin/sh
# Usage: mkiso.sh ISODIR OUT.iso -- a BIOS-bootable GRUB ISO of ISODIR.
# Only the i386-pc platform is built: it is what QEMU and Bochs boot, and it
# keeps the image small and grub-mkrescue fast.
set -eu
grub-mkrescue -o "$2" "$1" --compress=no -d /usr/lib/grub/i386-pc \
    --install-modules="multiboot2 normal configfile iso9660 biosdisk part_msdos boot" \
    --fonts= --locales= --themes= >/dev/null 2>&1 || {
    grub-mkrescue -o "$2" "$1" -d /usr/lib/grub/i386-pc
}
