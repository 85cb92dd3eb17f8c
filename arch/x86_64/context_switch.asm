; Kernel thread context switch (System V AMD64 ABI).
;
; void context_switch(struct thread *prev, struct thread *next)
;   rdi = prev, rsi = next. Saves the callee-saved registers of prev on its
;   own kernel stack, stores its rsp in prev->saved_rsp (offset 0 of struct
;   thread), loads next->saved_rsp and pops next's registers. Returns in next.
;   Runs with interrupts off (the scheduler's rule); rflags is not switched:
;   every thread re-enables interrupts on its own way out of the scheduler.
;   Clobbers: the caller-saved registers, as any call may.
;
; thread_trampoline: where a new thread's first context_switch "returns" to.
;   thread.c builds the initial stack so that r12 holds the struct thread *.

bits 64
section .text

global context_switch
global thread_trampoline
extern thread_first_run

context_switch:
    push rbp                    ; callee-saved registers of prev, onto prev's stack
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp              ; prev->saved_rsp = rsp (offset 0)
    mov rsp, [rsi]              ; rsp = next->saved_rsp: now on next's stack
    pop r15                     ; next's callee-saved registers, reverse order
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret                         ; into next: where it called context_switch, or the trampoline

thread_trampoline:
    mov rdi, r12                ; argument: the new struct thread *
    xor ebp, ebp                ; rbp = 0 ends backtraces here
    call thread_first_run       ; never returns (runs fn, then thread_exit)
    ud2                         ; unreachable
