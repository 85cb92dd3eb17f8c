; linux_truncated.bin - the first 1 KiB of a bzImage whose setup header
; promises 4 MiB of kernel: `vm run /guests/linux_truncated.bin --linux`
; must refuse it as truncated (and create nothing).
BZ_VERSION equ 0x020F
BZ_INIT_SIZE equ 0x800000
BZ_SYSSIZE equ 0x400000
%include "bzimage.inc"
