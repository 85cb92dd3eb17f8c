; The VMX world switch (SDM Vol. 3C 26 VM entry, 27 VM exit, 27.5 host state).
;
; int vmx_enter(struct vcpu *v)        System V: rdi = v, returns eax
;   Saves the host's callee-saved registers on this stack, loads the guest
;   GPRs from v and executes VMLAUNCH (v->launched == 0; also sets HOST_RSP
;   and the guest CR2 then) or VMRESUME. The guest CR2 stays in the CPU
;   while the host only runs exit handlers (they do not page-fault);
;   vcpu.c saves/restores it around anything else.
;   A VM exit continues at vmx_exit_entry (HOST_RIP) with RSP = HOST_RSP and
;   all GPRs still holding guest values; it stores them into v and returns 0.
;   (xchg with memory is slow on real CPUs compared with a push, but it is
;   nothing next to a VM exit, and it keeps the path two instructions shorter.)
;   VMfailInvalid returns 1, VMfailValid 2 (nothing of the guest ran).
;   Clobbers: caller-saved registers (and CR2 on the first entry). Interrupts must be off (a VM exit
;   leaves RFLAGS = 2, so they are off afterwards too, SDM 27.5.3).
;
; Offsets into struct vcpu and the HOST_RSP encoding come from
; vcpu_regs.inc, checked in vcpu.h.

%include "vcpu_regs.inc"

section .text
bits 64

global vmx_enter
global vmx_exit_entry

vmx_enter:
    push rbp                            ; host callee-saved registers
    push rbx
    push r12
    push r13
    push r14
    push r15
    push rdi                            ; v, found at [rsp] after the exit
    cmp byte [rdi + VCPU_LAUNCHED], 0   ; ZF = 1: first entry, VMLAUNCH
    je .first_entry
.load_guest:
    mov rax, [rdi + VCPU_RAX]           ; guest GPRs (mov keeps the flags)
    mov rcx, [rdi + VCPU_RCX]
    mov rdx, [rdi + VCPU_RDX]
    mov rbx, [rdi + VCPU_RBX]
    mov rbp, [rdi + VCPU_RBP]
    mov rsi, [rdi + VCPU_RSI]
    mov r8,  [rdi + VCPU_R8]
    mov r9,  [rdi + VCPU_R9]
    mov r10, [rdi + VCPU_R10]
    mov r11, [rdi + VCPU_R11]
    mov r12, [rdi + VCPU_R12]
    mov r13, [rdi + VCPU_R13]
    mov r14, [rdi + VCPU_R14]
    mov r15, [rdi + VCPU_R15]
    mov rdi, [rdi + VCPU_RDI]           ; last: it was the base pointer
    je .launch                          ; flags still from the cmp above
    vmresume                            ; returns here only on VMfail
    jmp .failed
.launch:
    vmlaunch                            ; returns here only on VMfail
.failed:
    mov eax, 1                          ; CF = 1: VMfailInvalid -> 1
    jc .fail_out
    mov eax, 2                          ; ZF = 1: VMfailValid -> 2
.fail_out:
    pop rdi                             ; v
    mov byte [rdi + VCPU_LAUNCHED], 0   ; nothing ran: still not launched
    jmp restore_host

; First entry on this VMCS: HOST_RSP := this stack pointer. vcpu.c calls
; vmx_enter from one place, so RSP here is the same for every later entry
; (the VMCS keeps the value); the guest CR2 is loaded here too (vcpu.c
; restores it itself after it let other threads run).
.first_entry:
    mov [rdi + VCPU_HOST_RSP], rsp
    mov rax, HOST_RSP_FIELD
    vmwrite rax, rsp
    jbe .hostrsp_failed
    mov rax, [rdi + VCPU_CR2]
    mov cr2, rax
    mov byte [rdi + VCPU_LAUNCHED], 1   ; launched once this entry works
    cmp eax, eax                        ; ZF = 1 again: take the VMLAUNCH path
    jmp .load_guest
.hostrsp_failed:
    mov eax, 2                          ; report as VMfailValid
    pop rdi
    jmp restore_host

vmx_exit_entry:                         ; HOST_RIP: guest GPRs live, RSP = HOST_RSP
    xchg rdi, [rsp]                     ; rdi = v, the guest's RDI takes v's slot
    mov [rdi + VCPU_RAX], rax
    mov [rdi + VCPU_RCX], rcx
    mov [rdi + VCPU_RDX], rdx
    mov [rdi + VCPU_RBX], rbx
    mov [rdi + VCPU_RBP], rbp
    mov [rdi + VCPU_RSI], rsi
    mov [rdi + VCPU_R8],  r8
    mov [rdi + VCPU_R9],  r9
    mov [rdi + VCPU_R10], r10
    mov [rdi + VCPU_R11], r11
    mov [rdi + VCPU_R12], r12
    mov [rdi + VCPU_R13], r13
    mov [rdi + VCPU_R14], r14
    mov [rdi + VCPU_R15], r15
    pop qword [rdi + VCPU_RDI]          ; the guest's RDI; v's stack slot is gone
    xor eax, eax                        ; 0: a VM exit happened
restore_host:                           ; shared tail of both paths
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret
