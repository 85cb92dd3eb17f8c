; tswitch.bin - a hardware task switch (JMP to a TSS descriptor) always
; exits (reason 9, TASK_SWITCH, SDM Vol. 3C 25.4.2); the hypervisor does
; not emulate task switches, so the VM must stop cleanly with the exit's
; name, and the host goes on.
;
; Load/entry: GPA 0x1000, mode prot32 (`--mode prot32`).
; The guest loads its own GDT: flat ring-0 code 0x08 and data 0x10, and an
; available 32-bit TSS at 0x18 (base 0x5000, limit 0x67).
; Expected: "vmN stopped: unhandled exit TASK_SWITCH" (with a register dump
; in the log).
; Exits: 1 TASK_SWITCH.
bits 32
org 0x1000

TSS_SEL equ 0x18

start:
    lgdt [gdt_ptr]
    jmp 0x08:.reload
.reload:
    mov ax, 0x10
    mov ds, ax
    mov ss, ax
    jmp TSS_SEL:0               ; task switch: VM exit 9
    hlt                         ; not reached

align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF       ; 0x08 code
    dq 0x00CF92000000FFFF       ; 0x10 data
    dw 0x67, 0x5000             ; 0x18 TSS: limit 15:0, base 15:0
    db 0, 0x89, 0, 0            ;      base 23:16, present available 32-bit TSS, limit 19:16, base 31:24
gdt_end:
gdt_ptr:
    dw gdt_end - gdt - 1
    dd gdt
