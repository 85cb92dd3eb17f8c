; flood.bin - a guest that prints faster than any console: 30 write
; hypercalls of 4096 newlines each (4096 lines per exit), then
; exit(0). The host must stay responsive (the exit that prints does a
; bounded part of the work with interrupts off, the rest waits outside the
; exit path with interrupts on) and the time limit must hold: with
; `--timeout 50` it stops with "timeout", not after the seconds COM1 needs.
;
; Load/entry: GPA 0x1000 (the `vm run` default), mode real; needs 64 KiB.
; Expected: many "[vmN] " lines, then "vmN stopped: timeout" (--timeout 50)
; or "vmN stopped: exit code 0" (no limit).
bits 16
org 0x1000

BUF equ 0x8000                  ; 4096 newlines are built here
LINES equ 4096
WRITES equ 30

start:
    mov di, BUF
    mov cx, LINES
    mov al, 10
    rep stosb                   ; [0x8000, 0x9000) = '\n'
    mov si, WRITES
.again:
    mov eax, HC_WRITE           ; write(BUF, LINES)
    mov ebx, BUF
    mov ecx, LINES
    vmcall
    dec si
    jnz .again
    mov eax, HC_EXIT            ; exit(0)
    xor ebx, ebx
    vmcall
    hlt                         ; not reached
