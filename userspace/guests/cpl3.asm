; cpl3.bin - a hypercall from the guest's user mode (CPL 3) is refused with
; -EPERM: only the guest's kernel may stop the VM or print. The guest builds
; its own GDT (ring-0 and ring-3 flat segments) and IDT, IRETs to CPL 3,
; makes the clock hypercall there, and comes back to CPL 0 through INT 0x80
; (a DPL-3 interrupt gate; the stack for CPL 0 comes from the TSS that the
; VM's TR describes, at linear address 0, SDM Vol. 3A 6.12.1, 7.2.1).
;
; Load/entry: GPA 0x1000, mode prot32 (`vm run ... --mode prot32`): flat
; segments, no paging, no GDT until this guest loads one.
; Memory used: TSS fields at 0x4-0x8, stacks at 0x6000 (CPL 3) and 0x7000
; (CPL 0), line buffer at 0x2000.
; Expected: "[vmN] cpl3: VMCALL from CPL 3 answered -1 (EPERM)", "halted".
; A hypervisor that honours it: "cpl3: VMCALL from CPL 3 was honoured".
; Exits: 2 VMCALL (the refused one and the line), 1 HLT.
bits 32
org 0x1000

LINE_BUFFER equ 0x2000
USER_STACK equ 0x6000
KERNEL_STACK equ 0x7000
TSS_ESP0 equ 0x4                ; 32-bit TSS: ESP0 at 4, SS0 at 8
TSS_SS0 equ 0x8
KCODE equ 0x08
KDATA equ 0x10
UCODE equ 0x18 | 3
UDATA equ 0x20 | 3
EPERM equ 1

start:
    lgdt [gdt_ptr]
    jmp KCODE:.reload           ; CS from our GDT
.reload:
    mov ax, KDATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, KERNEL_STACK
    mov dword [TSS_ESP0], KERNEL_STACK
    mov dword [TSS_SS0], KDATA
    mov eax, back_in_kernel     ; IDT entry 0x80: interrupt gate, DPL 3
    mov [idt + 0x80 * 8], ax
    mov word [idt + 0x80 * 8 + 2], KCODE
    mov word [idt + 0x80 * 8 + 4], 0xEE00
    shr eax, 16
    mov [idt + 0x80 * 8 + 6], ax
    lidt [idt_ptr]
    push dword UDATA            ; IRET to CPL 3: SS, ESP, EFLAGS, CS, EIP
    push dword USER_STACK
    push dword 0x2              ; interrupts off
    push dword UCODE
    push dword user_code
    iretd

user_code:
    mov ax, UDATA
    mov ds, ax
    mov es, ax
    mov eax, HC_CLOCK
    vmcall                      ; at CPL 3: must answer -EPERM
    int 0x80                    ; EAX is the answer

back_in_kernel:
    mov ebx, KDATA
    mov ds, bx
    mov es, bx
    mov esi, msg_honoured
    cmp eax, -EPERM
    jne .print
    mov esi, msg_refused
.print:
    mov edi, LINE_BUFFER
.copy:
    lodsb
    stosb
    test al, al
    jnz .copy
    dec edi                     ; drop the NUL
    mov eax, HC_WRITE
    mov ebx, LINE_BUFFER
    mov ecx, edi
    sub ecx, ebx
    xor edx, edx
    vmcall                      ; at CPL 0: prints
    hlt

msg_refused: db "cpl3: VMCALL from CPL 3 answered -1 (EPERM)", 10, 0
msg_honoured: db "cpl3: VMCALL from CPL 3 was honoured", 10, 0

align 8
gdt:
    dq 0                        ; null
    dq 0x00CF9A000000FFFF       ; 0x08 ring 0 code, flat 32-bit
    dq 0x00CF92000000FFFF       ; 0x10 ring 0 data
    dq 0x00CFFA000000FFFF       ; 0x18 ring 3 code
    dq 0x00CFF2000000FFFF       ; 0x20 ring 3 data
gdt_end:
gdt_ptr:
    dw gdt_end - gdt - 1
    dd gdt
idt_ptr:
    dw 256 * 8 - 1
    dd idt
align 8
idt:
    times 256 dq 0
