; NORETURN void panic(const char *fmt, ...)
; Records the caller's registers exactly as they were at the call (before
; any C code runs and changes them) into panic_regs, a struct trap_frame,
; then jumps (not calls) to panic_report(fmt, ...) in common/kernel/panic.c
; with every argument register and stack argument untouched.
; Only the first panic records; a recursive one keeps the first's registers.

bits 64
default rel

%include "trapframe.inc"

global panic
extern panic_report
extern panic_regs
extern panic_regs_valid

section .text
panic:
    pushfq                              ; caller's rflags, before cli
    cli
    cmp byte [panic_regs_valid], 0
    jne .report                         ; recursive panic: keep the first record
    TRAP_FRAME_STORE_GPRS panic_regs    ; as at the call; rbp = the caller's frame, start of the backtrace
    mov rax, [rsp]                      ; saved rflags
    mov [panic_regs + TF_RFLAGS], rax
    mov rax, [rsp + 8]                  ; return address: where panic was called
    mov [panic_regs + TF_RIP], rax
    lea rax, [rsp + 16]                 ; the caller's rsp once the call returns
    mov [panic_regs + TF_RSP], rax
    xor eax, eax
    mov ax, cs
    mov [panic_regs + TF_CS], rax
    mov ax, ss
    mov [panic_regs + TF_SS], rax
    mov byte [panic_regs_valid], 1
    mov rax, [panic_regs + TF_RAX]      ; restore rax (al = vector-register count of a variadic call)
.report:
    add rsp, 8                          ; drop the saved rflags: the stack is as at entry
    jmp panic_report
