; ipwrap.bin - a real-mode guest whose IP wraps around after an emulated
; instruction: CPUID at CS:0xFFFE ends at 0x10000, and with a 16-bit code
; segment the next IP is 0x0000 (SDM Vol. 3A 20.1: IP is 16 bits in real
; mode). The hypervisor completes the CPUID, so it must wrap IP the same way.
;
; Load/entry: GPA 0x1000, mode real (the `vm run` defaults).
; How: CS = 0x0100 puts CS:0 at the load address 0x1000, so offset 0 of
; this image is where a wrapped IP lands. The image copies CPUID (0F A2)
; to CS:0xFFFE (linear 0x10FFE, inside the default 1 MiB) and jumps there.
; Memory used: stack below 0x1000, line buffer at 0x2000, flag at 0x3000,
; two bytes at 0x10FFE.
; Expected: "[vmN] ipwrap: IP wrapped to 0000 after CPUID at FFFE", then
; "halted". A hypervisor that sets EIP = 0x10000 instead leaves bit 16 in
; EIP (a CPU that fetches with it faults; Bochs fetches at IP and goes on,
; so the guest reads EIP with a 32-bit call, checks that CS is still
; 0x0100, and otherwise says "EIP went past FFFF").
; Exits: 1 CPUID, 1 VMCALL, 1 HLT.
bits 16
org 0x1000

LINE_BUFFER equ 0x2000
WRAPPED_FLAG equ 0x3000         ; 1 once the CPUID has been set up
CODE_SEG equ 0x0100             ; CS base 0x1000 = this image's first byte

start:
    xor ax, ax                  ; entered with CS = 0, IP = 0x1000 the first
    mov ds, ax                  ; time, with CS = 0x0100, IP = 0 after the wrap
    mov es, ax
    mov ss, ax
    mov sp, 0x1000
    cmp byte [WRAPPED_FLAG], 1
    je wrapped
    mov byte [WRAPPED_FLAG], 1
    mov ax, CODE_SEG
    mov es, ax
    mov word [es:0xFFFE], 0xA20F ; CPUID: 0F A2 at CS:0xFFFE
    xor ax, ax
    mov es, ax
    xor eax, eax                ; leaf 0
    jmp CODE_SEG:0xFFFE         ; CPUID, then IP = 0x10000 & 0xFFFF = 0

wrapped:
    call dword .here            ; a 32-bit near call pushes all of EIP
.here:
    pop eax                     ; EAX = EIP of .here: below 0x10000 once wrapped
    mov di, LINE_BUFFER
    call lb_init
    mov si, msg_not_wrapped
    shr eax, 16
    jnz .print                  ; EIP kept bit 16: the CPUID was not completed right
    mov ax, cs
    cmp ax, CODE_SEG
    jne .print                  ; got here some other way (e.g. through zeroed memory)
    mov si, msg_wrapped
.print:
    call lb_puts
    call lb_flush               ; one VMCALL exit
    hlt

msg_wrapped: db "ipwrap: IP wrapped to 0000 after CPUID at FFFE", 10, 0
msg_not_wrapped: db "ipwrap: EIP went past FFFF after CPUID at FFFE (or CS changed)", 10, 0

%include "rm16.inc"
