; gp.bin - a protected-mode guest with its own GDT and IDT takes the #GP
; the hypervisor injects for a WRMSR to an MSR it does not emulate, with the
; error code the CPU would push (0, SDM Vol. 2B WRMSR "Protected Mode
; Exceptions"), at the WRMSR itself (a fault), and carries on after it.
;
; Load/entry: GPA 0x1000; start with `--mode prot32` (flat segments, no
; GDT: the guest loads its own before it touches a segment register).
; Stack below 0x1000.
; Output:
;   [vmN] gp: 1 #GP, error code 0x0, at the wrmsr: yes
;   vmN stopped: halted
bits 32
org 0x1000

NO_SUCH_MSR equ 0xC0DE0001      ; in no MSR range the hypervisor emulates
GP_VECTOR equ 13

start:
    lgdt [gdtr]
    jmp 0x08:.flat              ; CS from our own GDT
.flat:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, 0x1000
    lidt [idtr]
    mov ecx, NO_SUCH_MSR
    xor eax, eax
    xor edx, edx
faulting_wrmsr:
    wrmsr                       ; #GP(0); the handler skips the two bytes
    mov esi, msg1
    call e9_puts
    mov eax, [gp_count]
    call e9_putdec
    mov esi, msg2
    call e9_puts
    mov eax, [gp_error]
    call e9_puthex
    mov esi, msg3
    call e9_puts
    mov esi, msg_yes
    cmp dword [gp_eip], faulting_wrmsr
    je .print_where
    mov esi, msg_no
.print_where:
    call e9_puts
    hlt                         ; IF = 0: the vCPU stops, "halted"

; #GP handler: the CPU pushed the error code, then EIP, CS, EFLAGS.
gp_handler:
    pop dword [gp_error]
    mov eax, [esp]              ; return EIP: the faulting instruction
    mov [gp_eip], eax
    add dword [esp], 2          ; resume after the 2-byte WRMSR
    inc dword [gp_count]
    iret

; e9_puts: print the NUL-terminated string at ESI on port 0xE9. Clobbers AL, ESI.
e9_puts:
    lodsb
    test al, al
    jz .done
    out 0xE9, al
    jmp e9_puts
.done:
    ret

; e9_putdec: print EAX (< 10) as one digit. Clobbers AL.
e9_putdec:
    add al, '0'
    out 0xE9, al
    ret

; e9_puthex: print EAX in hex, no leading zeros. Clobbers EAX, ECX, EDX.
e9_puthex:
    mov edx, eax
    mov ecx, 28
.skip:                          ; find the first non-zero digit (keep the last)
    test ecx, ecx
    jz .digits
    mov eax, edx
    shr eax, cl
    and eax, 0xF
    jnz .digits
    sub ecx, 4
    jmp .skip
.digits:
    mov eax, edx
    shr eax, cl
    and al, 0xF
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 'a' - '0' - 10
.out:
    out 0xE9, al
    sub ecx, 4
    jns .digits
    ret

align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF       ; 0x08: flat 32-bit code
    dq 0x00CF92000000FFFF       ; 0x10: flat data
gdt_end:
idt:
    times GP_VECTOR dq 0        ; vectors 0-12: not present
    dw gp_handler - $$ + 0x1000 ; offset 15:0 (org 0x1000, below 64 KiB)
    dw 0x08                     ; code selector
    dw 0x8E00                   ; present, DPL 0, 32-bit interrupt gate
    dw 0                        ; offset 31:16
idt_end:
gdtr:
    dw gdt_end - gdt - 1
    dd gdt
idtr:
    dw idt_end - idt - 1
    dd idt

gp_count: dd 0
gp_error: dd 0xFFFFFFFF         ; overwritten by the handler
gp_eip: dd 0
msg1: db "gp: ", 0
msg2: db " #GP, error code 0x", 0
msg3: db ", at the wrmsr: ", 0
msg_yes: db "yes", 10, 0
msg_no: db "no", 10, 0
