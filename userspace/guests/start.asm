; start.asm - entry point of the C guests (ELF64, 64-bit long mode).
;
; Context: the `vm` loader starts the guest at the ELF entry (_start) in
; long mode with identity paging, interrupts off, RBX = vCPU index, RSP
; undefined. We set up our own stack, call guest_main(index) (System V
; ABI: first argument in RDI), flush the printf buffer and leave with the
; HC_EXIT hypercall, the return value being the exit code.
bits 64
default rel

extern guest_main
extern guest_flush
global _start

section .text.start
_start:
    lea rsp, [stack_top]        ; our own 16-byte aligned stack (in .bss)
    xor ebp, ebp                ; end of the frame-pointer chain
    mov rdi, rbx                ; argument: vCPU index
    call guest_main
    push rax                    ; keep the exit code (stack stays aligned)
    sub rsp, 8
    call guest_flush            ; print a last line without newline
    add rsp, 8
    pop rbx                     ; RBX = exit code
    mov eax, HC_EXIT            ; RAX = hypercall number
    vmcall                      ; stops the VM with "exit code K"
.hang:
    hlt                         ; not reached
    jmp .hang

section .bss
align 16
stack:
    resb 16384
stack_top:
