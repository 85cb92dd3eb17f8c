; System call entry through the `syscall` instruction (SDM Vol. 2B SYSCALL,
; SYSRET; Vol. 3A 5.8.8). usermode.c programs STAR/LSTAR/FMASK.
;
; On `syscall` the CPU saves the user rip in rcx and rflags in r11, loads
; CS/SS from STAR, clears the rflags bits in FMASK (IF among them, so we
; start with interrupts off) and does NOT switch stacks. We switch to the
; current thread's kernel stack (percpu.kernel_rsp via GS, see percpu.h),
; build a struct trap_frame with isr.asm's macro (trapframe.inc) and call
; syscall_dispatch(frame) with interrupts on. The result is in frame->rax.
;
; Return: sysretq when the frame still says "64-bit user code at a
; canonical rip" (sysret with a non-canonical rcx would #GP in ring 0 on
; the user stack, a known hazard); otherwise the general iretq path
; trap_return. Either way only rax, rcx and r11 differ from the user's
; values (the ABI in uapi/syscall_nr.h).
;
; usermode_enter(frame): start ring-3 code from a prepared trap frame.

bits 64
default rel

%include "trapframe.inc"

PERCPU_KERNEL_RSP equ 0                 ; offsets in struct percpu (percpu.h)
PERCPU_USER_RSP   equ 8
SEL_USER_DATA     equ 0x23              ; gdt.h
SEL_USER_CODE     equ 0x2B
SYSCALL_VECTOR    equ 0x100             ; frame->vector marker: "came by syscall"

extern syscall_dispatch
extern trap_return
global syscall_entry
global usermode_enter

section .text

syscall_entry:
    swapgs                              ; GS.base = &percpu (kernel)
    mov [gs:PERCPU_USER_RSP], rsp       ; park the user rsp
    mov rsp, [gs:PERCPU_KERNEL_RSP]     ; this thread's kernel stack
    push qword SEL_USER_DATA            ; frame->ss
    push qword [gs:PERCPU_USER_RSP]     ; frame->rsp
    push r11                            ; frame->rflags (saved by syscall)
    push qword SEL_USER_CODE            ; frame->cs
    push rcx                            ; frame->rip (saved by syscall)
    push qword 0                        ; frame->error_code
    push qword SYSCALL_VECTOR           ; frame->vector
    TRAP_FRAME_PUSH_GPRS                ; general registers: rsp = struct trap_frame *
    cld                                 ; C ABI: direction flag clear
    mov rdi, rsp                        ; argument: the frame
    xor ebp, ebp                        ; backtraces stop here
    sti                                 ; system calls run with interrupts on
    call syscall_dispatch
    cli                                 ; no interrupts while leaving
    cmp qword [rsp + TF_CS], SEL_USER_CODE
    jne .via_iret                       ; frame not plain 64-bit user code
    mov rcx, [rsp + TF_RIP]
    shr rcx, 47                         ; canonical lower half: bits 63:47 all zero
    jnz .via_iret                       ; sysret would fault in ring 0
    TRAP_FRAME_POP_GPRS                 ; the user's registers; rax = result of the call
    mov rcx, [rsp + 16]                 ; rip for sysret (vector, error, rip, cs, rflags, rsp)
    mov r11, [rsp + 32]                 ; rflags for sysret
    mov rsp, [rsp + 40]                 ; user stack (interrupts are off)
    swapgs                              ; user GS.base back
    o64 sysret                          ; to ring 3: rip = rcx, rflags = r11
.via_iret:
    jmp trap_return                     ; pops the frame, swapgs, iretq

; void usermode_enter(struct trap_frame *f): rdi = frame on the kernel
; stack (normally at its top); interrupts must be off. Never returns.
usermode_enter:
    mov rsp, rdi                        ; the frame becomes our stack
    jmp trap_return                     ; restore registers, iretq to ring 3
