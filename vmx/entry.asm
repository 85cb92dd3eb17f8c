; The VMX world switch (SDM Vol. 3C 26 VM entry, 27 VM exit, 27.5 host state).
;
; int vmx_enter(struct vcpu *v)        System V: rdi = v, returns eax
;   Saves the host's callee-saved registers on this stack, loads the guest
;   GPRs from v and executes VMLAUNCH or VMRESUME, as v->launched says
;   (vmx_entry.h): VCPU_LAUNCH and VCPU_RESUME_NEW_STACK first make HOST_RSP
;   this stack pointer; VCPU_RESUME, the hot path, pays one compare.
;   The guest CR2 and the other registers of cpu_switch.h are in the CPU
;   already (vcpu.c).
;   A VM exit continues at vmx_exit_entry (HOST_RIP) with RSP = HOST_RSP and
;   all GPRs still holding guest values; it stores them into v and returns 0.
;   (xchg with memory is slow on real CPUs compared with a push, but it is
;   nothing next to a VM exit, and it keeps the path two instructions shorter.)
;   VMfailInvalid returns 1, VMfailValid 2 (nothing of the guest ran).
;   Clobbers: caller-saved registers. Interrupts must be off (a VM exit
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
    cmp byte [rdi + VCPU_LAUNCHED], VCPU_RESUME
    jne .prepare                        ; ZF = 1 from here on: VMRESUME
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
    jne .launch                         ; flags still from the cmp (or .prepare)
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
    mov byte [rdi + VCPU_LAUNCHED], VCPU_LAUNCH   ; nothing ran: not launched
    jmp restore_host

; HOST_RSP := this stack pointer (the exit loads RSP from it, SDM 27.5.3),
; then VMLAUNCH (VCPU_LAUNCH) or VMRESUME (VCPU_RESUME_NEW_STACK); later
; entries from the same frame are VCPU_RESUME.
.prepare:
    mov rax, HOST_RSP_FIELD
    vmwrite rax, rsp
    jbe .hostrsp_failed
    cmp byte [rdi + VCPU_LAUNCHED], VCPU_RESUME_NEW_STACK   ; ZF = 1: VMRESUME, 0: VMLAUNCH
    mov byte [rdi + VCPU_LAUNCHED], VCPU_RESUME   ; after this entry (mov keeps the flags)
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
