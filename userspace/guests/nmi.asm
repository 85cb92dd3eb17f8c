; nmi.bin - an NMI reaches a guest with interrupts off: `vm nmi N` raises
; it, the hypervisor injects it through the guest's IVT entry 2 although
; IF = 0 (NMIs are not maskable), and HLT with IF = 0 ends the guest.
;
; Load/entry: GPA 0x1000, mode real. Memory used: IVT entry 2, stack below
; 0x1000, line buffer at 0x2000. Start it in the background and raise the
; NMI from the shell:
;   vm run /guests/nmi.bin &
;   vm nmi N
; Output:
;   [vmN] nmi: waiting with IF=0
;   [vmN] nmi: taken through IVT entry 2 with IF=0
;   vmN stopped: halted
bits 16
org 0x1000

NMI_VECTOR equ 2
LINE equ 0x2000

start:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x1000
    cld
    cli
    mov word [NMI_VECTOR * 4], nmi
    mov word [NMI_VECTOR * 4 + 2], 0
    mov di, LINE
    call lb_init
    mov si, msg_wait
    call lb_puts
    call lb_flush
.spin:                          ; no exits here but the host's timer slices
    cmp byte [taken], 0
    je .spin
    mov si, msg_taken
    call lb_puts
    call lb_flush
    hlt                         ; IF = 0, nothing pending: "halted"

nmi:
    mov byte [cs:taken], 1
    iret                        ; ends the NMI blocking

%include "rm16.inc"

taken: db 0
msg_wait: db "nmi: waiting with IF=0", 10, 0
msg_taken: db "nmi: taken through IVT entry 2 with IF=0", 10, 0
