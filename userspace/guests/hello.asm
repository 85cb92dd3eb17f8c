; hello.bin - the smallest guest: 16-bit real mode, prints one line on the
; debug port 0xE9 and halts.
;
; Load/entry: GPA 0x1000 (the `vm run` default), mode real.
; Expected: "[vmN] Hello from a real-mode guest", then "vmN stopped: halted".
; Exits: 29 IO_INSTRUCTION (one OUT per byte, newline included), 1 HLT.
bits 16
org 0x1000

start:
    mov si, message             ; DS = 0, so the offset is the GPA
.next:
    lodsb                       ; AL = [DS:SI], SI++
    test al, al                 ; NUL ends the string
    jz .done
    out 0xE9, al                ; one byte to the console: VM exit IO_INSTRUCTION
    jmp .next
.done:
    hlt                         ; VM exit HLT: the vCPU stops ("halted")

message: db "Hello from a real-mode guest", 10, 0
