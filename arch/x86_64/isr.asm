; Interrupt and exception entry stubs (SDM Vol. 3A 6.14: 64-bit interrupt
; handling). Every stub makes the stack look the same, a struct trap_frame
; (arch/x86_64/include/trapframe.h), and calls trap_dispatch(frame).
;
; Stack after the CPU's pushes (it aligns rsp to 16 first, SDM 6.14.2):
;   ss, rsp, rflags, cs, rip, [error code for some exceptions]
; A stub pushes 0 where the CPU pushes no error code, then the vector; the
; common part pushes the 15 general registers. 22 quadwords = 176 bytes, so
; rsp stays 16-byte aligned for the C call.
;
; GS: on entry from ring 3 we swapgs (and swap back before iretq to ring 3),
; the usual convention, so the kernel's GS base is live while in the kernel
; if anyone sets one. Both bases are 0 until then, so it is harmless.

bits 64
default rel

%include "trapframe.inc"

extern trap_dispatch
global isr_stub_table
global trap_return

section .text

; Exceptions that push an error code: #DF 8, #TS 10, #NP 11, #SS 12,
; #GP 13, #PF 14, #AC 17, #CP 21, #VC 29, #SX 30 (SDM Vol. 3A Table 6-1).
%macro STUB 1
isr_stub_%1:
%if (%1 == 8) || (%1 >= 10 && %1 <= 14) || (%1 == 17) || (%1 == 21) || (%1 == 29) || (%1 == 30)
    ; the CPU pushed the error code
%else
    push qword 0                        ; no error code: keep the layout
%endif
    push qword %1                       ; vector
    jmp isr_common
%endmacro

%assign v 0
%rep 48
    STUB v
%assign v v + 1
%endrep

; Common entry: vector and error code are on the stack.
extern smap_enabled

isr_common:
    test qword [rsp + 24], 3            ; cs of the interrupted code (rsp+0 vector, +8 error, +16 rip)
    jz .kernel_entry
    swapgs                              ; from ring 3: kernel GS base in place
.kernel_entry:
    TRAP_FRAME_PUSH_GPRS                ; rsp now points at struct trap_frame
    cld                                 ; the C ABI wants DF clear
    cmp byte [rel smap_enabled], 0      ; SMAP (paging.c)? then AC must be 0 in the handler:
    je .ac_clear                        ; ring 3 may have set it, or a user copy was running
    clac                                ; (the interrupted AC is in the frame; iretq restores it)
.ac_clear:
    mov rdi, rsp                        ; argument: the frame
    ; A fake call frame (saved rbp, interrupted rip) links the backtrace of
    ; anything called from here through the interrupted function.
    push qword [rdi + TF_RIP]           ; "return address" = interrupted rip
    push rbp                            ; "saved rbp" = interrupted rbp
    mov rbp, rsp
    call trap_dispatch
    add rsp, 16                         ; drop the fake frame
trap_return:
    TRAP_FRAME_POP_GPRS                 ; rsp now at frame->vector
    test qword [rsp + 24], 3            ; returning to ring 3?
    jz .kernel_exit
    swapgs                              ; give the user its GS base back
.kernel_exit:
    add rsp, 16                         ; drop vector and error code
    iretq

section .rodata
align 8
; Entry address of each stub, indexed by vector (read by idt.c).
isr_stub_table:
%assign v 0
%rep 48
    dq isr_stub_ %+ v
%assign v v + 1
%endrep
