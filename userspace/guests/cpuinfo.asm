; cpuinfo.bin - what CPUID tells a guest about its hypervisor.
;
; Load/entry: GPA 0x1000, mode real (the `vm run` defaults).
; Memory used: stack below 0x1000, line buffer at 0x2000, signature at 0x2100.
; Expected: "[vmN] cpuinfo: sig=SWEBVXSWEBVX max=1073741840 leaf1=0 vmx=0 hv=1",
; then "halted": leaf 0x40000000 names the hypervisor in EBX:ECX:EDX and
; gives the highest hypervisor leaf in EAX, 0x40000001 reads as zeros,
; leaf 1 hides VMX (ECX[5]) and sets the hypervisor bit (ECX[31]).
; Exits: 3 CPUID, 1 VMCALL (the line), 1 HLT.
bits 16
org 0x1000

LINE_BUFFER equ 0x2000
SIG_BUFFER equ 0x2100
HV_LEAF equ 0x40000000          ; hypervisor vendor leaf (CPUID_HV_LEAF, vmx/include/vmx_arch.h)

start:
    xor ax, ax
    mov ss, ax
    mov sp, 0x1000              ; stack grows down from the load address
    mov di, LINE_BUFFER
    call lb_init
    mov si, msg_sig
    call lb_puts

    mov eax, HV_LEAF
    xor ecx, ecx
    cpuid                       ; VM exit CPUID: the hypervisor's signature
    mov [SIG_BUFFER], ebx       ; 12 bytes EBX, ECX, EDX, then a NUL
    mov [SIG_BUFFER + 4], ecx
    mov [SIG_BUFFER + 8], edx
    mov byte [SIG_BUFFER + 12], 0
    push eax                    ; the highest hypervisor leaf, printed next
    mov si, SIG_BUFFER
    call lb_puts
    mov si, msg_max
    call lb_puts
    pop eax
    call lb_putdec

    mov eax, HV_LEAF + 1
    xor ecx, ecx
    cpuid                       ; a hypervisor leaf without meaning: all zeros
    or eax, ebx
    or eax, ecx
    or eax, edx                 ; EAX = 0 exactly when all four are zero
    push eax
    mov si, msg_leaf1
    call lb_puts
    pop eax
    call lb_putdec

    mov eax, 1
    xor ecx, ecx
    cpuid                       ; feature flags as the guest sees them
    mov ebx, ecx                ; keep ECX: lb_putdec clobbers it
    mov si, msg_vmx
    call lb_puts
    mov eax, ebx
    shr eax, 5
    and eax, 1                  ; ECX[5] = VMX
    call lb_putdec
    mov si, msg_hv
    call lb_puts
    mov eax, ebx
    shr eax, 31                 ; ECX[31] = hypervisor present
    call lb_putdec
    mov si, msg_nl
    call lb_puts
    call lb_flush               ; one VMCALL exit
    hlt                         ; VM exit HLT

msg_sig:   db "cpuinfo: sig=", 0
msg_max:   db " max=", 0
msg_leaf1: db " leaf1=", 0
msg_vmx:   db " vmx=", 0
msg_hv:    db " hv=", 0
msg_nl:    db 10, 0

%include "rm16.inc"
