; The only instructions that touch user memory on behalf of the kernel.
; Each may fault (unmapped or read-only user page); uaccess_fixup (uaccess.c)
; finds the faulting rip in uaccess_fixup_table and resumes at its fixup
; label, which returns -EFAULT (SDM Vol. 3A 6.15 #PF: rip points at the
; faulting instruction, so we can match it exactly).
; The C wrappers in uaccess.c check the ranges before calling these.

bits 64
default rel

EFAULT equ 14

global uaccess_copy_raw
global uaccess_strncpy_raw
global uaccess_fixup_table
global uaccess_fixup_count

section .text

; int64_t uaccess_copy_raw(void *dst, const void *src, size_t n)
; rdi = dst, rsi = src, rdx = n. Returns 0 or -EFAULT. Clobbers rcx, rsi, rdi.
uaccess_copy_raw:
    mov rcx, rdx                        ; byte count for rep movsb
.copy:
    rep movsb                           ; may fault on the user side
    xor eax, eax                        ; success
    ret
.fault:
    mov rax, -EFAULT                    ; resumed here after a fault in .copy
    ret

; int64_t uaccess_strncpy_raw(char *dst, const char *src, size_t max)
; Copies bytes up to and including the first NUL, at most max bytes.
; Returns the index of the NUL (the string length), max when there was no
; NUL within max bytes, or -EFAULT. Clobbers rcx.
uaccess_strncpy_raw:
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
    ret
.fault:
    mov rax, -EFAULT                    ; resumed here after a fault in .load
    ret

section .rodata
align 8
; pairs {faulting instruction, where to resume}
uaccess_fixup_table:
    dq uaccess_copy_raw.copy, uaccess_copy_raw.fault
    dq uaccess_strncpy_raw.load, uaccess_strncpy_raw.fault
uaccess_fixup_count:
    dq 2
