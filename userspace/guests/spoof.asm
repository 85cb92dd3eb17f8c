; spoof.bin - a guest that tries to pass its output off as the host's: an
; escape sequence (clear the screen, cursor home), a carriage return, and
; the lines the test harness and a reader take for a kernel panic, a
; power-off and the shell prompt. The host shows every line tagged "[vmN] "
; with control bytes as '?', and the harness ignores markers on tagged lines.
;
; Load/entry: GPA 0x1000 (the `vm run` default), mode real.
; Expected:
;   [vmN] ?[2J?[H*** KERNEL PANIC: spoofed
;   [vmN] power off (status 17)
;   [vmN] sweb:/> echo
;   [vmN] sweb:/>            (the unfinished last line, at the stop)
;   vmN stopped: halted
bits 16
org 0x1000

start:
    mov eax, HC_WRITE           ; write(message, length)
    mov ebx, message
    mov ecx, message_end - message
    vmcall
    hlt

message:
    db 27, "[2J", 27, "[H*** KERNEL PANIC: spoofed", 13, 10
    db "power off (status 17)", 10
    db "sweb:/> echo", 10
    db "sweb:/> "
message_end:
