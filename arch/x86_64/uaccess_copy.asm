; The only instructions that touch user memory on behalf of the kernel.
; Each may fault (unmapped or read-only user page); uaccess_fixup (uaccess.c)
; finds the faulting rip in uaccess_fixup_table and resumes at its fixup
; label, which returns -EFAULT (SDM Vol. 3A 6.15 #PF: rip points at the
; faulting instruction, so we can match it exactly).
; The C wrappers in uaccess.c check the ranges before calling these.
; With SMAP (CR4.SMAP, paging.c) a kernel access to a user page faults
; unless RFLAGS.AC is set (SDM Vol. 3A 4.6.1): each routine sets AC with
; stac only around its user accesses and clears it with clac on every way
; out, so these are the only places the kernel can touch user memory.
; Interrupts and exceptions clear AC on entry (isr.asm), SYSCALL through
; FMASK (usermode.c); iretq brings back the interrupted AC.

bits 64
default rel

EFAULT equ 14

extern smap_enabled

; USER_ACCESS_BEGIN / USER_ACCESS_END: stac / clac where the CPU has SMAP
; (without it both instructions are #UD). Clobber the arithmetic flags.
%macro USER_ACCESS_BEGIN 0
    cmp byte [smap_enabled], 0          ; SMAP on?
    je %%done
    stac                                ; RFLAGS.AC = 1: user pages accessible
%%done:
%endmacro
%macro USER_ACCESS_END 0
    cmp byte [smap_enabled], 0
    je %%done
    clac                                ; RFLAGS.AC = 0: user pages fault again
%%done:
%endmacro

global uaccess_copy_raw
global uaccess_strncpy_raw
global uaccess_fixup_table
global uaccess_fixup_count

section .text

; int64_t uaccess_copy_raw(void *dst, const void *src, size_t n)
; rdi = dst, rsi = src, rdx = n. Returns 0 or -EFAULT. Clobbers rcx, rsi, rdi.
uaccess_copy_raw:
    mov rcx, rdx                        ; byte count for rep movsb
    USER_ACCESS_BEGIN
.copy:
    rep movsb                           ; may fault on the user side
    USER_ACCESS_END
    xor eax, eax                        ; success
    ret
.fault:
    USER_ACCESS_END                     ; resumed here after a fault in .copy
    mov rax, -EFAULT
    ret

; int64_t uaccess_strncpy_raw(char *dst, const char *src, size_t max)
; Copies bytes up to and including the first NUL, at most max bytes.
; Returns the index of the NUL (the string length), max when there was no
; NUL within max bytes, or -EFAULT. Clobbers rcx.
uaccess_strncpy_raw:
    USER_ACCESS_BEGIN
    xor eax, eax                        ; index = 0
.next:
    cmp rax, rdx                        ; index == max?
    jae .done                           ; no NUL within max bytes
.load:
    mov cl, [rsi + rax]                 ; user byte: may fault
    mov [rdi + rax], cl                 ; kernel buffer
    test cl, cl                         ; the terminating NUL?
    jz .done                            ; rax = length
    inc rax                             ; next byte
    jmp .next
.done:
    USER_ACCESS_END                     ; keeps rax
    ret
.fault:
    USER_ACCESS_END                     ; resumed here after a fault in .load
    mov rax, -EFAULT
    ret

section .rodata
align 8
; pairs {faulting instruction, where to resume}
uaccess_fixup_table:
    dq uaccess_copy_raw.copy, uaccess_copy_raw.fault
    dq uaccess_strncpy_raw.load, uaccess_strncpy_raw.fault
uaccess_fixup_count:
    dq 2
