; crt0: the first user instruction of every SWEB-VX program.
; Context: ring 3, interrupts on, a fresh process. The kernel sets
;   [rsp] = argc, [rsp+8 ..] = argv[0..argc-1], then a NULL pointer
; (System V style). Anything after that NULL is not relied upon.
; We clear .bss (cheap and independent of the loader), align the stack as
; the System V ABI wants at a call, and hand over to __libc_start in C,
; which never returns.

bits 64
default rel

extern __libc_start
extern __bss_start
extern __bss_end

section .text.entry
global _start
_start:
    xor ebp, ebp                  ; outermost frame: ends backtraces
    mov r12, [rsp]                ; r12 = argc (callee-saved across rep stosb)
    lea r13, [rsp + 8]            ; r13 = argv
    lea rdi, [__bss_start]        ; rdi = first .bss byte
    lea rcx, [__bss_end]
    sub rcx, rdi                  ; rcx = .bss length
    xor eax, eax                  ; fill byte 0
    cld                           ; count upwards
    rep stosb                     ; clear .bss
    mov edi, r12d                 ; 1st argument: argc
    mov rsi, r13                  ; 2nd argument: argv
    and rsp, -16                  ; 16-byte aligned before the call
    call __libc_start             ; runs main, then exit(); never returns
    ud2                           ; unreachable: trap if it ever returns
