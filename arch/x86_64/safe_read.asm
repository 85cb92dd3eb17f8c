; int safe_read_u64(uint64_t addr, uint64_t *out)
; Reads [addr] into *out and returns 0. If the load faults (#PF, or #GP for
; a non-canonical addr), exceptions.c sees rip == safe_read_u64 and resumes
; at safe_read_u64_recover, which returns -EFAULT.
; In: rdi = addr, rsi = out. Clobbers: rax.

bits 64
default rel

global safe_read_u64
global safe_read_u64_recover

EFAULT equ 14

section .text
safe_read_u64:
    mov rax, [rdi]                      ; the only instruction that may fault
    mov [rsi], rax
    xor eax, eax                        ; 0 = success
    ret
safe_read_u64_recover:
    mov eax, -EFAULT
    ret
