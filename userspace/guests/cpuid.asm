; cpuid.bin - a CPUID loop: shows one VM exit per CPUID instruction.
;
; Load/entry: GPA 0x1000, mode real (the `vm run` defaults).
; Loop count: taken from ECX at start (`vm run ... --reg rcx=1000`);
; ECX = 0 (the default) means 100000 iterations.
; Memory used: stack below 0x1000, line buffer at 0x2000.
; Expected: "[vmN] cpuid: N CPUID instructions done", then "halted".
; Exits: N CPUID, 1 VMCALL (the line), 1 HLT (plus EXTERNAL_INTERRUPT
; exits whenever the host timer fires while the guest runs).
bits 16
org 0x1000

LINE_BUFFER equ 0x2000
DEFAULT_COUNT equ 100000

start:
    xor ax, ax
    mov ss, ax
    mov sp, 0x1000              ; stack grows down from the load address
    mov esi, ecx                ; ESI = loop count (CPUID clobbers EAX..EDX)
    test esi, esi
    jnz .have_count
    mov esi, DEFAULT_COUNT
.have_count:
    mov edi, esi                ; EDI = loop counter, ESI kept for the report
.loop:
    xor eax, eax                ; leaf 0: vendor string
    cpuid                       ; VM exit CPUID (unconditional, SDM 25.1.2)
    dec edi
    jnz .loop

    mov di, LINE_BUFFER
    call lb_init
    push si
    mov si, msg_cpuid
    call lb_puts
    pop si
    mov eax, esi
    call lb_putdec              ; the iteration count
    mov si, msg_done
    call lb_puts
    call lb_flush               ; one VMCALL exit
    hlt                         ; VM exit HLT

msg_cpuid: db "cpuid: ", 0
msg_done:  db " CPUID instructions done", 10, 0

%include "rm16.inc"
