; __thread_entry: where every user thread made by pthread_create starts.
; Context: ring 3, new thread. The kernel enters here with rdi = the
; argument given to SYS_THREAD_CREATE (a struct pthread *) and rsp = the
; top of the stack the kernel mapped for the thread. We align the stack and
; call __thread_main in C, which runs the thread function and ends with
; SYS_THREAD_EXIT; it never returns.

bits 64
default rel

extern __thread_main

section .text
global __thread_entry
__thread_entry:
    xor ebp, ebp                  ; outermost frame: ends backtraces
    and rsp, -16                  ; 16-byte aligned before the call
    call __thread_main            ; rdi still holds the argument
    ud2                           ; unreachable
