; linux_old.bin - a complete bzImage-shaped file with boot protocol 2.10:
; `vm run /guests/linux_old.bin --linux` must refuse it (2.12 or later needed).
BZ_VERSION equ 0x020A
BZ_INIT_SIZE equ 0x10000
BZ_SYSSIZE equ 16
%include "bzimage.inc"
    times 16 db 0xF4
